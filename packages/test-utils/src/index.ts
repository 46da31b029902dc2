/**
 * @module
 * Shared fixtures for mdlkit's own tests (private, never published): the entry holds the
 * dependency-light helpers; the AWS set-ups are on their own subpaths (`@mdlkit/test-utils/kms`,
 * `@mdlkit/test-utils/acm-pca`) so that a test which does not use them does not load the AWS SDK.
 */
export { expectRejection, expectThrow } from './errors.js';

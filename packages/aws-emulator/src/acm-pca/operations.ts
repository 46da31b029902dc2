import type { Operation } from '../context.js';

/** ACM-PCA operations by action name (`X-Amz-Target: ACMPrivateCA.<name>`). */
export const PCA_OPERATIONS: Readonly<Record<string, Operation>> = {};

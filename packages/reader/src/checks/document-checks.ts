import type { CheckRecorder } from '../internal/check-recorder.js';
import { CheckId } from '../report/check-ids.js';
import type { DisclosedElement, Finding } from '../report/report.js';
import { deviceAuth } from './device-auth.js';
import { docType } from './doc-type.js';
import type { DocumentCheck, DocumentState, ElementRecord } from './document-state.js';
import { dsCertificatePath } from './ds-certificate-path.js';
import { dsCertificateValidity } from './ds-certificate-validity.js';
import { dsRevocation } from './ds-revocation.js';
import { elementTypes } from './element-types.js';
import { issuerAuthSignature } from './issuer-auth-signature.js';
import { issuingCountry } from './issuing-country.js';
import { issuingJurisdiction } from './issuing-jurisdiction.js';
import { keyAuthorizations } from './key-authorizations.js';
import { msoRevocation } from './mso-revocation.js';
import { msoSignedWithinDsValidity } from './mso-signed-within-ds-validity.js';
import { msoValidity } from './mso-validity.js';
import { uniqueElements } from './unique-elements.js';
import { valueDigests } from './value-digests.js';

/**
 * The checks of one document, in the order ISO/IEC 18013-5 §9.3.3 (certificate validation), §9.3.1
 * (issuer data authentication) and §9.3.2 (mdoc authentication) give them, then uniqueness and
 * revocation, and last the element types of known namespace schemas. Every {@link CheckId} appears exactly once (a test holds the two lists together), and
 * both the document verdict and the element verdicts are derived from this list alone.
 */
export const DOCUMENT_CHECKS: readonly DocumentCheck[] = Object.freeze([
  dsCertificatePath,
  dsCertificateValidity,
  issuerAuthSignature,
  valueDigests,
  docType,
  msoValidity,
  msoSignedWithinDsValidity,
  issuingCountry,
  issuingJurisdiction,
  deviceAuth,
  keyAuthorizations,
  uniqueElements,
  dsRevocation,
  msoRevocation,
  elementTypes,
]);

/**
 * Runs every check of {@link DOCUMENT_CHECKS} in order. Only a check that returned a promise is
 * awaited: the synchronous ones (most of the list) cost no microtask turn.
 */
export async function runDocumentChecks(state: DocumentState, r: CheckRecorder): Promise<void> {
  for (const check of DOCUMENT_CHECKS) {
    const pending = check.run(state, r);
    if (pending !== undefined) await pending;
  }
}

/** A check holds when it did not fail and, if required, passed. */
function holds(check: DocumentCheck, r: CheckRecorder): boolean {
  const status = r.status(check.id);
  if (status === 'failed' || status === undefined) return false;
  return !check.required || status === 'passed';
}

/**
 * The document verdict: every check of the list holds (none failed, every required one passed).
 */
export function documentVerified(r: CheckRecorder): boolean {
  return DOCUMENT_CHECKS.every((c) => holds(c, r));
}

/**
 * Each element's verdict, from the same list: every document-level check holds (a failed
 * `all-elements` check unverifies every element; a failed `listed-elements` check only those it
 * listed in `unprotected`), **and** the element's own protection held: an issuer-signed element's
 * digest matched (`value-digests`), a device-signed element was signed by an authenticated device
 * key (`device-auth` passed) that is authorised for it (`key-authorizations`).
 */
export function deriveElements(
  elements: readonly ElementRecord[],
  unprotected: ReadonlySet<ElementRecord>,
  r: CheckRecorder,
  elementFindings: ReadonlyMap<ElementRecord, readonly Finding[]> = new Map(),
): DisclosedElement[] {
  let documentLevel = true;
  for (const c of DOCUMENT_CHECKS) {
    if (c.protects === 'all-elements' && !holds(c, r)) documentLevel = false;
    // A listed-elements check that did not run (or was skipped) protects nobody.
    if (c.protects === 'listed-elements' && r.status(c.id) !== 'passed' && r.status(c.id) !== 'failed') {
      documentLevel = false;
    }
  }
  const deviceAuthenticated = r.status(CheckId.DEVICE_AUTH) === 'passed';
  return elements.map((e) => {
    const findings = elementFindings.get(e);
    return {
      nameSpace: e.nameSpace,
      identifier: e.identifier,
      value: e.value,
      source: e.source,
      verified:
        documentLevel &&
        !unprotected.has(e) &&
        (e.source === 'issuer' ? e.item !== undefined : deviceAuthenticated),
      ...(findings === undefined ? {} : { findings: [...findings] }),
    };
  });
}

import type { HashAlgorithm } from '@mdlkit/core/crypto';
import { ErrorCode } from '@mdlkit/core/errors';
import { verifyValueDigests } from '../issuer-auth/verify-value-digests.js';
import { CheckId } from '../report/check-ids.js';
import type { Finding } from '../report/report.js';
import type { DocumentCheck, DocumentState, ElementRecord } from './document-state.js';

/** 18013-5 §9.1.2.5: the `random` of an IssuerSignedItem is at least 16 bytes. */
export const MIN_SALT_BYTES = 16;

/**
 * A matched item whose salt is shorter than 16 bytes: the value is authentic (its digest matched
 * under the IssuerAuth), but a short salt lets anyone holding the MSO test guesses of undisclosed
 * values against their digests. The issuer's deviation from a "shall": under `strict` the element
 * is unprotected and the check fails; under `interop` the element and the document carry an
 * `ERR_MSO_SALT_TOO_SHORT` warning.
 */
function shortSalt(state: DocumentState, e: ElementRecord, length: number): Finding {
  const strict = state.ctx.policy === 'strict';
  const finding: Finding = {
    code: ErrorCode.ERR_MSO_SALT_TOO_SHORT,
    severity: strict ? 'error' : 'warning',
    source: 'mso',
    message: `${e.nameSpace}/${e.identifier}: the item's random is ${length} bytes (18013-5 §9.1.2.5: at least ${MIN_SALT_BYTES})`,
    details: { nameSpace: e.nameSpace, elementIdentifier: e.identifier, saltLength: length },
  };
  state.findings.push(finding);
  const own = state.elementFindings.get(e);
  if (own === undefined) state.elementFindings.set(e, [finding]);
  else own.push(finding);
  if (strict) state.unprotected.add(e);
  return finding;
}

/**
 * `value-digests`: every received IssuerSignedItemBytes hashes, over the bytes as received, to its
 * MSO `valueDigests` entry (§9.3.1 step 3). Per element: an issuer-signed element whose digest did
 * not match is unprotected; the others keep their protection. A matched item whose `random` is
 * shorter than 16 bytes (§9.1.2.5) fails the check under `strict` (that element unprotected) and is
 * an `ERR_MSO_SALT_TOO_SHORT` warning under `interop`.
 */
export const valueDigests: DocumentCheck = {
  id: CheckId.VALUE_DIGESTS,
  required: true,
  protects: 'listed-elements',
  run(state, r) {
    const { mso, doc } = state;
    const digests = verifyValueDigests({
      // The verifier rules admit only the MsoDigestAlgorithm names (ERR_MSO_INVALID otherwise).
      digestAlgorithm: mso.digestAlgorithm as HashAlgorithm,
      valueDigests: mso.valueDigests,
      nameSpaces: doc.issuerSigned.nameSpaces ?? new Map(),
    });
    let count = 0;
    let firstShort: Finding | undefined;
    let short = 0;
    for (const e of state.elements) {
      if (e.item === undefined) continue;
      count++;
      // per item, not per identifier: a forged item may reuse the identifier of a genuine one
      if (!digests.matchedItems.has(e.item)) {
        state.unprotected.add(e);
        continue;
      }
      const length = e.item.random.length;
      if (length < MIN_SALT_BYTES) {
        short++;
        const finding = shortSalt(state, e, length);
        firstShort ??= finding;
      }
    }
    const first = digests.failures[0];
    if (first) {
      r.fail(CheckId.VALUE_DIGESTS, first.code, first.message, {
        ...first.details,
        failures: digests.failures.length,
      });
    } else if (firstShort !== undefined && state.ctx.policy === 'strict') {
      r.fail(CheckId.VALUE_DIGESTS, ErrorCode.ERR_MSO_SALT_TOO_SHORT, firstShort.message, {
        ...firstShort.details,
        items: short,
      });
    } else {
      r.pass(
        CheckId.VALUE_DIGESTS,
        short === 0
          ? `all ${count} issuer-signed items match their MSO digests`
          : `all ${count} issuer-signed items match their MSO digests; ${short} with a salt under ${MIN_SALT_BYTES} bytes (tolerated by the interop policy; see the element findings)`,
      );
    }
  },
};

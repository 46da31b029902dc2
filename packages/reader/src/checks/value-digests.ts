import { verifyValueDigests } from '../issuer-auth/verify-value-digests.js';
import { CheckId } from '../report/check-ids.js';
import type { DocumentCheck } from './document-state.js';

/**
 * `value-digests`: every received IssuerSignedItemBytes hashes, over the bytes as received, to its
 * MSO `valueDigests` entry (§9.3.1 step 3). Per element: an issuer-signed element whose digest did
 * not match is unprotected; the others keep their protection.
 */
export const valueDigests: DocumentCheck = {
  id: CheckId.VALUE_DIGESTS,
  required: true,
  protects: 'listed-elements',
  run(state, r) {
    const { mso, doc } = state;
    const digests = verifyValueDigests({
      digestAlgorithm: mso.digestAlgorithm,
      valueDigests: mso.valueDigests,
      nameSpaces: doc.issuerNameSpaces,
    });
    let count = 0;
    for (const e of state.elements) {
      if (e.item === undefined) continue;
      count++;
      // per item, not per identifier: a forged item may reuse the identifier of a genuine one
      if (!digests.matchedItems.has(e.item)) state.unprotected.add(e);
    }
    const first = digests.failures[0];
    if (first) {
      r.fail(CheckId.VALUE_DIGESTS, first.code, first.message, {
        ...first.details,
        failures: digests.failures.length,
      });
    } else {
      r.pass(CheckId.VALUE_DIGESTS, `all ${count} issuer-signed items match their MSO digests`);
    }
  },
};

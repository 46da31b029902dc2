import { ErrorCode } from '@mdlkit/core/errors';
import { CheckId } from '../report/check-ids.js';
import type { DocumentCheck, ElementRecord } from './document-state.js';

/** Records `unique-elements` for `elements`; shared by the readable and unreadable IssuerAuth paths. */
export function recordUniqueElements(
  elements: readonly ElementRecord[],
  r: Parameters<DocumentCheck['run']>[1],
): void {
  // nameSpace → identifiers seen (no per-element key strings).
  const seen = new Map<string, Set<string>>();
  for (const e of elements) {
    let ids = seen.get(e.nameSpace);
    if (ids === undefined) {
      ids = new Set();
      seen.set(e.nameSpace, ids);
    } else if (ids.has(e.identifier)) {
      r.fail(CheckId.UNIQUE_ELEMENTS, ErrorCode.ERR_STRUCTURE_INVALID, 'a data element was returned twice', {
        nameSpace: e.nameSpace,
        elementIdentifier: e.identifier,
      });
      return;
    }
    ids.add(e.identifier);
  }
  r.pass(CheckId.UNIQUE_ELEMENTS, 'no data element was returned twice');
}

/**
 * `unique-elements`: no (namespace, element) is returned twice across IssuerSigned and DeviceSigned
 * (§8.3.2.1.2.2). A conflict leaves no element of the document verified: which of the two values
 * the holder meant cannot be told, and both carry the same name to the application.
 */
export const uniqueElements: DocumentCheck = {
  id: CheckId.UNIQUE_ELEMENTS,
  required: true,
  protects: 'all-elements',
  run(state, r) {
    recordUniqueElements(state.elements, r);
  },
};

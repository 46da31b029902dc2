import { ErrorCode } from '@mdlkit/core/errors';
import { findUnauthorizedElements } from '../device-auth/check-key-authorizations.js';
import { CheckId } from '../report/check-ids.js';
import type { DocumentCheck } from './document-state.js';

/**
 * `key-authorizations`: every device-signed element is covered by the MSO keyAuthorizations
 * (§9.1.3.2, §9.3.2). Per element: an unauthorised device-signed element is unprotected.
 */
export const keyAuthorizations: DocumentCheck = {
  id: CheckId.KEY_AUTHORIZATIONS,
  required: true,
  protects: 'listed-elements',
  run(state, r) {
    const { mso, doc } = state;
    const unauthorized = findUnauthorizedElements(
      mso.deviceKeyInfo.keyAuthorizations ?? {},
      doc.deviceSigned.nameSpaces,
    );
    const first = unauthorized[0];
    if (first === undefined) {
      r.pass(CheckId.KEY_AUTHORIZATIONS, 'every device-signed element is authorised');
      return;
    }
    const keys = new Set(unauthorized.map((u) => `${u.nameSpace}\u0000${u.identifier}`));
    for (const e of state.elements) {
      if (e.source === 'device' && keys.has(`${e.nameSpace}\u0000${e.identifier}`)) state.unprotected.add(e);
    }
    r.fail(
      CheckId.KEY_AUTHORIZATIONS,
      ErrorCode.ERR_DEVICE_KEY_NOT_AUTHORIZED,
      'a device-signed element is not covered by the MSO keyAuthorizations',
      { nameSpace: first.nameSpace, elementIdentifier: first.identifier, unauthorized: unauthorized.length },
    );
  },
};

import type { CoseKey } from '@mdlkit/core/cose';
import { ErrorCode, MdlError } from '@mdlkit/core/errors';
import { verifyDeviceAuth } from '../device-auth/verify-device-auth.js';
import { CheckId } from '../report/check-ids.js';
import type { DocumentCheck } from './document-state.js';

/**
 * `device-auth`: the DeviceSignature or DeviceMac over DeviceAuthenticationBytes built from the
 * caller's SessionTranscript (§9.1.3, §9.3.2). A failure unverifies every element (a clone or a
 * replay); a skip (the caller passed `sessionTranscript: null`) leaves issuer-signed elements to
 * their other checks, reports `deviceAuthenticated: false`, and verifies no device-signed element.
 */
export const deviceAuth: DocumentCheck = {
  id: CheckId.DEVICE_AUTH,
  required: false,
  protects: 'all-elements',
  async run(state, r) {
    const { ctx, doc, mso } = state;
    if (ctx.transcript === null) {
      r.skip(CheckId.DEVICE_AUTH, 'device authentication was not requested (no SessionTranscript given)');
      return;
    }
    const allowed = ctx.options.allowedAlgorithms;
    try {
      if (ctx.transcript instanceof MdlError) throw ctx.transcript;
      const method = await verifyDeviceAuth({
        docType: doc.docType,
        deviceNameSpacesBytes: doc.deviceSigned.nameSpacesBytes,
        deviceSignature: doc.deviceSigned.deviceAuth.deviceSignature,
        deviceMac: doc.deviceSigned.deviceAuth.deviceMac,
        deviceKey: mso.deviceKeyInfo.deviceKey as CoseKey,
        sessionTranscript: ctx.transcript,
        eReaderKey: ctx.options.eReaderKey,
        decodeOptions: ctx.cbor,
        ...(allowed ? { allowedAlgorithms: allowed } : {}),
        // 18013-5 §9.1.3.6: the payload "shall" be detached. `interop` accepts an attached copy of
        // exactly the bytes the reader built (a warning); `strict` fails it.
        attachedPayload: ctx.policy === 'interop' ? 'if-identical' : 'reject',
        onAttachedPayload: () =>
          state.findings.push({
            code: ErrorCode.ERR_DEVICE_SIGNATURE_PAYLOAD_ATTACHED,
            severity: 'warning',
            source: 'device-auth',
            message:
              'the DeviceSignature carries its payload attached (18013-5 §9.1.3.6: detached); it is identical to the DeviceAuthenticationBytes the reader built',
          }),
      });
      state.deviceAuthMethod = method;
      r.pass(
        CheckId.DEVICE_AUTH,
        method === 'mac' ? 'the DeviceMac verifies' : 'the DeviceSignature verifies with the MSO device key',
      );
    } catch (error) {
      r.failWith(
        CheckId.DEVICE_AUTH,
        error,
        ErrorCode.ERR_DEVICE_SIGNATURE_INVALID,
        'device authentication failed',
      );
    }
  },
};

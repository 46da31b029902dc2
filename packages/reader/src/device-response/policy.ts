/**
 * The verification policies. One knob, two policies; the library and the CLI share the default.
 *
 * - Security rules hold under **every** policy: duplicate map keys, trailing bytes, invalid UTF-8,
 *   digests over anything but the received bytes, a failing signature or MAC, docType mismatch,
 *   validity, an EKU present without the purpose, unknown or malformed critical extensions, a chain
 *   that does not end at an anchor, unauthorised device-signed elements.
 * - `strict` (conformance teams) also fails every "shall" of ISO/IEC 18013-5 and its Annex B:
 *   non-preferred or indefinite-length CBOR, tdates that are not `YYYY-MM-DDTHH:MM:SSZ`, Annex B
 *   profile deviations, a DS of an mDL without the mdlDS EKU, an attached DeviceSignature payload.
 * - `interop` (the default, for reader apps) turns exactly those "shall" deviations into warnings with
 *   their own codes in the report, and verification goes on.
 *
 * `lenient` is the earlier name of `interop` and is still accepted.
 *
 * @example
 * ```ts
 * verifyDeviceResponse(bytes, { ...options, policy: VerificationPolicy.STRICT });
 * ```
 */
export const VerificationPolicy = {
  STRICT: 'strict',
  INTEROP: 'interop',
} as const;
/** One of {@link VerificationPolicy} (or the legacy alias `lenient` = `interop`). */
export type VerificationPolicy = (typeof VerificationPolicy)[keyof typeof VerificationPolicy] | 'lenient';

/** The policy `verifyDeviceResponse` and `mdlkit verify` use when none is given. */
export const DEFAULT_VERIFICATION_POLICY: 'interop' = VerificationPolicy.INTEROP;

/** @internal The two effective policies (`lenient` is `interop`). */
export function effectivePolicy(policy: VerificationPolicy | undefined): 'strict' | 'interop' {
  return policy === 'strict' ? 'strict' : 'interop';
}

import { bytesEqual } from '@mdlkit/core/cbor';
import { importPublicKey, type PrivateKey, type PublicKey } from '@mdlkit/core/crypto';
import { parseCertificate } from '@mdlkit/pki';
import { InputError } from '../cli-error.js';

/** Where a key and its certificate came from, for the error message. */
export interface KeyPairSource {
  readonly keyOption: string;
  readonly keyFile: string;
  readonly certOption: string;
  readonly certFile: string;
}

/** The public key of a DER certificate. */
export function certificatePublicKey(certDer: Uint8Array, certOption: string, certFile: string): PublicKey {
  try {
    return importPublicKey({ format: 'spki', der: parseCertificate(certDer).publicKeyInfo.spki });
  } catch {
    throw new InputError('not a certificate with a supported public key', {
      option: certOption,
      file: certFile,
    });
  }
}

/** True when two public keys are the same point on the same curve. */
export function samePublicKey(a: PublicKey, b: PublicKey): boolean {
  return a.curve === b.curve && bytesEqual(a.point, b.point);
}

/**
 * Checks that a private key belongs to a certificate before anything is signed with the pair, so a
 * wrong key fails here with both files named instead of producing an artifact that fails later.
 *
 * @throws {@link InputError} code `ERR_KEY_CERTIFICATE_MISMATCH`.
 */
export function assertKeyMatchesCertificate(
  key: PrivateKey | PublicKey,
  certDer: Uint8Array,
  source: KeyPairSource,
): void {
  const certKey = certificatePublicKey(certDer, source.certOption, source.certFile);
  const pub = key.type === 'private' ? key.publicKey : key;
  if (samePublicKey(pub, certKey)) return;
  let subject = '';
  try {
    subject = ` (${parseCertificate(certDer).subject.text})`;
  } catch {
    // named by file only
  }
  throw new InputError(
    `this key does not belong to the certificate ${source.certOption} ${source.certFile}${subject}: ` +
      `the key is ${pub.curve}, the certificate's key is ${certKey.curve}${pub.curve === certKey.curve ? ' but a different point' : ''}`,
    {
      option: source.keyOption,
      file: source.keyFile,
      looksLike: 'mismatched-key',
      code: 'ERR_KEY_CERTIFICATE_MISMATCH',
    },
  );
}

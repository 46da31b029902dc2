import type { AnyCoseSigner } from '@mdlkit/core/crypto';
import { exportPublicKey, importPublicKey } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { signerChecked as checked } from './caches.js';
import type { DsCertificateInfo } from './ds-certificate.js';

/**
 * @internal Refuses a signer that states its public key (KMS, HSM) when that key is not the DS
 * certificate's: every MSO it signed would fail in every reader. Signers that do not state a key
 * (local keys) are checked by the signature check, when enabled.
 *
 * @throws {@link MdlError} `ERR_SIGNER_KEY_MISMATCH`.
 */
export function assertSignerKeyIsCertificateKey(signer: AnyCoseSigner, ds: DsCertificateInfo): void {
  const spki = signer.publicKey;
  if (spki === undefined || checked.get(signer) === ds) return;
  let same = false;
  try {
    const key = importPublicKey({ format: 'spki', der: spki });
    const a = exportPublicKey(key, 'raw');
    const b = exportPublicKey(ds.publicKey, 'raw');
    same = key.curve === ds.publicKey.curve && a.length === b.length && a.every((x, i) => x === b[i]);
  } catch (cause) {
    throw new MdlError('ERR_SIGNER_KEY_MISMATCH', "the signer's public key cannot be read", { cause });
  }
  if (!same) {
    throw new MdlError(
      'ERR_SIGNER_KEY_MISMATCH',
      "the signer's key is not the DS certificate's key: every MSO it signed would fail verification",
    );
  }
  checked.set(signer, ds);
}

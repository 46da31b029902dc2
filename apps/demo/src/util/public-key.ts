import { createPublicKey } from 'node:crypto';
import { coseKeyToPublicKey } from '@mdlkit/core/cose';
import { importPublicKey, type Jwk, type PublicKey } from '@mdlkit/core/crypto';
import { UsageError } from '../cli-error.js';
import { decodeBinaryInput, readInputFile } from '../input.js';

/**
 * Reads a public key from a file holding PEM SubjectPublicKeyInfo (`PUBLIC KEY`; a private key PEM
 * is reduced to its public part), a JWK (JSON; `d` is ignored), or a COSE_Key (binary CBOR, hex or
 * base64).
 *
 * @throws {@link UsageError} when the file is unreadable or holds no usable public key.
 */
export function readPublicKeyFile(file: string): PublicKey {
  const raw = readInputFile(file);
  const text = new TextDecoder().decode(raw).trim();
  try {
    if (text.startsWith('-----BEGIN')) {
      if (text.includes('CERTIFICATE-----')) throw new UsageError(`${file}: holds a certificate, not a key`);
      const der = createPublicKey({ key: text, format: 'pem' }).export({ format: 'der', type: 'spki' });
      return importPublicKey({ format: 'spki', der: new Uint8Array(der) });
    }
    if (text.startsWith('{')) {
      const { d: _d, ...jwk } = JSON.parse(text) as Jwk & { d?: string };
      return importPublicKey({ format: 'jwk', jwk: jwk as Jwk });
    }
    return coseKeyToPublicKey(decodeBinaryInput(raw, file));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${file}: not a usable public key (PEM SPKI, JWK or COSE_Key)`);
  }
}

import { decodeCbor, EncodedCbor } from '@mdlkit/core/cbor';
import { coseKeyToPublicKey } from '@mdlkit/core/cose';
import type { Curve, PrivateKey } from '@mdlkit/core/crypto';
import { parseSessionTranscript } from '@mdlkit/core/session';
import { UsageError } from '../cli-error.js';
import { readDerFile } from '../input.js';
import { readPrivateKeyFile } from './keys.js';

/** Reads a CRL given as DER, PEM (`X509 CRL`), hex or base64. */
export function readCrl(file: string): Uint8Array {
  return readDerFile(file, 'X509 CRL', '--crl');
}

/** The curve of the EReaderKey inside a session transcript, when it can be read. */
function transcriptCurve(transcript: Uint8Array | null): Curve | undefined {
  if (transcript === null) return undefined;
  try {
    const decoded = decodeCbor(transcript);
    const st = parseSessionTranscript(decoded instanceof EncodedCbor ? decoded : transcript);
    return st.eReaderKeyBytes === null ? undefined : coseKeyToPublicKey(st.eReaderKeyBytes.bytes).curve;
  } catch {
    return undefined;
  }
}

/**
 * Reads the reader's ephemeral private key (hex scalar, PEM or JWK). A hex scalar takes its curve
 * from the transcript's EReaderKey, so a P-256 and a brainpoolP256r1 scalar are told apart.
 */
export function readSessionKey(file: string, transcript: Uint8Array | null): PrivateKey {
  const key = readPrivateKeyFile(file, transcriptCurve(transcript));
  if (key.kty !== 'EC2' && key.kty !== 'OKP') throw new UsageError(`${file}: unsupported key type`);
  return key;
}

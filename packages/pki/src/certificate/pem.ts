import { MdlError } from '@mdlkit/core/errors';

/**
 * Decode the first PEM block with the given label (default `CERTIFICATE`) to DER.
 *
 * @example
 * ```ts
 * const der = pemToDer(pemText);
 * ```
 * @throws {@link MdlError} `ERR_X509_MALFORMED` when no such block exists or its base64 is invalid.
 */
export function pemToDer(pem: string, label = 'CERTIFICATE'): Uint8Array {
  const re = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]*)-----END ${label}-----`);
  const match = re.exec(pem);
  if (match === null) throw new MdlError('ERR_X509_MALFORMED', `no PEM ${label} block found`);
  const b64 = match[1]!.replace(/\s+/g, '');
  if (b64.length === 0 || b64.length % 4 !== 0)
    throw new MdlError('ERR_X509_MALFORMED', 'invalid PEM base64');
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * Encode DER as PEM with 64-character lines.
 *
 * @example
 * ```ts
 * const pem = derToPem(der); // '-----BEGIN CERTIFICATE-----\n…'
 * ```
 */
export function derToPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  let bin = '';
  for (const b of der) bin += String.fromCharCode(b);
  const b64 = btoa(bin);
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

import { MdlError } from '@mdlkit/core/errors';

/**
 * @internal Decodes one PEM block with the given label (RFC 7468 §2) to its DER bytes. Accepts the
 * literal two-character `\n` that environment files often carry instead of newlines.
 */
export function pemToDer(pem: string, label: string, what: string): Uint8Array {
  const text = pem.replace(/\\n/g, '\n').trim();
  const match = new RegExp(`^-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----$`).exec(text);
  const body = match?.[1]?.replace(/\s+/g, '');
  if (body === undefined || body.length === 0 || body.length % 4 !== 0) {
    throw new MdlError('ERR_AWS_CONFIG_INVALID', `${what} must be one PEM "${label}" block.`);
  }
  let binary: string;
  try {
    binary = atob(body);
  } catch (cause) {
    throw new MdlError('ERR_AWS_CONFIG_INVALID', `${what} is not valid base64 PEM.`, { cause });
  }
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

import { createPrivateKey } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fromHex } from '@mdlkit/core/cbor';
import { CoseAlg, type Curve, importPrivateKey, type Jwk, type PrivateKey } from '@mdlkit/core/crypto';
import { UsageError } from '../cli-error.js';
import { decodeHexOrBase64, readInputFile } from '../input.js';

const SCALAR_CURVES: Readonly<Record<number, Curve>> = { 32: 'P-256', 48: 'P-384', 66: 'P-521' };

/**
 * Reads a private key from a file holding a PEM key (PKCS#8 or SEC1), a JWK (JSON), a hex scalar
 * (curve from its length unless `curve` says otherwise) or DER PKCS#8.
 *
 * @throws {@link UsageError} when the file is unreadable or holds no usable key.
 */
export function readPrivateKeyFile(file: string, curve?: Curve): PrivateKey {
  const raw = readInputFile(file);
  const text = new TextDecoder().decode(raw).trim();
  try {
    if (text.startsWith('-----BEGIN')) {
      if (text.includes('CERTIFICATE-----') && !text.includes('PRIVATE KEY-----')) {
        throw new UsageError(`${file}: holds a certificate, not a private key`);
      }
      const der = createPrivateKey({ key: text, format: 'pem' }).export({ format: 'der', type: 'pkcs8' });
      return importPrivateKey({ format: 'pkcs8', der: new Uint8Array(der) });
    }
    if (text.startsWith('{')) {
      return importPrivateKey({ format: 'jwk', jwk: JSON.parse(text) as Jwk });
    }
    const hex = text.replace(/^0x/, '').replace(/\s+/g, '');
    if (/^[0-9a-fA-F]+$/.test(hex) && hex.length % 2 === 0) {
      const d = fromHex(hex);
      const c = curve ?? SCALAR_CURVES[d.length];
      if (c === undefined)
        throw new UsageError(`${file}: a ${d.length}-byte scalar matches no supported curve`);
      return importPrivateKey({ format: 'raw', curve: c, d });
    }
    return importPrivateKey({ format: 'pkcs8', der: raw });
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${file}: not a usable private key (PEM, JWK, hex scalar or DER PKCS#8)`);
  }
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/g;

/**
 * Reads every certificate of a file: PEM (one or more blocks), DER, or hex / base64 text of DER.
 *
 * @throws {@link UsageError} when the file holds no certificate.
 */
export function readCertificateFile(file: string): Uint8Array[] {
  const raw = readInputFile(file);
  const text = new TextDecoder().decode(raw);
  if (text.includes('-----BEGIN')) {
    const out = [...text.matchAll(PEM_CERT)].map((m) =>
      Uint8Array.from(Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64')),
    );
    if (out.length === 0) throw new UsageError(`${file}: no PEM CERTIFICATE block`);
    return out;
  }
  if (raw[0] === 0x30) return [raw];
  const decoded = decodeHexOrBase64(text.replace(/\s+/g, ''));
  if (decoded !== undefined && decoded.length > 0) return [decoded];
  throw new UsageError(`${file}: not a certificate (PEM, DER, hex or base64)`);
}

const CERT_EXTENSIONS = new Set(['.pem', '.crt', '.cer', '.der']);

/**
 * Reads certificates from each path: a file (see {@link readCertificateFile}) or a folder, whose
 * `.pem`, `.crt`, `.cer` and `.der` files are read in name order.
 */
export function readCertificates(
  paths: readonly string[],
): { file: string; der: Uint8Array; fromDirectory: boolean }[] {
  const out: { file: string; der: Uint8Array; fromDirectory: boolean }[] = [];
  for (const p of paths) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      throw new UsageError(`${p}: cannot read`);
    }
    const files = isDir
      ? readdirSync(p)
          .filter((f) => CERT_EXTENSIONS.has(path.extname(f).toLowerCase()))
          .sort()
          .map((f) => path.join(p, f))
      : [p];
    if (isDir && files.length === 0)
      throw new UsageError(`${p}: no certificate files (.pem, .crt, .cer, .der)`);
    for (const file of files) {
      for (const der of readCertificateFile(file)) out.push({ file, der, fromDirectory: isDir });
    }
  }
  return out;
}

/**
 * The COSE algorithm a local key signs with: ES256 / ES384 / ES512 by curve (brainpool curves pair
 * with the hash of the same size), EdDSA for Ed25519 / Ed448.
 */
export function algForKey(key: PrivateKey): CoseAlg {
  if (key.kty === 'OKP') return CoseAlg.EdDSA;
  const bits = key.d.length;
  return bits <= 32 ? CoseAlg.ES256 : bits <= 48 ? CoseAlg.ES384 : CoseAlg.ES512;
}

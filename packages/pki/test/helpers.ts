import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  type CoseAlg,
  type Curve,
  createLocalSigner,
  exportPublicKey,
  generateKeyPair,
  type PrivateKey,
} from '@mdlkit/core/crypto';
import { derToPem, pemToDer } from '../src/certificate/pem.js';
import {
  type AltNameInput,
  buildDocumentSignerCertificate,
  buildIacaCertificate,
  type NameInput,
} from '../src/index.js';

export const VECTORS: string = process.env.MDLKIT_VECTORS ?? path.resolve(process.cwd(), '../shared/vectors');

export function vectorPem(rel: string): Uint8Array {
  return pemToDer(readFileSync(path.join(VECTORS, rel), 'utf8'));
}

export function vectorHex(rel: string): Uint8Array {
  return new Uint8Array(Buffer.from(readFileSync(path.join(VECTORS, rel), 'utf8').trim(), 'hex'));
}

/** Deterministic "random" bytes for reproducible tests (SHA-256 counter stream). */
export function seededRandom(seed: string): (n: number) => Uint8Array {
  let counter = 0;
  return (n: number) => {
    const out = new Uint8Array(n);
    let off = 0;
    while (off < n) {
      const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
      out.set(block.subarray(0, Math.min(32, n - off)), off);
      off += 32;
    }
    return out;
  };
}

export interface TestKey {
  readonly privateKey: PrivateKey;
  readonly spki: Uint8Array;
  readonly signer: ReturnType<typeof createLocalSigner>;
}

export function testKey(curve: Curve = 'P-256', alg: CoseAlg = -7): TestKey {
  const { privateKey, publicKey } = generateKeyPair({ curve });
  return {
    privateKey,
    spki: exportPublicKey(publicKey, 'spki') as Uint8Array,
    signer: createLocalSigner({ privateKey, alg }),
  };
}

/** Run the Debian `openssl` binary; returns { ok, out }. */
export function openssl(
  args: string[],
  files: Record<string, Uint8Array | string> = {},
  read?: string,
): { ok: boolean; out: string; file?: Uint8Array } {
  const dir = mkdtempSync(path.join(tmpdir(), 'mdlkit-pki-'));
  try {
    for (const [name, data] of Object.entries(files)) writeFileSync(path.join(dir, name), data);
    const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    if (read !== undefined && r.status === 0) {
      return { ok: true, out, file: new Uint8Array(readFileSync(path.join(dir, read))) };
    }
    return { ok: r.status === 0, out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pem(der: Uint8Array): string {
  return derToPem(der);
}

export const DAY = 86_400_000;

/** What {@link buildHelperIaca} needs; everything else is the tests' common IACA. */
export interface HelperIacaOptions {
  /** The IACA key pair (self-signature and subject public key). */
  readonly key: TestKey;
  readonly subject: NameInput;
  /** Start of validity; the IACA is valid for 3650 days from it. */
  readonly notBefore: Date;
  readonly randomBytes: (n: number) => Uint8Array;
  /** Default `[{ email: 'pki@dmv.example' }]`. */
  readonly issuerAltName?: readonly AltNameInput[];
  /** Default `https://dmv.example/iaca.crl`. */
  readonly crlDistributionPoint?: string;
}

/** The self-signed Table B.1 IACA the pki tests build their chains and CRLs on: 3650 days from `notBefore`. */
export function buildHelperIaca(options: HelperIacaOptions): Promise<Uint8Array> {
  return buildIacaCertificate({
    subject: options.subject,
    publicKey: options.key.spki,
    signer: options.key.signer,
    issuerAltName: options.issuerAltName ?? [{ email: 'pki@dmv.example' }],
    crlDistributionPoint: options.crlDistributionPoint ?? 'https://dmv.example/iaca.crl',
    notBefore: options.notBefore,
    notAfter: new Date(options.notBefore.getTime() + 3650 * DAY),
    randomBytes: options.randomBytes,
  });
}

/** What {@link buildHelperDs} needs. */
export interface HelperDsOptions {
  readonly iaca: Uint8Array;
  readonly iacaKey: TestKey;
  readonly commonName: string;
  /** Start of validity; the DS is valid for 300 days from it. */
  readonly notBefore: Date;
  readonly randomBytes: (n: number) => Uint8Array;
}

/** A Table B.3 document signer under `iaca` with a fresh key and the IACA's CRL distribution point. */
export function buildHelperDs(options: HelperDsOptions): Promise<Uint8Array> {
  return buildDocumentSignerCertificate({
    subject: { commonName: options.commonName },
    publicKey: testKey().spki,
    issuer: { certificate: options.iaca, signer: options.iacaKey.signer },
    crlDistributionPoint: 'https://dmv.example/iaca.crl',
    notBefore: options.notBefore,
    notAfter: new Date(options.notBefore.getTime() + 300 * DAY),
    randomBytes: options.randomBytes,
  });
}

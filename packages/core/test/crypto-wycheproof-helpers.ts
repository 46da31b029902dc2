import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type * as CryptoApi from '../src/crypto/index.js';
import type { CoseAlg } from '../src/crypto/index.js';
import { isMdlError } from '../src/errors/index.js';
import { hex, readVectorJson } from './crypto-helpers.js';

/** One Wycheproof test case. */
export interface WTest {
  tcId: number;
  comment?: string;
  result: 'valid' | 'invalid' | 'acceptable';
  flags: string[];
  [k: string]: unknown;
}
/** A Wycheproof file with group type G. */
export interface WFile<G> {
  testGroups: (G & { tests: WTest[] })[];
}

/** The files test-vectors/wycheproof-manifest.json says we run. */
export function wycheproofFiles(): string[] {
  const manifest = JSON.parse(
    readFileSync(path.resolve(import.meta.dirname, '../../../test-vectors/wycheproof-manifest.json'), 'utf8'),
  ) as { files: { file: string }[] };
  return manifest.files.map((f) => f.file);
}

const ALG: Record<string, CoseAlg> = { 'SHA-256': -7, 'SHA-384': -35, 'SHA-512': -36 };

/**
 * Run one ECDSA verify file (P1363, or DER converted with ecdsaDerToRaw) through `api`:
 * valid must verify, invalid must be rejected (false or a DER-encoding error).
 */
export async function runEcdsaFile(api: typeof CryptoApi, file: string): Promise<void> {
  const der = !file.includes('p1363');
  const data = readVectorJson<WFile<{ publicKeyDer: string; sha: string }>>('wycheproof', file);
  let valid = 0;
  let total = 0;
  for (const group of data.testGroups) {
    const key = api.importPublicKey({ format: 'spki', der: hex(group.publicKeyDer) });
    const alg = ALG[group.sha]!;
    const size = api.curveInfo(key.curve).size;
    for (const t of group.tests) {
      total++;
      let signature: Uint8Array | undefined = hex(t.sig as string);
      if (der) {
        try {
          signature = api.ecdsaDerToRaw(signature, size);
        } catch (e) {
          expect(isMdlError(e, 'ERR_CRYPTO_INVALID_SIGNATURE_ENCODING'), `tc ${t.tcId}`).toBe(true);
          signature = undefined;
        }
      }
      const ok =
        signature !== undefined &&
        (await api.verifySignature({ alg, key, data: hex(t.msg as string), signature }));
      expect(ok, `tc ${t.tcId} (${t.result}: ${t.comment})`).toBe(t.result === 'valid');
      expect(t.result).not.toBe('acceptable');
      if (t.result === 'valid') valid++;
    }
  }
  expect(total).toBe(data.testGroups.reduce((n, g) => n + g.tests.length, 0));
  expect(valid).toBeGreaterThan(100);
}

import { createPublicKey, generateKeyPairSync, sign, verify, webcrypto } from 'node:crypto';
import type { BenchCase } from '../harness.js';

/** Message size signed / verified by the raw cases: about the size of a reference MSO Sig_structure. */
export const RAW_MESSAGE_BYTES = 1024;

/** Case ids of the raw limits. */
export const RawCase = {
  nodeSign: 'raw.node.sign',
  nodeVerify: 'raw.node.verify',
  webSign: 'raw.webcrypto.sign',
  webVerify: 'raw.webcrypto.verify',
} as const;

/**
 * Raw ECDSA P-256 / SHA-256 cases: node:crypto `sign` / `verify` with KeyObjects and IEEE P1363
 * (`r‖s`) signatures, and WebCrypto `subtle.sign` / `subtle.verify` with CryptoKeys — keys imported
 * once, a fresh signature checked for `true` on every verify.
 */
export async function rawLimitCases(): Promise<BenchCase[]> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const message = webcrypto.getRandomValues(new Uint8Array(RAW_MESSAGE_BYTES));
  const nodeSig = sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const nodePublic = createPublicKey({ key: spki, format: 'der', type: 'spki' });

  const subtle = webcrypto.subtle;
  const alg = { name: 'ECDSA', namedCurve: 'P-256' } as const;
  const params = { name: 'ECDSA', hash: 'SHA-256' } as const;
  const webPair = (await subtle.generateKey(alg, false, ['sign', 'verify'])) as CryptoKeyPair;
  const webSig = new Uint8Array(await subtle.sign(params, webPair.privateKey, message));

  return [
    {
      id: RawCase.nodeSign,
      run: () => sign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' }).length === 64,
    },
    {
      id: RawCase.nodeVerify,
      run: () => verify('sha256', message, { key: nodePublic, dsaEncoding: 'ieee-p1363' }, nodeSig),
    },
    {
      id: RawCase.webSign,
      run: async () => (await subtle.sign(params, webPair.privateKey, message)).byteLength === 64,
    },
    {
      id: RawCase.webVerify,
      run: () => subtle.verify(params, webPair.publicKey, webSig, message),
    },
  ];
}

import {
  createHash,
  createPublicKey,
  type JsonWebKey,
  verify as nodeVerify,
  X509Certificate,
} from 'node:crypto';

/**
 * The crypto / X.509 callbacks that @animo-id/mdoc and @owf/mdoc ask the caller to supply,
 * implemented on node:crypto only (none of mdlkit's code), so the peers check our output with
 * an independent crypto stack.
 */
const HASH: Record<string, string | null> = {
  ES256: 'sha256',
  ES384: 'sha384',
  ES512: 'sha512',
  EdDSA: null,
};

export function verifyWithJwk(
  alg: string,
  jwk: Record<string, unknown>,
  data: Uint8Array,
  signature: Uint8Array,
): boolean {
  const { kty, crv, x, y } = jwk as { kty: string; crv: string; x: string; y?: string };
  const key = createPublicKey({
    key: { kty, crv, x, ...(y === undefined ? {} : { y }) } as JsonWebKey,
    format: 'jwk',
  });
  const hash = HASH[alg];
  if (hash === undefined) throw new Error(`unsupported alg ${alg}`);
  return nodeVerify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
}

export function digestNode(algorithm: string, bytes: Uint8Array): Uint8Array {
  return new Uint8Array(createHash(algorithm.replace('-', '').toLowerCase()).update(bytes).digest());
}

/** Values of `field` (C, ST, CN …) in the certificate's **issuer** name, as the peers' interface is named. */
export function issuerNameField(certificate: Uint8Array, field: string): string[] {
  return new X509Certificate(certificate).issuer
    .split('\n')
    .map((l) => l.split('='))
    .filter(([k]) => k === field)
    .map(([, v]) => v ?? '');
}

export function certificateJwk(certificate: Uint8Array): Record<string, unknown> {
  return new X509Certificate(certificate).publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
}

/** One-level chain check (DS directly under a trusted IACA), signature and validity at `now`. */
export function checkChain(
  trusted: readonly Uint8Array[],
  x5chain: readonly Uint8Array[],
  now: Date = new Date(),
): void {
  const leaf = new X509Certificate(x5chain[0]!);
  const inRange = (c: X509Certificate) => new Date(c.validFrom) <= now && now <= new Date(c.validTo);
  if (!inRange(leaf)) throw new Error('leaf certificate not valid now');
  const ok = trusted.some((t) => {
    const root = new X509Certificate(t);
    return leaf.checkIssued(root) && leaf.verify(root.publicKey) && inRange(root);
  });
  if (!ok) throw new Error('no trusted issuer for the leaf certificate');
}

/** The certificate facts the peers' `getCertificateData` returns. */
export interface CertificateData {
  issuerName: string;
  subjectName: string;
  serialNumber: string;
  thumbprint: string;
  notBefore: Date;
  notAfter: Date;
  pem: string;
}

export function certificateData(certificate: Uint8Array): CertificateData {
  const c = new X509Certificate(certificate);
  return {
    issuerName: c.issuer,
    subjectName: c.subject,
    serialNumber: c.serialNumber,
    thumbprint: c.fingerprint256,
    notBefore: new Date(c.validFrom),
    notAfter: new Date(c.validTo),
    pem: c.toString(),
  };
}

import { createHash, X509Certificate } from 'node:crypto';

/**
 * Certificate helpers for the peers' pluggable contexts (`@animo-id/mdoc`, `@owf/mdoc`), on
 * node:crypto's `X509Certificate`. The peers' own test contexts use @peculiar/x509 + jose; these
 * do the same jobs with OpenSSL, which is faster, so the peer figures are if anything flattering.
 * Like those contexts, every call parses the certificate it is given.
 */
export function x509(der: Uint8Array): X509Certificate {
  return new X509Certificate(der);
}

/** Values of one attribute (`C`, `ST`, `CN`, …) of the certificate's issuer name. */
export function issuerNameField(der: Uint8Array, field: string): string[] {
  return x509(der)
    .issuer.split('\n')
    .filter((line) => line.startsWith(`${field}=`))
    .map((line) => line.slice(field.length + 1));
}

/** The certificate's public key as a JWK. */
export function certificateJwk(der: Uint8Array): Record<string, unknown> {
  return x509(der).publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
}

/**
 * Checks that `chain[0]` (the DS) was issued and signed by one of the trusted certificates and
 * that both are valid at `now`. Throws otherwise.
 */
export function validateChain(trusted: readonly Uint8Array[], chain: readonly Uint8Array[], now: Date): void {
  const leafDer = chain[0];
  if (leafDer === undefined) throw new Error('empty x5chain');
  const leaf = x509(leafDer);
  const t = now.getTime();
  const valid = (c: X509Certificate) => Date.parse(c.validFrom) <= t && t <= Date.parse(c.validTo);
  for (const der of trusted) {
    const anchor = x509(der);
    if (leaf.checkIssued(anchor) && leaf.verify(anchor.publicKey)) {
      if (!valid(leaf) || !valid(anchor)) throw new Error('certificate not valid now');
      return;
    }
  }
  throw new Error('no trusted certificate issued the DS certificate');
}

/** The metadata both peers ask for. */
export function certificateData(der: Uint8Array): {
  issuerName: string;
  subjectName: string;
  serialNumber: string;
  thumbprint: string;
  notBefore: Date;
  notAfter: Date;
  pem: string;
} {
  const c = x509(der);
  return {
    issuerName: c.issuer.split('\n').join(', '),
    subjectName: c.subject.split('\n').join(', '),
    serialNumber: c.serialNumber,
    thumbprint: createHash('sha256').update(der).digest('hex'),
    notBefore: new Date(c.validFrom),
    notAfter: new Date(c.validTo),
    pem: c.toString(),
  };
}

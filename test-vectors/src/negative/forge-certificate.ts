import { type AnyCoseSigner, ecdsaRawToDer, signWithPort } from '@mdlkit/core/crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, type TBSCertificate } from '@peculiar/asn1-x509';

/**
 * Re-issues a valid certificate with a mutated TBSCertificate, signed again by `issuerSigner`.
 * The negative catalogue uses it for certificates our pki builders refuse to produce (wrong EKU,
 * CA:TRUE DS, country / state mismatches, validity outside the IACA's). Test tooling only.
 */
export async function reissueCertificate(
  der: Uint8Array,
  issuerSigner: AnyCoseSigner,
  mutate: (tbs: TBSCertificate) => void,
): Promise<Uint8Array> {
  const cert = AsnConvert.parse(der, Certificate);
  mutate(cert.tbsCertificate);
  delete cert.tbsCertificateRaw;
  const tbsDer = new Uint8Array(AsnConvert.serialize(cert.tbsCertificate));
  const raw = await signWithPort(issuerSigner, tbsDer);
  const sig = ecdsaRawToDer(raw);
  cert.signatureValue = sig.buffer.slice(sig.byteOffset, sig.byteOffset + sig.byteLength) as ArrayBuffer;
  return new Uint8Array(AsnConvert.serialize(cert));
}

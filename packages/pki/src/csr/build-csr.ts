import type { AnyCoseSigner } from '@mdlkit/core/crypto';
import { MdlError } from '@mdlkit/core/errors';
import { Attributes, CertificationRequest, CertificationRequestInfo } from '@peculiar/asn1-csr';
import { AlgorithmIdentifier, Name, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { encodeName, type NameInput } from '../certificate/names.js';
import {
  type DistinguishedName,
  decodeName,
  decodePublicKeyInfo,
  type PublicKeyInfo,
} from '../certificate/parse-certificate.js';
import { toArrayBuffer, toBytes } from '../internal/bytes.js';
import { publicKeyFromSpki, signatureOidForSigner, signDer, verifyDerSignature } from '../internal/crypto.js';
import { isSignedDer, parseDer, serializeDer } from '../internal/der.js';

/** Options for {@link buildCsr}. */
export interface BuildCsrOptions {
  /** Subject name (encoded as {@link encodeName} does) or a DER `Name` used as-is. */
  readonly subject: NameInput | Uint8Array;
  /** The key's DER SubjectPublicKeyInfo (for AWS KMS: the `GetPublicKey` output). */
  readonly publicKey: Uint8Array;
  /** Signs with the matching private key: a local key, a KMS digest signer, an HSM. ECDSA only. */
  readonly signer: AnyCoseSigner;
}

/**
 * Build a PKCS#10 certificate signing request (RFC 2986) and sign it through a signer port — the
 * step the AWS mDL flow needed a separate Java utility for: the DS key stays in KMS and only the
 * signature over `CertificationRequestInfo` is requested.
 *
 * ```asn1
 * CertificationRequest ::= SEQUENCE {
 *   certificationRequestInfo CertificationRequestInfo,
 *   signatureAlgorithm AlgorithmIdentifier,
 *   signature BIT STRING }
 * ```
 *
 * @example
 * ```ts
 * const csr = await buildCsr({ subject: { country: 'US', commonName: 'DS 1' }, publicKey: kmsSpki, signer: kmsSigner });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT` (bad subject / key), `ERR_NOT_SUPPORTED` (EdDSA signer),
 * or the signer's `ERR_SIGNER_*` code.
 */
export async function buildCsr(options: BuildCsrOptions): Promise<Uint8Array> {
  const subjectDer = options.subject instanceof Uint8Array ? options.subject : encodeName(options.subject);
  if (!(options.publicKey instanceof Uint8Array)) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'publicKey (DER SubjectPublicKeyInfo) is required');
  }
  const sigOid = signatureOidForSigner(options.signer);
  const info = new CertificationRequestInfo({
    version: 0,
    subject: parseDer(subjectDer, Name, 'ERR_INVALID_ARGUMENT', 'subject Name'),
    subjectPKInfo: parseDer(
      options.publicKey,
      SubjectPublicKeyInfo,
      'ERR_INVALID_ARGUMENT',
      'publicKey (SPKI)',
    ),
    attributes: new Attributes(),
  });
  const infoDer = serializeDer(info);
  const signature = await signDer(options.signer, infoDer);
  return serializeDer(
    new CertificationRequest({
      certificationRequestInfo: info,
      signatureAlgorithm: new AlgorithmIdentifier({ algorithm: sigOid }),
      signature: toArrayBuffer(signature),
    }),
  );
}

/** A parsed and signature-checked CSR. */
export interface ParsedCsr {
  readonly subject: DistinguishedName;
  readonly publicKeyInfo: PublicKeyInfo;
  /** True when the CSR's self-signature verifies with its own key. */
  readonly signatureValid: boolean;
}

/**
 * Parse a PKCS#10 CSR and verify its self-signature (ECDSA).
 *
 * @example
 * ```ts
 * const { subject, signatureValid } = await parseCsr(csrDer);
 * ```
 * @throws {@link MdlError} `ERR_X509_MALFORMED` when the bytes are not a DER CSR.
 */
export async function parseCsr(der: Uint8Array): Promise<ParsedCsr> {
  const csr = parseDer(der, CertificationRequest, 'ERR_X509_MALFORMED', 'CertificationRequest');
  const infoRaw = csr.certificationRequestInfoRaw;
  if (infoRaw === undefined) throw new MdlError('ERR_X509_MALFORMED', 'CSR: request info bytes unavailable');
  if (!isSignedDer(der, toBytes(infoRaw), serializeDer(csr.signatureAlgorithm))) {
    throw new MdlError('ERR_X509_MALFORMED', 'CSR: outer structure is not DER');
  }
  const subject = decodeName(serializeDer(csr.certificationRequestInfo.subject));
  const publicKeyInfo = decodePublicKeyInfo(serializeDer(csr.certificationRequestInfo.subjectPKInfo));
  let signatureValid = false;
  try {
    const key = publicKeyFromSpki(publicKeyInfo.spki, `csr:${publicKeyInfo.spki.join(',')}`);
    signatureValid = await verifyDerSignature(
      key,
      csr.signatureAlgorithm.algorithm,
      toBytes(infoRaw),
      toBytes(csr.signature),
    );
  } catch {
    signatureValid = false;
  }
  return { subject, publicKeyInfo, signatureValid };
}

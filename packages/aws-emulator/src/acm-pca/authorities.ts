import { randomUUID, webcrypto } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { BasicConstraints, Certificate } from '@peculiar/asn1-x509';
import type { Operation, OperationContext } from '../context.js';
import { AwsError } from '../errors.js';
import {
  type Input,
  optEnum,
  optInt,
  optObject,
  optString,
  reqBlob,
  reqEnum,
  reqObject,
  reqString,
  timestamp,
} from '../internal/input.js';
import {
  type Extension,
  Pkcs10CertificateRequestGenerator,
  X509Certificate,
  Name as X509Name,
} from '../internal/x509.js';
import { keyUsage as keyUsageExtension } from './extensions.js';
import { idempotencyToken, remember, rememberedArn } from './idempotency.js';
import { nameDer, subjectToName } from './names.js';
import type { CaStatus, PcaAuthority } from './state.js';

const crypto = webcrypto as unknown as Crypto;

/** Signing algorithm → WebCrypto ECDSA hash. */
export const ECDSA_HASH: Readonly<Record<string, string>> = {
  SHA256WITHECDSA: 'SHA-256',
  SHA384WITHECDSA: 'SHA-384',
  SHA512WITHECDSA: 'SHA-512',
};

const SIGNING_ALGORITHMS = [
  'SHA256WITHECDSA',
  'SHA384WITHECDSA',
  'SHA512WITHECDSA',
  'SHA256WITHRSA',
  'SHA384WITHRSA',
  'SHA512WITHRSA',
] as const;

/** Every `SigningAlgorithm` value. */
export const ALL_PCA_SIGNING_ALGORITHMS: readonly string[] = SIGNING_ALGORITHMS;

const CA_ARN = /^arn:aws(-[a-z]+)*:acm-pca:[a-z0-9-]+:\d{12}:certificate-authority\/[0-9a-f-]{36}$/;

/**
 * Finds a CA by ARN.
 * @throws {AwsError} `InvalidArnException` (malformed), `ResourceNotFoundException` (unknown).
 */
export function findAuthority(context: OperationContext, arn: string): PcaAuthority {
  if (!CA_ARN.test(arn)) throw new AwsError('InvalidArnException', `The ARN ${arn} is not valid.`);
  const authority = context.state.pca.authorities.get(arn);
  if (authority === undefined) {
    throw new AwsError('ResourceNotFoundException', `Could not find certificate authority ${arn}.`);
  }
  pollCreation(authority, context);
  return authority;
}

function pollCreation(authority: PcaAuthority, context: OperationContext): void {
  if (authority.status !== 'CREATING') return;
  if (authority.csrPendingPolls > 0) {
    authority.csrPendingPolls -= 1;
    return;
  }
  setStatus(authority, 'PENDING_CERTIFICATE', context);
}

/** Changes a CA's status and its `LastStateChangeAt`. */
export function setStatus(authority: PcaAuthority, status: CaStatus, context: OperationContext): void {
  authority.status = status;
  authority.lastStateChangeAt = context.now();
}

function checkRevocationConfiguration(context: OperationContext, config: Input | undefined): void {
  const crl = config?.CrlConfiguration as Input | undefined;
  if (crl !== undefined && crl !== null) {
    if (typeof crl.Enabled !== 'boolean') {
      throw new AwsError('InvalidArgsException', 'CrlConfiguration.Enabled must be specified');
    }
    const acl = optEnum(crl, 'S3ObjectAcl', ['PUBLIC_READ', 'BUCKET_OWNER_FULL_CONTROL'] as const);
    const bucket = optString(crl, 'S3BucketName');
    // AWS writes the CRL with S3ObjectAcl (default PUBLIC_READ) when the configuration is set; a
    // bucket under S3 Block Public Access refuses the public ACL and CA creation fails.
    if (
      crl.Enabled === true &&
      bucket !== undefined &&
      (acl ?? 'PUBLIC_READ') === 'PUBLIC_READ' &&
      !context.publicAclBuckets.has(bucket)
    ) {
      throw new AwsError(
        'ValidationException',
        `Permission error with your S3 bucket '${bucket}'. Check that your bucket policy, encryption settings, S3 Block Public Access settings, and global account permissions are configured correctly. For more information, check the service documentation.`,
      );
    }
    const days = crl.ExpirationInDays;
    if (days !== undefined && (typeof days !== 'number' || days < 1 || days > 5000)) {
      throw new AwsError(
        'InvalidArgsException',
        'CrlConfiguration.ExpirationInDays must be between 1 and 5000',
      );
    }
  }
  const ocsp = config?.OcspConfiguration as Input | undefined;
  if (ocsp !== undefined && ocsp !== null && typeof ocsp.Enabled !== 'boolean') {
    throw new AwsError('InvalidArgsException', 'OcspConfiguration.Enabled must be specified');
  }
}

function tagsOf(input: Input): { Key: string; Value?: string }[] {
  const tags = input.Tags;
  if (tags === undefined || tags === null) return [];
  if (!Array.isArray(tags) || tags.length > 50) {
    throw new AwsError('InvalidTagException', 'Tags must be a list of at most 50 tags.');
  }
  return tags.map((tag: unknown) => {
    const t = tag as Input;
    if (typeof t?.Key !== 'string' || t.Key.length === 0 || t.Key.length > 128) {
      throw new AwsError('InvalidTagException', 'Each tag needs a Key of 1..128 characters.');
    }
    if (t.Value !== undefined && (typeof t.Value !== 'string' || t.Value.length > 256)) {
      throw new AwsError('InvalidTagException', 'A tag Value has at most 256 characters.');
    }
    return t.Value === undefined ? { Key: t.Key } : { Key: t.Key, Value: t.Value };
  });
}

const CA_CURVES = { EC_prime256v1: 'P-256', EC_secp384r1: 'P-384', EC_secp521r1: 'P-521' } as const;

/**
 * `CreateCertificateAuthority`: EC_prime256v1 / EC_secp384r1 / EC_secp521r1 keys with an ECDSA
 * signing algorithm; returns the ARN at once, the CA goes CREATING → PENDING_CERTIFICATE. The same
 * `IdempotencyToken` within five minutes returns the first call's ARN and creates nothing.
 */
export const createCertificateAuthority: Operation = async (context, input) => {
  const token = idempotencyToken(input);
  const tokenKey = token === undefined ? undefined : `CreateCertificateAuthority:${token}`;
  const tags = tagsOf(input);
  const configuration = reqObject(input, 'CertificateAuthorityConfiguration');
  const type = reqEnum(input, 'CertificateAuthorityType', ['ROOT', 'SUBORDINATE'] as const);
  const revocationConfiguration = optObject(input, 'RevocationConfiguration');
  const keyAlgorithm = reqEnum(configuration, 'KeyAlgorithm', [
    'EC_prime256v1',
    'EC_secp384r1',
    'EC_secp521r1',
    'RSA_2048',
    'RSA_4096',
  ] as const);
  const signingAlgorithm = reqEnum(configuration, 'SigningAlgorithm', SIGNING_ALGORITHMS);
  const subject = reqObject(configuration, 'Subject');
  const usageMode = optEnum(input, 'UsageMode', ['GENERAL_PURPOSE', 'SHORT_LIVED_CERTIFICATE'] as const);
  const storage = optString(input, 'KeyStorageSecurityStandard');
  if (keyAlgorithm === 'RSA_2048' || keyAlgorithm === 'RSA_4096') {
    throw new AwsError(
      'InvalidArgsException',
      `KeyAlgorithm ${keyAlgorithm} is not supported by the emulator.`,
    );
  }
  const hash = ECDSA_HASH[signingAlgorithm];
  if (hash === undefined) {
    throw new AwsError(
      'InvalidArgsException',
      `The signing algorithm ${signingAlgorithm} is not compatible with the key algorithm ${keyAlgorithm}.`,
    );
  }
  const name = subjectToName(subject, 'Subject');
  checkRevocationConfiguration(context, revocationConfiguration);
  const earlier = rememberedArn(context, tokenKey);
  if (earlier !== undefined) return { CertificateAuthorityArn: earlier };
  const id = randomUUID();
  const arn = `arn:aws:acm-pca:${context.region}:${context.accountId}:certificate-authority/${id}`;
  // remembered before the key is generated, so a concurrent call with the same token creates nothing
  remember(context, tokenKey, arn);
  const csrExtensions = optObject(configuration, 'CsrExtensions');
  const extensions: Extension[] = [];
  const usage = csrExtensions?.KeyUsage as Input | undefined;
  if (usage !== undefined && usage !== null) {
    const bits: Record<string, number> = {
      DigitalSignature: 1,
      NonRepudiation: 2,
      KeyEncipherment: 4,
      DataEncipherment: 8,
      KeyAgreement: 16,
      KeyCertSign: 32,
      CRLSign: 64,
      EncipherOnly: 128,
      DecipherOnly: 256,
    };
    let flags = 0;
    for (const [member, bit] of Object.entries(bits)) if (usage[member] === true) flags |= bit;
    if (flags !== 0) extensions.push(keyUsageExtension(flags));
  }

  const keys = (await crypto.subtle.generateKey(
    { name: 'ECDSA', namedCurve: CA_CURVES[keyAlgorithm] },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  const csr = await Pkcs10CertificateRequestGenerator.create(
    {
      name: new X509Name(nameDer(name)),
      keys,
      signingAlgorithm: { name: 'ECDSA', hash },
      extensions,
    },
    crypto,
  );
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keys.publicKey));
  const now = context.now();
  const authority: PcaAuthority = {
    arn,
    id,
    type,
    createdAt: now,
    keyAlgorithm,
    signingAlgorithm,
    configuration,
    revocationConfiguration,
    usageMode: usageMode ?? 'GENERAL_PURPOSE',
    keyStorageSecurityStandard: storage ?? 'FIPS_140_2_LEVEL_3_OR_HIGHER',
    keys,
    spki,
    csrPem: csr.toString('pem'),
    status: 'CREATING',
    lastStateChangeAt: now,
    csrPendingPolls: context.pcaTiming.csrPendingPolls,
    certificates: new Map(),
    tags,
  };
  context.state.pca.authorities.set(arn, authority);
  return { CertificateAuthorityArn: arn };
};

function describe(context: OperationContext, authority: PcaAuthority): Input {
  const out: Input = {
    Arn: authority.arn,
    OwnerAccount: context.accountId,
    CreatedAt: timestamp(authority.createdAt),
    LastStateChangeAt: timestamp(authority.lastStateChangeAt),
    Type: authority.type,
    Status: authority.status,
    CertificateAuthorityConfiguration: authority.configuration,
    KeyStorageSecurityStandard: authority.keyStorageSecurityStandard,
    UsageMode: authority.usageMode,
  };
  if (authority.revocationConfiguration !== undefined) {
    out.RevocationConfiguration = authority.revocationConfiguration;
  }
  if (authority.certificate !== undefined) {
    out.Serial = authority.certificate.serialNumber;
    out.NotBefore = timestamp(authority.certificate.notBefore);
    out.NotAfter = timestamp(authority.certificate.notAfter);
  }
  return out;
}

/** `DescribeCertificateAuthority` (each call is also a creation poll). */
export const describeCertificateAuthority: Operation = (context, input) => {
  const authority = findAuthority(context, reqString(input, 'CertificateAuthorityArn'));
  return { CertificateAuthority: describe(context, authority) };
};

/** `ListCertificateAuthorities` (one page; `MaxResults` honoured). */
export const listCertificateAuthorities: Operation = (context, input) => {
  const max = optInt(input, 'MaxResults') ?? 1000;
  const all = [...context.state.pca.authorities.values()];
  return { CertificateAuthorities: all.slice(0, max).map((authority) => describe(context, authority)) };
};

/** `GetCertificateAuthorityCsr`: `RequestInProgressException` while the CA is still CREATING. */
export const getCertificateAuthorityCsr: Operation = (context, input) => {
  const authority = findAuthority(context, reqString(input, 'CertificateAuthorityArn'));
  if (authority.status === 'CREATING') {
    throw new AwsError('RequestInProgressException', 'The CSR is being generated. Try again later.');
  }
  if (authority.status === 'DELETED' || authority.status === 'FAILED') {
    throw new AwsError(
      'InvalidStateException',
      `The certificate authority is in the ${authority.status} state.`,
    );
  }
  return { Csr: authority.csrPem };
};

/** Parses one PEM (or DER) certificate; `MalformedCertificateException` otherwise. */
export function parseCertificate(bytes: Uint8Array, member: string): X509Certificate {
  try {
    const text = Buffer.from(bytes).toString('utf8');
    return text.includes('-----BEGIN')
      ? new X509Certificate(text)
      : new X509Certificate(new Uint8Array(bytes));
  } catch {
    throw new AwsError('MalformedCertificateException', `The ${member} could not be parsed.`);
  }
}

function splitPem(bytes: Uint8Array, member: string): X509Certificate[] {
  const text = Buffer.from(bytes).toString('utf8');
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (blocks === null)
    throw new AwsError('MalformedCertificateException', `The ${member} could not be parsed.`);
  return blocks.map((block) => parseCertificate(new TextEncoder().encode(block), member));
}

function isCa(certificate: X509Certificate): boolean {
  const parsed = AsnConvert.parse(certificate.rawData, Certificate);
  const extension = parsed.tbsCertificate.extensions?.find((e) => e.extnID === '2.5.29.19');
  if (extension === undefined) return false;
  return AsnConvert.parse(extension.extnValue.buffer, BasicConstraints).cA;
}

/**
 * `ImportCertificateAuthorityCertificate`: the certificate's key must be the CA key
 * (`CertificateMismatchException`), a root must be self-signed, a subordinate's certificate must be
 * signed by the first chain certificate; the CA becomes ACTIVE.
 */
export const importCertificateAuthorityCertificate: Operation = async (context, input) => {
  const authority = findAuthority(context, reqString(input, 'CertificateAuthorityArn'));
  const certificateBytes = reqBlob(input, 'Certificate', { max: 32768 });
  const chainBytes =
    input.CertificateChain === undefined ? undefined : reqBlob(input, 'CertificateChain', { max: 2097152 });
  if (authority.status !== 'PENDING_CERTIFICATE' && authority.status !== 'ACTIVE') {
    throw new AwsError(
      'InvalidStateException',
      `The certificate authority is in the ${authority.status} state.`,
    );
  }
  const certificate = parseCertificate(certificateBytes, 'certificate');
  const certificateSpki = new Uint8Array(certificate.publicKey.rawData);
  if (Buffer.compare(Buffer.from(certificateSpki), Buffer.from(authority.spki)) !== 0) {
    throw new AwsError(
      'CertificateMismatchException',
      'The certificate does not match the public key of the certificate authority.',
    );
  }
  if (!isCa(certificate)) {
    throw new AwsError(
      'InvalidRequestException',
      'The certificate is not a CA certificate (BasicConstraints CA:TRUE).',
    );
  }
  let chainPem: string | undefined;
  if (authority.type === 'ROOT') {
    const selfSigned = await certificate.verify(
      { publicKey: certificate.publicKey, signatureOnly: true },
      crypto,
    );
    if (!selfSigned) {
      throw new AwsError(
        'CertificateMismatchException',
        'A root CA certificate must be self-signed by the CA key.',
      );
    }
  } else {
    if (chainBytes === undefined) {
      throw new AwsError('ValidationException', 'A certificate chain is required for a subordinate CA.');
    }
    const chain = splitPem(chainBytes, 'certificate chain');
    const issuer = chain[0]!;
    const signed = await certificate.verify({ publicKey: issuer.publicKey, signatureOnly: true }, crypto);
    if (!signed) {
      throw new AwsError(
        'CertificateMismatchException',
        'The certificate is not signed by the first certificate of the chain.',
      );
    }
    chainPem = chain.map((c) => c.toString('pem')).join('\n');
  }
  authority.certificate = certificate;
  authority.certificatePem = certificate.toString('pem');
  if (chainPem === undefined) delete authority.chainPem;
  else authority.chainPem = chainPem;
  setStatus(authority, 'ACTIVE', context);
  return {};
};

/** `GetCertificateAuthorityCertificate`: the CA certificate (and chain for a subordinate). */
export const getCertificateAuthorityCertificate: Operation = (context, input) => {
  const authority = findAuthority(context, reqString(input, 'CertificateAuthorityArn'));
  if (authority.certificatePem === undefined) {
    throw new AwsError(
      'InvalidStateException',
      `The certificate authority is in the ${authority.status} state.`,
    );
  }
  return {
    Certificate: authority.certificatePem,
    ...(authority.chainPem === undefined ? {} : { CertificateChain: authority.chainPem }),
  };
};

/** `UpdateCertificateAuthority`: `Status` ACTIVE ↔ DISABLED and the revocation configuration. */
export const updateCertificateAuthority: Operation = (context, input) => {
  const authority = findAuthority(context, reqString(input, 'CertificateAuthorityArn'));
  const status = optEnum(input, 'Status', ['ACTIVE', 'DISABLED'] as const);
  const revocation = optObject(input, 'RevocationConfiguration');
  if (status !== undefined) {
    if (authority.status !== 'ACTIVE' && authority.status !== 'DISABLED') {
      throw new AwsError(
        'InvalidStateException',
        `The certificate authority is in the ${authority.status} state.`,
      );
    }
    setStatus(authority, status, context);
  }
  if (revocation !== undefined) {
    checkRevocationConfiguration(context, revocation);
    authority.revocationConfiguration = revocation;
  }
  return {};
};

/** `DeleteCertificateAuthority`: an ACTIVE CA must be disabled first (`InvalidStateException`). */
export const deleteCertificateAuthority: Operation = (context, input) => {
  const authority = findAuthority(context, reqString(input, 'CertificateAuthorityArn'));
  const days = optInt(input, 'PermanentDeletionTimeInDays') ?? 30;
  if (days < 7 || days > 30) {
    throw new AwsError('ValidationException', 'PermanentDeletionTimeInDays must be between 7 and 30.');
  }
  if (authority.status === 'ACTIVE') {
    throw new AwsError('InvalidStateException', 'Disable the certificate authority before deleting it.');
  }
  setStatus(authority, 'DELETED', context);
  return {};
};

/** PEM of a CSR blob (the SDK sends the PEM text as a base64 blob). */
export function csrBlobText(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

import { execFileSync } from 'node:child_process';
import {
  createHash,
  createPublicKey,
  KeyObject,
  X509Certificate as NodeX509Certificate,
  webcrypto,
} from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ACMPCAClient,
  CertificateMismatchException,
  CreateCertificateAuthorityCommand,
  DescribeCertificateAuthorityCommand,
  GetCertificateAuthorityCertificateCommand,
  GetCertificateAuthorityCsrCommand,
  GetCertificateCommand,
  ImportCertificateAuthorityCertificateCommand,
  InvalidArgsException,
  InvalidStateException,
  IssueCertificateCommand,
  type IssueCertificateCommandInput,
  MalformedCSRException,
  RequestAlreadyProcessedException,
  RequestInProgressException,
  ResourceNotFoundException,
  RevokeCertificateCommand,
  UpdateCertificateAuthorityCommand,
} from '@aws-sdk/client-acm-pca';
import { CreateKeyCommand, GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { CertificationRequest, CertificationRequestInfo } from '@peculiar/asn1-csr';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  Name,
  RelativeDistinguishedName,
  SubjectPublicKeyInfo,
} from '@peculiar/asn1-x509';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import {
  Pkcs10CertificateRequest,
  Pkcs10CertificateRequestGenerator,
  X509Certificate,
} from '../src/internal/x509.js';
import { errorOf, kmsClient, pcaClient } from './helpers.js';

const ROOT_TEMPLATE = 'arn:aws:acm-pca:::template/BlankRootCACertificate_PathLen0_APIPassthrough/V1';
const EE_TEMPLATE = 'arn:aws:acm-pca:::template/BlankEndEntityCertificate_APIPassthrough/V1';
const MDL_DS_EKU = '1.0.18013.5.1.2';
// CRLDistributionPoints value: one full-name URI http://crl.example/iaca.crl
const CRL_DP_DER = (() => {
  const uri = Buffer.from('http://crl.example/iaca.crl');
  const gn = Buffer.concat([Buffer.from([0x86, uri.length]), uri]);
  const fullName = Buffer.concat([Buffer.from([0xa0, gn.length]), gn]);
  const dpName = Buffer.concat([Buffer.from([0xa0, fullName.length]), fullName]);
  const dp = Buffer.concat([Buffer.from([0x30, dpName.length]), dpName]);
  return Buffer.concat([Buffer.from([0x30, dp.length]), dp]);
})();

let emulator: Emulator;
let pca: ACMPCAClient;
let kms: KMSClient;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ pca: { csrPendingPolls: 2, certificatePendingPolls: 1 } });
  pca = pcaClient(emulator);
  kms = kmsClient(emulator);
  dir = mkdtempSync(join(tmpdir(), 'mdlkit-emulator-'));
});
afterAll(async () => {
  pca.destroy();
  kms.destroy();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function poll<T>(action: () => Promise<T>): Promise<{ value: T; inProgress: number }> {
  let inProgress = 0;
  for (;;) {
    try {
      return { value: await action(), inProgress };
    } catch (error) {
      if (!(error instanceof RequestInProgressException) || inProgress > 10) throw error;
      inProgress += 1;
    }
  }
}

async function createRootCa(
  subject = { Country: 'US', CommonName: 'Utopia IACA' },
  templateArn = ROOT_TEMPLATE,
): Promise<{ arn: string; pem: string }> {
  const created = await pca.send(
    new CreateCertificateAuthorityCommand({
      CertificateAuthorityType: 'ROOT',
      CertificateAuthorityConfiguration: {
        KeyAlgorithm: 'EC_prime256v1',
        SigningAlgorithm: 'SHA256WITHECDSA',
        Subject: subject,
      },
      RevocationConfiguration: {
        CrlConfiguration: {
          Enabled: true,
          S3BucketName: 'utopia-crl',
          ExpirationInDays: 7,
          S3ObjectAcl: 'BUCKET_OWNER_FULL_CONTROL',
        },
      },
    }),
  );
  const arn = created.CertificateAuthorityArn!;
  const csr = await poll(() =>
    pca.send(new GetCertificateAuthorityCsrCommand({ CertificateAuthorityArn: arn })),
  );
  const issued = await pca.send(
    new IssueCertificateCommand({
      CertificateAuthorityArn: arn,
      Csr: new TextEncoder().encode(csr.value.Csr!),
      SigningAlgorithm: 'SHA256WITHECDSA',
      TemplateArn: templateArn,
      Validity: { Type: 'DAYS', Value: 3285 },
      ApiPassthrough: {
        Extensions: {
          KeyUsage: { KeyCertSign: true, CRLSign: true },
          CustomExtensions: [{ ObjectIdentifier: '2.5.29.31', Value: CRL_DP_DER.toString('base64') }],
        },
      },
    }),
  );
  const certificate = await poll(() =>
    pca.send(
      new GetCertificateCommand({ CertificateAuthorityArn: arn, CertificateArn: issued.CertificateArn! }),
    ),
  );
  const pem = certificate.value.Certificate!;
  await pca.send(
    new ImportCertificateAuthorityCertificateCommand({
      CertificateAuthorityArn: arn,
      Certificate: new TextEncoder().encode(pem),
    }),
  );
  return { arn, pem };
}

function pemOf(label: string, der: ArrayBuffer | Uint8Array): string {
  const b64 = Buffer.from(der as ArrayBuffer)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trim();
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** A CSR for a KMS key, signed by KMS in DIGEST mode (the DS flow). */
async function kmsCsr(keyId: string, commonName: string): Promise<string> {
  const publicKey = await kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
  const info = new CertificationRequestInfo({
    subject: new Name([
      new RelativeDistinguishedName([
        new AttributeTypeAndValue({ type: '2.5.4.6', value: new AttributeValue({ printableString: 'US' }) }),
      ]),
      new RelativeDistinguishedName([
        new AttributeTypeAndValue({ type: '2.5.4.3', value: new AttributeValue({ utf8String: commonName }) }),
      ]),
    ]),
    subjectPKInfo: AsnConvert.parse(publicKey.PublicKey!, SubjectPublicKeyInfo),
  });
  const tbs = AsnConvert.serialize(info);
  const signed = await kms.send(
    new SignCommand({
      KeyId: keyId,
      Message: createHash('sha256').update(new Uint8Array(tbs)).digest(),
      MessageType: 'DIGEST',
      SigningAlgorithm: 'ECDSA_SHA_256',
    }),
  );
  const request = new CertificationRequest({
    certificationRequestInfo: info,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: '1.2.840.10045.4.3.2' }),
    signature: new Uint8Array(signed.Signature!).buffer,
  });
  return pemOf('CERTIFICATE REQUEST', AsnConvert.serialize(request));
}

describe('ACM-PCA IACA root flow (blank root PathLen0 passthrough)', () => {
  it('creates, polls, issues, imports; openssl accepts the root and its extensions', async () => {
    const { arn, pem } = await createRootCa();
    const described = await pca.send(
      new DescribeCertificateAuthorityCommand({ CertificateAuthorityArn: arn }),
    );
    expect(described.CertificateAuthority?.Status).toBe('ACTIVE');
    expect(described.CertificateAuthority?.Type).toBe('ROOT');
    expect(described.CertificateAuthority?.NotAfter).toBeInstanceOf(Date);
    const file = write('root.pem', pem);
    const text = openssl('x509', '-in', file, '-noout', '-text');
    expect(text).toMatch(/Signature Algorithm: ecdsa-with-SHA256/);
    expect(text).toMatch(/Issuer: C ?= ?US, CN ?= ?Utopia IACA/);
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(text).toMatch(/X509v3 Subject Key Identifier/);
    expect(text).toMatch(/URI:http:\/\/crl\.example\/iaca\.crl/);
    expect(text).not.toMatch(/Authority Key Identifier/);
    expect(openssl('verify', '-CAfile', file, file)).toMatch(/OK/);
    const days = (new X509Certificate(pem).notAfter.getTime() - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(3285);

    const caCert = await pca.send(
      new GetCertificateAuthorityCertificateCommand({ CertificateAuthorityArn: arn }),
    );
    expect(caCert.Certificate).toBe(pem);
    expect(caCert.CertificateChain).toBeUndefined();
  });

  it('counts the asynchronous polls (RequestInProgressException) on the CSR and the certificate', async () => {
    const before = emulator.faults.calls.snapshot();
    await createRootCa({ Country: 'US', CommonName: 'Polled IACA' });
    const after = emulator.faults.calls.snapshot();
    expect((after.GetCertificateAuthorityCsr ?? 0) - (before.GetCertificateAuthorityCsr ?? 0)).toBe(3);
    expect((after.GetCertificate ?? 0) - (before.GetCertificate ?? 0)).toBe(2);
  });
});

describe('ACM-PCA document signer issuance (KMS key, KMS-signed CSR)', () => {
  it('issues a DS certificate with KU digitalSignature and EKU 1.0.18013.5.1.2 that openssl verifies', async () => {
    const root = await createRootCa({ Country: 'US', CommonName: 'DS Issuing IACA' });
    const key = await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
    const csr = await kmsCsr(key.KeyMetadata!.KeyId!, 'Utopia DS');
    write('ds.csr', csr);
    expect(openssl('req', '-in', join(dir, 'ds.csr'), '-noout', '-verify').length).toBeGreaterThanOrEqual(0);
    const issued = await pca.send(
      new IssueCertificateCommand({
        CertificateAuthorityArn: root.arn,
        Csr: new TextEncoder().encode(csr),
        SigningAlgorithm: 'SHA256WITHECDSA',
        TemplateArn: EE_TEMPLATE,
        Validity: { Type: 'DAYS', Value: 457 },
        ApiPassthrough: {
          Extensions: {
            KeyUsage: { DigitalSignature: true },
            ExtendedKeyUsage: [{ ExtendedKeyUsageObjectIdentifier: MDL_DS_EKU }],
            CustomExtensions: [
              // issuerAltName: URI https://dmv.example
              {
                ObjectIdentifier: '2.5.29.18',
                Value: Buffer.from('3015861368747470733a2f2f646d762e6578616d706c65', 'hex').toString(
                  'base64',
                ),
              },
            ],
          },
        },
      }),
    );
    expect(issued.CertificateArn).toMatch(new RegExp(`^${root.arn}/certificate/[0-9a-f]{32}$`));
    const got = await poll(() =>
      pca.send(
        new GetCertificateCommand({
          CertificateAuthorityArn: root.arn,
          CertificateArn: issued.CertificateArn!,
        }),
      ),
    );
    expect(got.inProgress).toBe(1);
    expect(got.value.CertificateChain).toBe(root.pem);
    const dsFile = write('ds.pem', got.value.Certificate!);
    const rootFile = write('ds-root.pem', root.pem);
    const text = openssl('x509', '-in', dsFile, '-noout', '-text');
    expect(text).toMatch(/X509v3 Basic Constraints:\s+CA:FALSE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
    expect(text).toMatch(/X509v3 Extended Key Usage:\s+1\.0\.18013\.5\.1\.2/);
    expect(text).toMatch(/X509v3 Issuer Alternative Name:\s+URI:https:\/\/dmv\.example/);
    expect(text).toMatch(/URI:http:\/\/utopia-crl\.s3\.us-east-1\.amazonaws\.com\/crl\/[0-9a-f-]{36}\.crl/);
    expect(text).toMatch(/Subject: C ?= ?US, CN ?= ?Utopia DS/);
    expect(openssl('verify', '-CAfile', rootFile, dsFile)).toMatch(/OK/);

    // AKI of the DS = SKI of the root; the DS public key is the KMS key.
    const ds = new X509Certificate(got.value.Certificate!);
    const rootCert = new X509Certificate(root.pem);
    const aki = ds.extensions.find((e) => e.type === '2.5.29.35');
    const ski = rootCert.extensions.find((e) => e.type === '2.5.29.14');
    expect(Buffer.from(aki!.value).subarray(-20).equals(Buffer.from(ski!.value).subarray(-20))).toBe(true);
    const kmsPublic = await kms.send(new GetPublicKeyCommand({ KeyId: key.KeyMetadata!.KeyId! }));
    expect(Buffer.from(ds.publicKey.rawData).equals(Buffer.from(kmsPublic.PublicKey!))).toBe(true);
    // Validity: not-before is issuance minus 60 minutes (AWS's clock-skew allowance).
    const skew = Date.now() - ds.notBefore.getTime();
    expect(skew).toBeGreaterThan(59 * 60_000);
    expect(skew).toBeLessThan(61 * 60_000);

    // Revocation.
    await pca.send(
      new RevokeCertificateCommand({
        CertificateAuthorityArn: root.arn,
        CertificateSerial: ds.serialNumber,
        RevocationReason: 'KEY_COMPROMISE',
      }),
    );
    const again = await errorOf(() =>
      pca.send(
        new RevokeCertificateCommand({
          CertificateAuthorityArn: root.arn,
          CertificateSerial: ds.serialNumber,
          RevocationReason: 'KEY_COMPROMISE',
        }),
      ),
    );
    expect(again).toBeInstanceOf(RequestAlreadyProcessedException);
  });

  it('EndEntityCertificate/V1 by default, END_DATE and ABSOLUTE validity; SHA384WITHECDSA on a P-256 CA', async () => {
    const root = await createRootCa({ Country: 'US', CommonName: 'Default Template IACA' });
    const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const csr = await Pkcs10CertificateRequestGenerator.create({
      name: 'CN=reader.example',
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-384' },
    });
    const end = new Date(Date.now() + 30 * 86_400_000);
    const endDate = Number(end.toISOString().replace(/[-:T]/g, '').slice(0, 14));
    const base: IssueCertificateCommandInput = {
      CertificateAuthorityArn: root.arn,
      Csr: new TextEncoder().encode(csr.toString('pem')),
      SigningAlgorithm: 'SHA384WITHECDSA',
      Validity: { Type: 'END_DATE', Value: endDate },
    };
    const issued = await pca.send(new IssueCertificateCommand(base));
    const got = await poll(() =>
      pca.send(
        new GetCertificateCommand({
          CertificateAuthorityArn: root.arn,
          CertificateArn: issued.CertificateArn!,
        }),
      ),
    );
    const file = write('ee.pem', got.value.Certificate!);
    const text = openssl('x509', '-in', file, '-noout', '-text');
    expect(text).toMatch(/Signature Algorithm: ecdsa-with-SHA384/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment/);
    expect(text).toMatch(/TLS Web Server Authentication, TLS Web Client Authentication/);
    expect(openssl('verify', '-CAfile', write('ee-root.pem', root.pem), file)).toMatch(/OK/);
    expect(new X509Certificate(got.value.Certificate!).notAfter.toISOString()).toBe(
      `${end.toISOString().slice(0, 19)}.000Z`,
    );

    const absolute = Math.floor(Date.now() / 1000) + 86_400;
    const second = await pca.send(
      new IssueCertificateCommand({ ...base, Validity: { Type: 'ABSOLUTE', Value: absolute } }),
    );
    const got2 = await poll(() =>
      pca.send(
        new GetCertificateCommand({
          CertificateAuthorityArn: root.arn,
          CertificateArn: second.CertificateArn!,
        }),
      ),
    );
    expect(new X509Certificate(got2.value.Certificate!).notAfter.getTime()).toBe(absolute * 1000);

    // RSA algorithm on an EC CA, validity beyond the CA (passthrough on a template without it is
    // ignored, as AWS documents: acm-pca-aws-rules.test.ts).
    const rsa = await errorOf(() =>
      pca.send(new IssueCertificateCommand({ ...base, SigningAlgorithm: 'SHA256WITHRSA' })),
    );
    expect(rsa).toBeInstanceOf(InvalidArgsException);
    const tooLong = await errorOf(() =>
      pca.send(new IssueCertificateCommand({ ...base, Validity: { Type: 'YEARS', Value: 20 } })),
    );
    expect(tooLong.name).toBe('ValidationException');
  });
});

describe('ACM-PCA errors', () => {
  it('a CA that is not ACTIVE cannot issue (InvalidStateException)', async () => {
    const created = await pca.send(
      new CreateCertificateAuthorityCommand({
        CertificateAuthorityType: 'SUBORDINATE',
        CertificateAuthorityConfiguration: {
          KeyAlgorithm: 'EC_secp384r1',
          SigningAlgorithm: 'SHA384WITHECDSA',
          Subject: { Country: 'US', CommonName: 'Pending Sub CA' },
        },
      }),
    );
    const arn = created.CertificateAuthorityArn!;
    const csr = await poll(() =>
      pca.send(new GetCertificateAuthorityCsrCommand({ CertificateAuthorityArn: arn })),
    );
    const error = await errorOf(() =>
      pca.send(
        new IssueCertificateCommand({
          CertificateAuthorityArn: arn,
          Csr: new TextEncoder().encode(csr.value.Csr!),
          SigningAlgorithm: 'SHA384WITHECDSA',
          Validity: { Type: 'DAYS', Value: 10 },
        }),
      ),
    );
    expect(error).toBeInstanceOf(InvalidStateException);
    const described = await pca.send(
      new DescribeCertificateAuthorityCommand({ CertificateAuthorityArn: arn }),
    );
    expect(described.CertificateAuthority?.Status).toBe('PENDING_CERTIFICATE');

    // A disabled CA cannot issue either.
    const root = await createRootCa({ Country: 'US', CommonName: 'Disabled IACA' });
    await pca.send(
      new UpdateCertificateAuthorityCommand({ CertificateAuthorityArn: root.arn, Status: 'DISABLED' }),
    );
    const disabled = await errorOf(() =>
      pca.send(
        new IssueCertificateCommand({
          CertificateAuthorityArn: root.arn,
          Csr: new TextEncoder().encode(csr.value.Csr!),
          SigningAlgorithm: 'SHA256WITHECDSA',
          Validity: { Type: 'DAYS', Value: 10 },
        }),
      ),
    );
    expect(disabled).toBeInstanceOf(InvalidStateException);
  });

  it('subordinate CA: signed by the root, imported with its chain', async () => {
    const root = await createRootCa({ Country: 'US', CommonName: 'Parent Root' });
    const created = await pca.send(
      new CreateCertificateAuthorityCommand({
        CertificateAuthorityType: 'SUBORDINATE',
        CertificateAuthorityConfiguration: {
          KeyAlgorithm: 'EC_prime256v1',
          SigningAlgorithm: 'SHA256WITHECDSA',
          Subject: { Country: 'US', Organization: 'Utopia', CommonName: 'Sub CA' },
        },
      }),
    );
    const arn = created.CertificateAuthorityArn!;
    const csr = await poll(() =>
      pca.send(new GetCertificateAuthorityCsrCommand({ CertificateAuthorityArn: arn })),
    );
    // The root is pathlen 0: it cannot certify a subordinate CA.
    const pathLen = await errorOf(() =>
      pca.send(
        new IssueCertificateCommand({
          CertificateAuthorityArn: root.arn,
          Csr: new TextEncoder().encode(csr.value.Csr!),
          SigningAlgorithm: 'SHA256WITHECDSA',
          TemplateArn: 'arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen0/V1',
          Validity: { Type: 'DAYS', Value: 100 },
        }),
      ),
    );
    expect(pathLen).toBeInstanceOf(InvalidArgsException);

    // Importing a certificate for another key → CertificateMismatchException.
    const mismatch = await errorOf(() =>
      pca.send(
        new ImportCertificateAuthorityCertificateCommand({
          CertificateAuthorityArn: arn,
          Certificate: new TextEncoder().encode(root.pem),
          CertificateChain: new TextEncoder().encode(root.pem),
        }),
      ),
    );
    expect(mismatch).toBeInstanceOf(CertificateMismatchException);

    // A root without a path length can certify it; the subordinate then issues end-entity certs.
    const open = await createRootCa(
      { Country: 'US', CommonName: 'Open Root' },
      'arn:aws:acm-pca:::template/BlankRootCACertificate_APIPassthrough/V1',
    );
    const subIssued = await pca.send(
      new IssueCertificateCommand({
        CertificateAuthorityArn: open.arn,
        Csr: new TextEncoder().encode(csr.value.Csr!),
        SigningAlgorithm: 'SHA256WITHECDSA',
        TemplateArn: 'arn:aws:acm-pca:::template/SubordinateCACertificate_PathLen0/V1',
        Validity: { Type: 'DAYS', Value: 1000 },
      }),
    );
    const sub = await poll(() =>
      pca.send(
        new GetCertificateCommand({
          CertificateAuthorityArn: open.arn,
          CertificateArn: subIssued.CertificateArn!,
        }),
      ),
    );
    const noChain = await errorOf(() =>
      pca.send(
        new ImportCertificateAuthorityCertificateCommand({
          CertificateAuthorityArn: arn,
          Certificate: new TextEncoder().encode(sub.value.Certificate!),
        }),
      ),
    );
    expect(noChain.name).toBe('ValidationException');
    await pca.send(
      new ImportCertificateAuthorityCertificateCommand({
        CertificateAuthorityArn: arn,
        Certificate: new TextEncoder().encode(sub.value.Certificate!),
        CertificateChain: new TextEncoder().encode(sub.value.CertificateChain!),
      }),
    );
    const subCa = await pca.send(
      new GetCertificateAuthorityCertificateCommand({ CertificateAuthorityArn: arn }),
    );
    expect(subCa.CertificateChain).toBe(open.pem);
    const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    const leafCsr = await Pkcs10CertificateRequestGenerator.create({
      name: 'CN=leaf.example',
      keys,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
    });
    const leafIssued = await pca.send(
      new IssueCertificateCommand({
        CertificateAuthorityArn: arn,
        Csr: new TextEncoder().encode(leafCsr.toString('pem')),
        SigningAlgorithm: 'SHA256WITHECDSA',
        Validity: { Type: 'DAYS', Value: 30 },
      }),
    );
    const leaf = await poll(() =>
      pca.send(
        new GetCertificateCommand({
          CertificateAuthorityArn: arn,
          CertificateArn: leafIssued.CertificateArn!,
        }),
      ),
    );
    const subText = openssl('x509', '-in', write('sub.pem', sub.value.Certificate!), '-noout', '-text');
    expect(subText).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0/);
    expect(subText).toMatch(/Certificate Sign, CRL Sign/);
    expect(
      openssl(
        'verify',
        '-CAfile',
        write('open-root.pem', open.pem),
        '-untrusted',
        write('leaf-chain.pem', leaf.value.CertificateChain!),
        write('leaf.pem', leaf.value.Certificate!),
      ),
    ).toMatch(/OK/);
  });

  it('malformed CSR, unknown CA, unknown certificate', async () => {
    const root = await createRootCa({ Country: 'US', CommonName: 'Errors IACA' });
    const malformed = await errorOf(() =>
      pca.send(
        new IssueCertificateCommand({
          CertificateAuthorityArn: root.arn,
          Csr: new TextEncoder().encode(
            '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n',
          ),
          SigningAlgorithm: 'SHA256WITHECDSA',
          Validity: { Type: 'DAYS', Value: 10 },
        }),
      ),
    );
    expect(malformed).toBeInstanceOf(MalformedCSRException);

    const key = await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
    const csr = await kmsCsr(key.KeyMetadata!.KeyId!, 'Tampered');
    const lines = csr.split('\n');
    // Flip one base64 character in the signature region.
    const last = lines[lines.length - 3]!;
    lines[lines.length - 3] = (last[0] === 'A' ? 'B' : 'A') + last.slice(1);
    const tampered = await errorOf(() =>
      pca.send(
        new IssueCertificateCommand({
          CertificateAuthorityArn: root.arn,
          Csr: new TextEncoder().encode(lines.join('\n')),
          SigningAlgorithm: 'SHA256WITHECDSA',
          Validity: { Type: 'DAYS', Value: 10 },
        }),
      ),
    );
    expect(tampered).toBeInstanceOf(MalformedCSRException);

    const missing = await errorOf(() =>
      pca.send(
        new DescribeCertificateAuthorityCommand({
          CertificateAuthorityArn:
            'arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/00000000-0000-0000-0000-000000000000',
        }),
      ),
    );
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    const cert = await errorOf(() =>
      pca.send(
        new GetCertificateCommand({
          CertificateAuthorityArn: root.arn,
          CertificateArn: `${root.arn}/certificate/00`,
        }),
      ),
    );
    expect(cert).toBeInstanceOf(ResourceNotFoundException);
    const badCreate = await errorOf(() =>
      pca.send(
        new CreateCertificateAuthorityCommand({
          CertificateAuthorityType: 'ROOT',
          CertificateAuthorityConfiguration: {
            KeyAlgorithm: 'EC_prime256v1',
            SigningAlgorithm: 'SHA256WITHRSA',
            Subject: { CommonName: 'x' },
          },
        }),
      ),
    );
    expect(badCreate).toBeInstanceOf(InvalidArgsException);
  });

  it('the CA key really signed the certificate (independent node:crypto check)', async () => {
    const root = await createRootCa({ Country: 'US', CommonName: 'Signature IACA' });
    const certificate = new NodeX509Certificate(root.pem);
    const caKey = await pca.send(
      new GetCertificateAuthorityCsrCommand({ CertificateAuthorityArn: root.arn }),
    );
    const csrKey = createPublicKey({
      key: Buffer.from(new Pkcs10CertificateRequest(caKey.Csr!).publicKey.rawData),
      format: 'der',
      type: 'spki',
    });
    expect(certificate.verify(csrKey)).toBe(true);
    const other = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
      'verify',
    ])) as CryptoKeyPair;
    expect(certificate.verify(KeyObject.from(other.publicKey))).toBe(false);
  });
});

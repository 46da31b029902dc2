import { execFileSync } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ACMPCAClient,
  CreateCertificateAuthorityCommand,
  type CreateCertificateAuthorityCommandInput,
  GetCertificateAuthorityCsrCommand,
  GetCertificateCommand,
  ImportCertificateAuthorityCertificateCommand,
  InvalidRequestException,
  IssueCertificateCommand,
  type IssueCertificateCommandInput,
  ListCertificateAuthoritiesCommand,
  RevokeCertificateCommand,
} from '@aws-sdk/client-acm-pca';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { Pkcs10CertificateRequestGenerator, X509Certificate } from '../src/internal/x509.js';
import { errorOf, pcaClient } from './helpers.js';

// The AWS Private CA rules of issue 19, each through the real @aws-sdk/client-acm-pca client over
// loopback HTTP (the API reference wording is quoted beside each test).

const ROOT_TEMPLATE = 'arn:aws:acm-pca:::template/BlankRootCACertificate_PathLen0_APIPassthrough/V1';
const EE_PASSTHROUGH = 'arn:aws:acm-pca:::template/BlankEndEntityCertificate_APIPassthrough/V1';
const EE_PLAIN = 'arn:aws:acm-pca:::template/EndEntityClientAuthCertificate/V1';
const MINUTE = 60_000;

let emulator: Emulator;
let pca: ACMPCAClient;
let clock = new Date('2026-12-07T00:00:00Z');
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ now: () => clock, s3: { publicAclBuckets: ['public-crl'] } });
  pca = pcaClient(emulator);
  dir = mkdtempSync(join(tmpdir(), 'mdlkit-emulator-rules-'));
});
afterAll(async () => {
  pca.destroy();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function caInput(
  overrides: Partial<CreateCertificateAuthorityCommandInput> = {},
  keyAlgorithm = 'EC_prime256v1',
  signingAlgorithm: 'SHA256WITHECDSA' | 'SHA512WITHECDSA' = 'SHA256WITHECDSA',
): CreateCertificateAuthorityCommandInput {
  return {
    CertificateAuthorityType: 'ROOT',
    CertificateAuthorityConfiguration: {
      // the installed client's model predates EC_secp521r1; the wire takes any string
      KeyAlgorithm: keyAlgorithm as 'EC_prime256v1',
      SigningAlgorithm: signingAlgorithm,
      Subject: { Country: 'US', CommonName: 'Rules IACA' },
    },
    ...overrides,
  };
}

async function activeRoot(
  keyAlgorithm = 'EC_prime256v1',
  signingAlgorithm: 'SHA256WITHECDSA' | 'SHA512WITHECDSA' = 'SHA256WITHECDSA',
): Promise<{ arn: string; pem: string; serial: string }> {
  const { CertificateAuthorityArn: arn } = await pca.send(
    new CreateCertificateAuthorityCommand(caInput({}, keyAlgorithm, signingAlgorithm)),
  );
  const csr = await pca.send(new GetCertificateAuthorityCsrCommand({ CertificateAuthorityArn: arn! }));
  const issued = await pca.send(
    new IssueCertificateCommand({
      CertificateAuthorityArn: arn!,
      Csr: new TextEncoder().encode(csr.Csr!),
      SigningAlgorithm: signingAlgorithm,
      TemplateArn: ROOT_TEMPLATE,
      Validity: { Type: 'DAYS', Value: 3285 },
    }),
  );
  const got = await pca.send(
    new GetCertificateCommand({ CertificateAuthorityArn: arn!, CertificateArn: issued.CertificateArn! }),
  );
  await pca.send(
    new ImportCertificateAuthorityCertificateCommand({
      CertificateAuthorityArn: arn!,
      Certificate: new TextEncoder().encode(got.Certificate!),
    }),
  );
  return { arn: arn!, pem: got.Certificate!, serial: new X509Certificate(got.Certificate!).serialNumber };
}

async function endEntityCsr(): Promise<Uint8Array> {
  const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const csr = await Pkcs10CertificateRequestGenerator.create({
    name: 'CN=rules.example',
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
  });
  return new TextEncoder().encode(csr.toString('pem'));
}

async function issueAndGet(input: IssueCertificateCommandInput): Promise<X509Certificate> {
  const issued = await pca.send(new IssueCertificateCommand(input));
  const got = await pca.send(
    new GetCertificateCommand({
      CertificateAuthorityArn: input.CertificateAuthorityArn!,
      CertificateArn: issued.CertificateArn!,
    }),
  );
  return new X509Certificate(got.Certificate!);
}

async function caCount(): Promise<number> {
  const listed = await pca.send(new ListCertificateAuthoritiesCommand({}));
  return listed.CertificateAuthorities?.length ?? 0;
}

describe('IdempotencyToken (CreateCertificateAuthority, IssueCertificate)', () => {
  it('refuses a token over 36 characters (ValidationException) and creates no CA', async () => {
    const before = await caCount();
    const token = 'a'.repeat(36);
    const error = await errorOf(() =>
      pca.send(new CreateCertificateAuthorityCommand(caInput({ IdempotencyToken: `${token}-root` }))),
    );
    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(/idempotencyToken.*length less than or equal to 36/);
    const pattern = await errorOf(() =>
      pca.send(new CreateCertificateAuthorityCommand(caInput({ IdempotencyToken: 'token-€' }))),
    );
    expect(pattern.name).toBe('ValidationException');
    expect(pattern.message).toMatch(/regular expression pattern/);
    expect(await caCount()).toBe(before);
    // 36 is accepted
    const ok = await pca.send(new CreateCertificateAuthorityCommand(caInput({ IdempotencyToken: token })));
    expect(ok.CertificateAuthorityArn).toMatch(/certificate-authority\//);
    const { arn } = await activeRoot();
    const issue = await errorOf(() =>
      pca.send(
        new IssueCertificateCommand({
          CertificateAuthorityArn: arn,
          Csr: new TextEncoder().encode('x'),
          SigningAlgorithm: 'SHA256WITHECDSA',
          Validity: { Type: 'DAYS', Value: 1 },
          IdempotencyToken: 'b'.repeat(37),
        }),
      ),
    );
    expect(issue.name).toBe('ValidationException');
  });

  it('the same token within five minutes returns the same CA; after five minutes a new one', async () => {
    const before = await caCount();
    const input = caInput({ IdempotencyToken: 'iaca-2026-12-07' });
    const first = await pca.send(new CreateCertificateAuthorityCommand(input));
    clock = new Date(clock.getTime() + 4 * MINUTE);
    const second = await pca.send(new CreateCertificateAuthorityCommand(input));
    expect(second.CertificateAuthorityArn).toBe(first.CertificateAuthorityArn);
    expect(await caCount()).toBe(before + 1);
    clock = new Date(clock.getTime() + 2 * MINUTE);
    const third = await pca.send(new CreateCertificateAuthorityCommand(input));
    expect(third.CertificateAuthorityArn).not.toBe(first.CertificateAuthorityArn);
    expect(await caCount()).toBe(before + 2);
    // a different token is a different request
    const other = await pca.send(
      new CreateCertificateAuthorityCommand(caInput({ IdempotencyToken: 'iaca-other' })),
    );
    expect(other.CertificateAuthorityArn).not.toBe(third.CertificateAuthorityArn);
  });

  it('IssueCertificate: the same token for the same CA within five minutes issues one certificate', async () => {
    const { arn } = await activeRoot();
    const input: IssueCertificateCommandInput = {
      CertificateAuthorityArn: arn,
      Csr: await endEntityCsr(),
      SigningAlgorithm: 'SHA256WITHECDSA',
      Validity: { Type: 'DAYS', Value: 30 },
      IdempotencyToken: 'ds-1',
    };
    const first = await pca.send(new IssueCertificateCommand(input));
    const second = await pca.send(new IssueCertificateCommand(input));
    expect(second.CertificateArn).toBe(first.CertificateArn);
    const authority = emulator.state.pca.authorities.get(arn)!;
    const count = authority.certificates.size;
    clock = new Date(clock.getTime() + 5 * MINUTE);
    const third = await pca.send(new IssueCertificateCommand(input));
    expect(third.CertificateArn).not.toBe(first.CertificateArn);
    expect(authority.certificates.size).toBe(count + 1);
  });
});

describe('ApiPassthrough on a template without passthrough', () => {
  it('is ignored, not an error ("must be selected, or else this parameter is ignored")', async () => {
    const { arn } = await activeRoot();
    const base = {
      CertificateAuthorityArn: arn,
      Csr: await endEntityCsr(),
      SigningAlgorithm: 'SHA256WITHECDSA' as const,
      Validity: { Type: 'DAYS' as const, Value: 30 },
      ApiPassthrough: {
        Subject: { CommonName: 'passthrough subject' },
        Extensions: {
          KeyUsage: { KeyCertSign: true },
          CustomExtensions: [
            { ObjectIdentifier: '1.2.3.4.5', Value: Buffer.from([5, 0]).toString('base64') },
          ],
        },
      },
    };
    const plain = await issueAndGet({ ...base, TemplateArn: EE_PLAIN });
    expect(plain.subject).toBe('CN=rules.example');
    expect(plain.extensions.some((e) => e.type === '1.2.3.4.5')).toBe(false);
    const text = openssl('x509', '-in', write('plain.pem', plain.toString('pem')), '-noout', '-text');
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Digital Signature\n/);
    expect(text).toMatch(/TLS Web Client Authentication/);
    // the same input with a passthrough template does apply it (so the test above can fail)
    const applied = await issueAndGet({ ...base, TemplateArn: EE_PASSTHROUGH });
    expect(applied.subject).toBe('CN=passthrough subject');
    expect(applied.extensions.some((e) => e.type === '1.2.3.4.5')).toBe(true);
  });
});

describe('RevokeCertificate', () => {
  it('refuses the root CA self-signed certificate ("You cannot revoke a root CA self-signed certificate")', async () => {
    const root = await activeRoot();
    const error = await errorOf(() =>
      pca.send(
        new RevokeCertificateCommand({
          CertificateAuthorityArn: root.arn,
          CertificateSerial: root.serial,
          RevocationReason: 'KEY_COMPROMISE',
        }),
      ),
    );
    expect(error).toBeInstanceOf(InvalidRequestException);
    expect(error.name).toBe('InvalidRequestException');
    // an end-entity certificate of the same CA is revocable
    const ee = await issueAndGet({
      CertificateAuthorityArn: root.arn,
      Csr: await endEntityCsr(),
      SigningAlgorithm: 'SHA256WITHECDSA',
      Validity: { Type: 'DAYS', Value: 30 },
    });
    await pca.send(
      new RevokeCertificateCommand({
        CertificateAuthorityArn: root.arn,
        CertificateSerial: ee.serialNumber,
        RevocationReason: 'SUPERSEDED',
      }),
    );
    const serial = ee.serialNumber.toLowerCase().replace(/^(00)+/, '');
    expect(emulator.state.pca.authorities.get(root.arn)?.certificates.get(serial)?.revoked?.reason).toBe(
      'SUPERSEDED',
    );
  });
});

describe('Validity and ValidityNotBefore', () => {
  it('ValidityNotBefore must be ABSOLUTE; ABSOLUTE sets notBefore exactly', async () => {
    const { arn } = await activeRoot();
    const csr = await endEntityCsr();
    const base: IssueCertificateCommandInput = {
      CertificateAuthorityArn: arn,
      Csr: csr,
      SigningAlgorithm: 'SHA256WITHECDSA',
      Validity: { Type: 'DAYS', Value: 30 },
    };
    for (const type of ['DAYS', 'MONTHS', 'YEARS', 'END_DATE'] as const) {
      const error = await errorOf(() =>
        pca.send(new IssueCertificateCommand({ ...base, ValidityNotBefore: { Type: type, Value: 1 } })),
      );
      expect(error.name, type).toBe('ValidationException');
      expect(error.message).toMatch(/ABSOLUTE/);
    }
    const notBefore = Math.floor(clock.getTime() / 1000) - 120;
    const cert = await issueAndGet({ ...base, ValidityNotBefore: { Type: 'ABSOLUTE', Value: notBefore } });
    expect(cert.notBefore.getTime()).toBe(notBefore * 1000);
  });

  it('END_DATE takes UTCTime YYMMDDHHMMSS (YY < 50 → 20YY) as well as GeneralizedTime', async () => {
    const { arn } = await activeRoot();
    const base: IssueCertificateCommandInput = {
      CertificateAuthorityArn: arn,
      Csr: await endEntityCsr(),
      SigningAlgorithm: 'SHA256WITHECDSA',
      Validity: { Type: 'END_DATE', Value: 270101120000 },
    };
    const utc = await issueAndGet(base);
    expect(utc.notAfter.toISOString()).toBe('2027-01-01T12:00:00.000Z');
    const generalized = await issueAndGet({ ...base, Validity: { Type: 'END_DATE', Value: 20270102120000 } });
    expect(generalized.notAfter.toISOString()).toBe('2027-01-02T12:00:00.000Z');
    // YY ≥ 50 is 19YY: in the past, so refused
    const past = await errorOf(() =>
      pca.send(new IssueCertificateCommand({ ...base, Validity: { Type: 'END_DATE', Value: 991231235959 } })),
    );
    expect(past.name).toBe('ValidationException');
  });
});

describe('EC P-521 certificate authorities', () => {
  it('EC_secp521r1 with SHA512WITHECDSA: the root and an end-entity certificate verify in openssl', async () => {
    const root = await activeRoot('EC_secp521r1', 'SHA512WITHECDSA');
    const rootFile = write('p521-root.pem', root.pem);
    const rootText = openssl('x509', '-in', rootFile, '-noout', '-text');
    expect(rootText).toMatch(/ASN1 OID: secp521r1/);
    expect(rootText).toMatch(/Signature Algorithm: ecdsa-with-SHA512/);
    expect(openssl('verify', '-CAfile', rootFile, rootFile)).toMatch(/OK/);
    const ee = await issueAndGet({
      CertificateAuthorityArn: root.arn,
      Csr: await endEntityCsr(),
      SigningAlgorithm: 'SHA512WITHECDSA',
      Validity: { Type: 'DAYS', Value: 30 },
    });
    const eeFile = write('p521-ee.pem', ee.toString('pem'));
    expect(openssl('verify', '-CAfile', rootFile, eeFile)).toMatch(/OK/);
  });
});

describe('CRL objects and S3 Block Public Access', () => {
  const crl = (acl?: 'PUBLIC_READ' | 'BUCKET_OWNER_FULL_CONTROL', bucket = 'private-crl') => ({
    RevocationConfiguration: {
      CrlConfiguration: {
        Enabled: true,
        S3BucketName: bucket,
        ...(acl === undefined ? {} : { S3ObjectAcl: acl }),
      },
    },
  });

  it('the default PUBLIC_READ fails CA creation on a bucket that blocks public access (ValidationException)', async () => {
    const before = await caCount();
    for (const acl of [undefined, 'PUBLIC_READ'] as const) {
      const error = await errorOf(() => pca.send(new CreateCertificateAuthorityCommand(caInput(crl(acl)))));
      expect(error.name).toBe('ValidationException');
      expect(error.message).toMatch(/Permission error with your S3 bucket 'private-crl'/);
    }
    expect(await caCount()).toBe(before);
    const owner = await pca.send(
      new CreateCertificateAuthorityCommand(caInput(crl('BUCKET_OWNER_FULL_CONTROL'))),
    );
    expect(owner.CertificateAuthorityArn).toBeDefined();
    // a bucket with Block Public Access turned off takes PUBLIC_READ
    const open = await pca.send(new CreateCertificateAuthorityCommand(caInput(crl(undefined, 'public-crl'))));
    expect(open.CertificateAuthorityArn).toBeDefined();
  });
});

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

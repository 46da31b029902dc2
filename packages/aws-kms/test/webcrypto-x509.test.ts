/**
 * The WebCrypto facade lets @peculiar/x509 sign CSRs and certificates with a KMS key: real KMS SDK
 * client, emulator over loopback HTTP, and node:crypto as the independent verifier.
 */
import 'reflect-metadata';
import { X509Certificate as NodeX509Certificate, webcrypto } from 'node:crypto';
import { withKms } from '@mdlkit/test-utils/kms';
import { Pkcs10CertificateRequestGenerator, X509CertificateGenerator } from '@peculiar/x509';
import { describe, expect, it } from 'vitest';
import { createKmsSigner, createKmsWebCrypto } from '../src/index.js';

const base = webcrypto as unknown as Crypto;
// the SDK's own client with one attempt: nothing here is retried
const aws = withKms({ client: { retry: false, config: { maxAttempts: 1 } } });

describe('createKmsWebCrypto with @peculiar/x509', () => {
  it.each(['ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_NIST_EDWARDS25519'] as const)(
    '%s: a CSR and a self-signed certificate signed in KMS verify',
    async (keySpec) => {
      const key = await aws.createKey({ KeySpec: keySpec, KeyUsage: 'SIGN_VERIFY' });
      const signer = await createKmsSigner({ client: aws.client, keyId: key.arn });
      const kms = await createKmsWebCrypto({ signer, crypto: base });
      const keys = { privateKey: kms.privateKey, publicKey: kms.publicKey };
      const signsBefore = aws.emulator.faults.calls.count('Sign');

      const csr = await Pkcs10CertificateRequestGenerator.create(
        { name: 'C=US, CN=KMS CSR', keys, signingAlgorithm: kms.signingAlgorithm },
        kms.crypto,
      );
      expect(await csr.verify(base)).toBe(true);

      const cert = await X509CertificateGenerator.createSelfSigned(
        {
          serialNumber: '0102030405060708',
          name: 'C=US, CN=KMS self-signed',
          notBefore: new Date('2026-01-01T00:00:00Z'),
          notAfter: new Date('2026-06-01T00:00:00Z'),
          keys,
          signingAlgorithm: kms.signingAlgorithm,
        },
        kms.crypto,
      );
      expect(aws.emulator.faults.calls.count('Sign') - signsBefore).toBe(2);
      const node = new NodeX509Certificate(Buffer.from(cert.rawData));
      expect(node.verify(node.publicKey)).toBe(true);
      expect(new Uint8Array(node.publicKey.export({ format: 'der', type: 'spki' }))).toEqual(
        signer.publicKey,
      );
    },
  );
});

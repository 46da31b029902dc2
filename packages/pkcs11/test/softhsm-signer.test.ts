/**
 * Must-show tests against SoftHSM (Debian softhsm2), initialised in a temporary token directory:
 * the DS life cycle on the token (key generation, CSR, DS certificate, mDL) verified by the reader
 * and by node:crypto over an independently built Sig_structure; P-256, P-384, P-521 and Ed25519;
 * the private key is not extractable; wrong PIN, missing key and removed token give their codes.
 */
import 'reflect-metadata';
import { X509Certificate as NodeX509, verify as nodeVerify, webcrypto } from 'node:crypto';
import { signCoseSign1, verifyCoseSign1 } from '@mdlkit/core/cose';
import { CoseAlg, digest, importPublicKey, verifySignature } from '@mdlkit/core/crypto';
import { parseCertificate } from '@mdlkit/pki';
import { CheckId } from '@mdlkit/reader';
import { Pkcs10CertificateRequestGenerator, X509CertificateGenerator } from '@peculiar/x509';
import { Decoder, Encoder } from 'cbor-x';

// cbor-x as the independent CBOR codec: byte strings as plain bstr (no tag 64), maps as Map
const cborx = new Encoder({ tagUint8Array: false, useRecords: false, mapsAsObjects: false });
const cborxDecoder = new Decoder({ useRecords: false, mapsAsObjects: false });
const cborxEncode = (value: unknown): Uint8Array => cborx.encode(value);
const cborxDecode = (bytes: Uint8Array): unknown => cborxDecoder.decode(bytes);

import { createSoftHsm, type SoftHsm, softHsmOrSkip } from '@mdlkit/test-utils/softhsm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkSignerCertificate,
  createPkcs11Csr,
  createPkcs11Signer,
  createPkcs11WebCrypto,
  generatePkcs11Key,
  isPkcs11Error,
  openPkcs11Token,
  type Pkcs11AuditRecord,
  type Pkcs11Curve,
  type Pkcs11DigestSigner,
  Pkcs11Module,
  type Pkcs11Signer,
  type Pkcs11Token,
} from '../src/index.js';
import { countingBinding } from './support/counting-binding.js';
import {
  createTestIaca,
  dsCertificateFromCsr,
  issueTestMdl,
  presentAndVerify,
  type TestIaca,
} from './support/mdl.js';

const modulePath = softHsmOrSkip('packages/pkcs11/test/softhsm-signer.test.ts');

async function expectCode(promise: Promise<unknown>, code: string): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isPkcs11Error(error)).toBe(true);
  expect((error as { code: string }).code).toBe(code);
  return error as Error;
}

/** Narrows to the ECDSA digest signer (and fails the test if it is not one). */
function ecdsa(signer: Pkcs11Signer): Pkcs11DigestSigner {
  if (signer.kind !== 'digest') throw new Error('expected an ECDSA digest signer');
  return signer;
}

/** Verifies IssuerAuth with node:crypto over a Sig_structure built with cbor-x — nothing of mdlkit's. */
function nodeVerifiesIssuerAuth(issuerAuth: Uint8Array, dsCertificate: Uint8Array): boolean {
  const [protectedBytes, , payload, signature] = cborxDecode(issuerAuth) as [
    Uint8Array,
    unknown,
    Uint8Array,
    Uint8Array,
  ];
  const header = cborxDecode(protectedBytes) as Map<number, number> | Record<number, number>;
  const alg = header instanceof Map ? header.get(1) : header[1];
  const sigStructure = cborxEncode(['Signature1', protectedBytes, new Uint8Array(0), payload]);
  const key = new NodeX509(Buffer.from(dsCertificate)).publicKey;
  if (alg === CoseAlg.EdDSA) return nodeVerify(null, sigStructure, key, signature);
  const hash = { [CoseAlg.ES256]: 'sha256', [CoseAlg.ES384]: 'sha384', [CoseAlg.ES512]: 'sha512' }[alg as -7];
  return nodeVerify(hash, sigStructure, { key, dsaEncoding: 'ieee-p1363' }, signature);
}

describe.skipIf(modulePath === undefined)('PKCS#11 signer on SoftHSM', () => {
  const PIN = '246810';
  let hsm: SoftHsm;
  let module: Pkcs11Module;
  let token: Pkcs11Token;
  let iaca: TestIaca;
  const audit: Pkcs11AuditRecord[] = [];
  const { probe, instrument } = countingBinding();

  beforeAll(async () => {
    hsm = createSoftHsm(modulePath!, ['mdl-ds', 'removable', 'reconnect', 'spare'], PIN);
    module = Pkcs11Module.load({ path: hsm.module, instrument });
    token = await openPkcs11Token({ module, tokenLabel: 'mdl-ds', pin: PIN, audit: (r) => audit.push(r) });
    iaca = await createTestIaca();
  });
  afterAll(async () => {
    await module?.close();
    hsm?.cleanup();
  });

  it.each([
    ['P-256', CoseAlg.ES256, 64],
    ['P-384', CoseAlg.ES384, 96],
    ['P-521', CoseAlg.ES512, 132],
  ] as const)(
    '%s: key generated on the token, CSR signed by it, DS certificate, mDL verified by the reader and node:crypto',
    async (curve, alg, signatureLength) => {
      const key = await generatePkcs11Key({ token, curve, label: `ds-${curve}` });
      expect(key.curve).toBe(curve);
      const signer = await createPkcs11Signer({ token, key: { label: `ds-${curve}` } });
      expect(signer).toMatchObject({ kind: 'digest', alg, curve, keyLabel: `ds-${curve}`, keyId: key.id });
      expect(signer.publicKey).toEqual(key.publicKey);

      const csr = await createPkcs11Csr({ signer, subject: { country: 'US', commonName: `DS ${curve}` } });
      const dsCertificate = await dsCertificateFromCsr(iaca, csr);
      // the signer pairs with the certificate's SPKI, and a signer made with the certificate checks it
      checkSignerCertificate({ signer, certificate: dsCertificate });
      const checked = await createPkcs11Signer({ token, key: { id: key.id }, certificate: dsCertificate });

      const signsBefore = probe.signs;
      const mdoc = await issueTestMdl(checked, dsCertificate);
      expect(probe.signs - signsBefore).toBe(1);
      const [, , , signature] = cborxDecode(mdoc.issuerAuth) as Uint8Array[];
      expect(signature).toHaveLength(signatureLength);

      const report = await presentAndVerify(mdoc, iaca.certificate);
      const doc = report.documents[0]!;
      expect(doc.checks.filter((c) => c.status === 'failed')).toEqual([]);
      expect(Object.fromEntries(doc.checks.map((c) => [c.id, c.status]))).toMatchObject({
        [CheckId.DS_CERTIFICATE_PATH]: 'passed',
      });
      expect(report.verified).toBe(true);
      expect(nodeVerifiesIssuerAuth(mdoc.issuerAuth, dsCertificate)).toBe(true);

      // one flipped signature bit: both verifiers refuse
      const tampered = mdoc.issuerAuth.slice();
      tampered[tampered.length - 5] = tampered[tampered.length - 5]! ^ 1;
      expect(nodeVerifiesIssuerAuth(tampered, dsCertificate)).toBe(false);
    },
  );

  it('Ed25519 with CKM_EDDSA: PureEdDSA COSE_Sign1 verified by core and node:crypto', async () => {
    await generatePkcs11Key({ token, curve: 'Ed25519', label: 'ds-ed25519' });
    const signer = await createPkcs11Signer({ token, key: { label: 'ds-ed25519' } });
    expect(signer).toMatchObject({ kind: 'message', alg: CoseAlg.EdDSA, curve: 'Ed25519' });
    const payload = new Uint8Array(3000).map((_, i) => i & 0xff);
    const { message, bytes } = await signCoseSign1({ signer, payload });
    expect(message.signature).toHaveLength(64);
    const key = importPublicKey({ format: 'spki', der: signer.publicKey });
    expect(await verifyCoseSign1({ message, key })).toBe(true);
    const [protectedBytes, , , signature] = cborxDecode(bytes) as Uint8Array[];
    const sigStructure = cborxEncode(['Signature1', protectedBytes, new Uint8Array(0), payload]);
    const nodeKey = (await import('node:crypto')).createPublicKey({
      key: Buffer.from(signer.publicKey),
      format: 'der',
      type: 'spki',
    });
    expect(nodeVerify(null, sigStructure, nodeKey, signature!)).toBe(true);
  });

  it('a token without CKM_EDDSA: typed error, no signature attempted', async () => {
    probe.hiddenMechanisms.add(0x1057);
    try {
      const error = await expectCode(
        createPkcs11Signer({ token, key: { label: 'ds-ed25519' } }),
        'ERR_PKCS11_MECHANISM_NOT_SUPPORTED',
      );
      expect(error.message).toContain('CKM_EDDSA');
    } finally {
      probe.hiddenMechanisms.delete(0x1057);
    }
  });

  it('the private key is not extractable: CKA_EXTRACTABLE false, CKA_SENSITIVE true, CKA_VALUE unreadable', async () => {
    const key = await generatePkcs11Key({ token, curve: 'P-256', label: 'non-extractable' });
    const raw = probe.raw!;
    const slot = raw.C_GetSlotList(true).find((s) => raw.C_GetTokenInfo(s).label.trim() === 'mdl-ds')!;
    const session = raw.C_OpenSession(slot, 0x4);
    try {
      raw.C_FindObjectsInit(session, [
        { type: 0x0, value: 3 }, // CKA_CLASS = CKO_PRIVATE_KEY
        { type: 0x102, value: Buffer.from(key.id, 'hex') },
      ]);
      const [handle] = raw.C_FindObjects(session, 2);
      raw.C_FindObjectsFinal(session);
      expect(handle).toBeDefined();
      const flag = (type: number) => raw.C_GetAttributeValue(session, handle!, [{ type }])[0]!.value![0];
      expect(flag(0x162)).toBe(0); // CKA_EXTRACTABLE
      expect(flag(0x103)).toBe(1); // CKA_SENSITIVE
      expect(flag(0x164)).toBe(1); // CKA_NEVER_EXTRACTABLE
      expect(flag(0x165)).toBe(1); // CKA_ALWAYS_SENSITIVE
      expect(() => raw.C_GetAttributeValue(session, handle!, [{ type: 0x11 }])).toThrow(
        /CKR_ATTRIBUTE_SENSITIVE/,
      );
    } finally {
      raw.C_CloseSession(session);
    }
  });

  it('wrong PIN → ERR_PKCS11_PIN_INCORRECT; the PIN is in no message or audit record', async () => {
    const records: Pkcs11AuditRecord[] = [];
    const wrong = '999111';
    const error = await expectCode(
      openPkcs11Token({ module, tokenLabel: 'spare', pin: wrong, audit: (r) => records.push(r) }),
      'ERR_PKCS11_PIN_INCORRECT',
    );
    expect(error.message).not.toContain(wrong);
    expect(JSON.stringify((error as unknown as { details: unknown }).details)).not.toContain(wrong);
    expect(records.map((r) => [r.operation, r.outcome, r.errorName, r.errorCode])).toContainEqual([
      'Login',
      'error',
      'CKR_PIN_INCORRECT',
      'ERR_PKCS11_PIN_INCORRECT',
    ]);
    expect(JSON.stringify(records)).not.toContain(wrong);
    expect(JSON.stringify(audit)).not.toContain(PIN);
    // and the right PIN still opens the token (a wrong PIN is never retried)
    const spare = await openPkcs11Token({ module, tokenLabel: 'spare', pin: PIN });
    await spare.close();
  });

  it('missing key → ERR_PKCS11_KEY_NOT_FOUND (by label and by id); unknown token → ERR_PKCS11_TOKEN_NOT_FOUND', async () => {
    await expectCode(
      createPkcs11Signer({ token, key: { label: 'no-such-key' } }),
      'ERR_PKCS11_KEY_NOT_FOUND',
    );
    await expectCode(createPkcs11Signer({ token, key: { id: 'deadbeef' } }), 'ERR_PKCS11_KEY_NOT_FOUND');
    await expectCode(
      openPkcs11Token({ module, tokenLabel: 'no-such-token', pin: PIN }),
      'ERR_PKCS11_TOKEN_NOT_FOUND',
    );
    await expectCode(createPkcs11Signer({ token, key: {} }), 'ERR_PKCS11_CONFIG_INVALID');
  });

  it('two private keys under one label → ERR_PKCS11_KEY_AMBIGUOUS; by label and id together it is found', async () => {
    // a second pair with the same label, made behind the package's back (generatePkcs11Key refuses it)
    const first = await generatePkcs11Key({ token, curve: 'P-256', label: 'twice' });
    const raw = probe.raw!;
    const slot = raw.C_GetSlotList(true).find((s) => raw.C_GetTokenInfo(s).label.trim() === 'mdl-ds')!;
    const session = raw.C_OpenSession(slot, 0x6);
    try {
      const label = { type: 0x3, value: 'twice' };
      const id = { type: 0x102, value: Buffer.from('0badc0de', 'hex') };
      await raw.C_GenerateKeyPairAsync(
        session,
        { mechanism: 0x1040 },
        [
          { type: 0x1, value: true },
          label,
          id,
          { type: 0x180, value: Buffer.from('06082a8648ce3d030107', 'hex') },
        ],
        [{ type: 0x1, value: true }, { type: 0x2, value: true }, { type: 0x108, value: true }, label, id],
      );
    } finally {
      raw.C_CloseSession(session);
    }
    await expectCode(createPkcs11Signer({ token, key: { label: 'twice' } }), 'ERR_PKCS11_KEY_AMBIGUOUS');
    const byBoth = await createPkcs11Signer({ token, key: { label: 'twice', id: first.id } });
    expect(byBoth.publicKey).toEqual(first.publicKey);
  });

  it('the token can be named by slot id or serial number as well as by label', async () => {
    const bySlot = await openPkcs11Token({ module, slot: token.slot, pin: PIN }).then(
      () => 'opened',
      (e: unknown) => (e as { code: string }).code,
    );
    // the token is already open through this module: a second object for it is refused, found by slot
    expect(bySlot).toBe('ERR_PKCS11_CONFIG_INVALID');
    const listed = module.listTokens().find((t) => t.label === 'spare')!;
    const spare = await openPkcs11Token({ module, slot: listed.slot, pin: PIN });
    expect(spare.label).toBe('spare');
    await spare.close();
    const bySerial = await openPkcs11Token({ module, tokenSerial: listed.serialNumber, pin: PIN });
    expect(bySerial.slot).toBe(listed.slot);
    await bySerial.close();
    await expectCode(openPkcs11Token({ module, pin: PIN }), 'ERR_PKCS11_CONFIG_INVALID');
  });

  it('key generation refuses a label already on the token → ERR_PKCS11_KEY_EXISTS', async () => {
    await generatePkcs11Key({ token, curve: 'P-256', label: 'taken' });
    await expectCode(generatePkcs11Key({ token, curve: 'P-384', label: 'taken' }), 'ERR_PKCS11_KEY_EXISTS');
  });

  it('a certificate of another key → ERR_PKCS11_KEY_CERTIFICATE_MISMATCH', async () => {
    const a = await generatePkcs11Key({ token, curve: 'P-256', label: 'pair-a' });
    await generatePkcs11Key({ token, curve: 'P-256', label: 'pair-b' });
    const signerA = await createPkcs11Signer({ token, key: { label: 'pair-a' } });
    const certificateA = await dsCertificateFromCsr(
      iaca,
      await createPkcs11Csr({ signer: signerA, subject: { country: 'US', commonName: 'A' } }),
    );
    expect(parseCertificate(certificateA).publicKeyInfo.spki).toEqual(a.publicKey);
    await expectCode(
      createPkcs11Signer({ token, key: { label: 'pair-b' }, certificate: certificateA }),
      'ERR_PKCS11_KEY_CERTIFICATE_MISMATCH',
    );
    const signerB = await createPkcs11Signer({ token, key: { label: 'pair-b' } });
    expect(() => checkSignerCertificate({ signer: signerB, certificate: certificateA })).toThrow(
      expect.objectContaining({ code: 'ERR_PKCS11_KEY_CERTIFICATE_MISMATCH' }),
    );
  });

  it('the public key is read once and every read is a copy', async () => {
    await generatePkcs11Key({ token, curve: 'P-384', label: 'copies' });
    const finds = audit.filter((r) => r.operation === 'FindKey').length;
    const signer = ecdsa(await createPkcs11Signer({ token, key: { label: 'copies' } }));
    const findsAtCreate = audit.filter((r) => r.operation === 'FindKey').length - finds;
    const first = signer.publicKey;
    first.fill(0);
    expect(signer.publicKey).not.toEqual(first);
    for (let i = 0; i < 5; i++) await signer.signDigest(digest('SHA-384', new Uint8Array([i])));
    expect(audit.filter((r) => r.operation === 'FindKey').length - finds).toBe(findsAtCreate);
  });

  it('audit: one redacted record per operation; digests and signatures appear only as lengths', async () => {
    await generatePkcs11Key({ token, curve: 'P-256', label: 'audited' });
    const signer = ecdsa(await createPkcs11Signer({ token, key: { label: 'audited' } }));
    const from = audit.length;
    const data = digest('SHA-256', new TextEncoder().encode('audit me'));
    await signer.signDigest(data);
    const records = audit.slice(from);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      service: 'pkcs11',
      operation: 'Sign',
      resourceId: 'token/mdl-ds/key/audited',
      outcome: 'success',
      attempt: 1,
      request: { mechanism: 'CKM_ECDSA', digest: { redacted: 'bytes', length: 32 } },
      response: { signature: { redacted: 'bytes', length: 64 } },
    });
    expect(typeof records[0]!.latencyMs).toBe('number');
  });

  it('sessions closed under the signer (HSM restart): one reconnect, a new login, the signature still made', async () => {
    const records: Pkcs11AuditRecord[] = [];
    const own = await openPkcs11Token({
      module,
      tokenLabel: 'reconnect',
      pin: PIN,
      audit: (r) => records.push(r),
    });
    try {
      await generatePkcs11Key({ token: own, curve: 'P-256', label: 'survivor' });
      const signer = ecdsa(await createPkcs11Signer({ token: own, key: { label: 'survivor' } }));
      const before = own.stats();
      const raw = probe.raw!;
      const slot = raw.C_GetSlotList(true).find((s) => raw.C_GetTokenInfo(s).label.trim() === 'reconnect')!;
      raw.C_CloseAllSessions(slot);
      const data = new TextEncoder().encode('after the restart');
      const signature = await signer.signDigest(digest('SHA-256', data));
      const key = importPublicKey({ format: 'spki', der: signer.publicKey });
      expect(await verifySignature({ alg: CoseAlg.ES256, key, data, signature })).toBe(true);
      const after = own.stats();
      expect(after.reconnects - before.reconnects).toBe(1);
      expect(after.logins - before.logins).toBe(1);
      const signs = records.filter((r) => r.operation === 'Sign').slice(-2);
      expect(signs.map((r) => [r.attempt, r.outcome, r.errorName])).toEqual([
        [1, 'error', 'CKR_SESSION_HANDLE_INVALID'],
        [2, 'success', undefined],
      ]);
      expect(records.some((r) => r.operation === 'Reconnect' && r.outcome === 'success')).toBe(true);
    } finally {
      await own.close();
    }
  });

  it('a removed token → ERR_PKCS11_TOKEN_REMOVED on the next signature', async () => {
    const records: Pkcs11AuditRecord[] = [];
    const removable = await openPkcs11Token({
      module,
      tokenLabel: 'removable',
      pin: PIN,
      audit: (r) => records.push(r),
    });
    try {
      await generatePkcs11Key({ token: removable, curve: 'P-256', label: 'doomed' });
      const signer = ecdsa(await createPkcs11Signer({ token: removable, key: { label: 'doomed' } }));
      expect(await signer.signDigest(new Uint8Array(32).fill(1))).toHaveLength(64);
      hsm.util(['--delete-token', '--token', 'removable']);
      const error = await expectCode(
        signer.signDigest(new Uint8Array(32).fill(2)),
        'ERR_PKCS11_TOKEN_REMOVED',
      );
      expect(error.message).toContain('removable');
      expect(records.find((r) => r.operation === 'Reconnect')).toMatchObject({
        outcome: 'error',
        errorCode: 'ERR_PKCS11_TOKEN_REMOVED',
      });
    } finally {
      await removable.close();
    }
  });

  it('a closed token refuses work → ERR_PKCS11_CLOSED; a second initialisation → ERR_PKCS11_MODULE_IN_USE', async () => {
    const spare = await openPkcs11Token({ module, tokenLabel: 'spare', pin: PIN });
    await generatePkcs11Key({ token: spare, curve: 'P-256', label: 'closing' });
    const signer = ecdsa(await createPkcs11Signer({ token: spare, key: { label: 'closing' } }));
    await spare.close();
    await expectCode(signer.signDigest(new Uint8Array(32)), 'ERR_PKCS11_CLOSED');
    await expectCode((async () => Pkcs11Module.load({ path: hsm.module }))(), 'ERR_PKCS11_MODULE_IN_USE');
    await expectCode(
      openPkcs11Token({ module, tokenLabel: 'mdl-ds', pin: PIN }),
      'ERR_PKCS11_CONFIG_INVALID',
    );
  });

  it.each(['P-256', 'P-521', 'Ed25519'] as const)(
    '%s: the WebCrypto facade signs a CSR and a certificate with @peculiar/x509, verified by node:crypto',
    async (curve: Pkcs11Curve) => {
      await generatePkcs11Key({ token, curve, label: `x509-${curve}` });
      const signer = await createPkcs11Signer({ token, key: { label: `x509-${curve}` } });
      const base = webcrypto as unknown as Crypto;
      const hsmCrypto = await createPkcs11WebCrypto({ signer, crypto: base });
      const keys = { privateKey: hsmCrypto.privateKey, publicKey: hsmCrypto.publicKey };
      const csr = await Pkcs10CertificateRequestGenerator.create(
        { name: 'C=US, CN=HSM CSR', keys, signingAlgorithm: hsmCrypto.signingAlgorithm },
        hsmCrypto.crypto,
      );
      expect(await csr.verify(base)).toBe(true);
      const cert = await X509CertificateGenerator.createSelfSigned(
        {
          serialNumber: '0102030405060708',
          name: 'C=US, CN=HSM self-signed',
          notBefore: new Date('2026-01-01T00:00:00Z'),
          notAfter: new Date('2026-06-01T00:00:00Z'),
          keys,
          signingAlgorithm: hsmCrypto.signingAlgorithm,
        },
        hsmCrypto.crypto,
      );
      const node = new NodeX509(Buffer.from(cert.rawData));
      expect(node.verify(node.publicKey)).toBe(true);
      expect(new Uint8Array(node.publicKey.export({ format: 'der', type: 'spki' }))).toEqual(
        signer.publicKey,
      );
    },
  );
});

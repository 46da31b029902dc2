/**
 * Status-list signers to the profile (ISO/IEC 18013-5 ed2 §12.3.6, B.1.7 Table B.9): the list that
 * says "not revoked" is trusted only when its signer is an IACA-issued end entity with keyUsage
 * digitalSignature and — when it carries an EKU — the status-signing purpose; under the caller's
 * policy; not revoked by the IACA CRL when CRLs are given. A DS key, an OCSP signer, a pinned DS or a
 * CA never un-revokes an MSO.
 */
import { publicKeyToCoseKey } from '@mdlkit/core/cose';
import {
  CoseAlg,
  type CoseSigner,
  createLocalSigner,
  exportPublicKey,
  generateKeyPair,
  type KeyPair,
  randomBytes,
} from '@mdlkit/core/crypto';
import { answerDeviceRequest, parseDeviceRequest, parseIssuedMdoc } from '@mdlkit/holder';
import { buildStatusListToken, issueMdoc, StatusList } from '@mdlkit/issuer';
import {
  assembleCertificate,
  buildCrl,
  buildOcspSignerCertificate,
  buildStatusListSignerCertificate,
  encodeName,
  extensionsFor,
  parseCertificate,
  statusListSignerProfile,
  TrustStore,
} from '@mdlkit/pki';
import { openId4VpTranscript } from '@mdlkit/test-utils/mdoc';
import { buildTestPki } from '@mdlkit/test-utils/pki';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildDeviceRequest,
  CheckId,
  type RevocationOptions,
  type VerificationReport,
  verifyDeviceResponse,
} from '../src/index.js';
import { ELEMENTS, NOW } from './fixtures.js';

const URI = 'https://status.dmv.example/lists/1';
const IDX = 7;
const TRANSCRIPT = openId4VpTranscript('status');
/** A status-signing purpose OID a caller configured (the real one is still `{ id-kp TBD }`). */
const CONFIGURED_PURPOSE = '1.3.6.1.4.1.99999.1.1';

interface World {
  iaca: Uint8Array;
  iacaSigner: CoseSigner;
  ds: Uint8Array;
  dsKey: KeyPair;
  signer: Uint8Array;
  signerKey: KeyPair;
}

const spkiOf = (k: KeyPair) => exportPublicKey(k.publicKey, 'spki');
const signerOf = (k: KeyPair) => createLocalSigner({ privateKey: k.privateKey, alg: CoseAlg.ES256 });
const validity = {
  notBefore: new Date('2025-03-01T00:00:00Z'),
  notAfter: new Date('2026-03-01T00:00:00Z'),
};

async function world(): Promise<World> {
  const { iaca, iacaSigner, ds, dsKey } = await buildTestPki({
    iacaName: 'status test IACA',
    dsName: 'status test DS',
    stateOrProvince: 'US-NY',
  });
  const issuer = { certificate: iaca, signer: iacaSigner };
  const signerKey = generateKeyPair({ curve: 'P-256' });
  const signer = await buildStatusListSignerCertificate({
    subject: { commonName: 'status test list signer' },
    publicKey: spkiOf(signerKey),
    issuer,
    ...validity,
    randomBytes,
  });
  return { iaca, iacaSigner, ds, dsKey, signer, signerKey };
}

/** An mDL whose MSO names the status list entry, presented with a device signature. */
async function present(w: World, certificate?: Uint8Array): Promise<Uint8Array> {
  const device = generateKeyPair({ curve: 'P-256' });
  const issued = await issueMdoc({
    docType: 'org.iso.18013.5.1.mDL',
    nameSpaces: { 'org.iso.18013.5.1': ELEMENTS },
    deviceKey: publicKeyToCoseKey(device.publicKey),
    validity: { signed: new Date('2025-05-01T00:00:00Z'), validUntil: new Date('2026-01-01T00:00:00Z') },
    signer: signerOf(w.dsKey),
    dsCertificate: w.ds,
    status: { statusList: { idx: IDX, uri: URI, ...(certificate === undefined ? {} : { certificate }) } },
    now: new Date('2025-05-01T00:00:00Z'),
  });
  const stored = parseIssuedMdoc({
    id: 'mdl',
    issuerSigned: issued.issuerSigned,
    deviceKeyReference: { kind: 'signature', signer: signerOf(device) },
  });
  const { bytes } = await buildDeviceRequest({
    docRequests: [
      { docType: 'org.iso.18013.5.1.mDL', nameSpaces: { 'org.iso.18013.5.1': { family_name: false } } },
    ],
  });
  const request = await parseDeviceRequest(bytes, {});
  return (await answerDeviceRequest({ request, documents: [stored], sessionTranscript: TRANSCRIPT })).bytes;
}

/** A status list (entry IDX as given) signed by `key` with `chain` in x5chain. */
async function list(key: KeyPair, chain: readonly Uint8Array[], revoked = false): Promise<Uint8Array> {
  const statusList = new StatusList({ bits: 1, size: 64 });
  if (revoked) statusList.set(IDX, 1);
  return buildStatusListToken({
    statusList,
    uri: URI,
    now: new Date(NOW.getTime() - 3_600_000),
    expiresAt: new Date(NOW.getTime() + 86_400_000),
    signer: signerOf(key),
    certificateChain: chain,
  });
}

async function verify(
  response: Uint8Array,
  trust: TrustStore,
  token: Uint8Array,
  extra: Partial<RevocationOptions> & { policy?: 'strict' | 'interop' } = {},
): Promise<VerificationReport> {
  const { policy, ...revocation } = extra;
  return verifyDeviceResponse(response, {
    trust,
    now: NOW,
    sessionTranscript: TRANSCRIPT,
    ...(policy === undefined ? {} : { policy }),
    revocation: { statusLists: { [URI]: token }, undeterminedPolicy: 'reject', ...revocation },
  });
}

function msoCheck(report: VerificationReport) {
  return report.documents[0]!.checks.find((c) => c.id === CheckId.MSO_REVOCATION)!;
}

/** A forged "not revoked" must fail the document under `reject` and never pass the check. */
function expectRejected(report: VerificationReport, cause: string): void {
  const check = msoCheck(report);
  expect(check.status).toBe('failed');
  expect(check.code).toBe('ERR_REVOCATION_UNDETERMINED');
  expect(check.details?.cause).toBe(cause);
  expect(report.verified).toBe(false);
  expect(report.documents[0]!.elements.every((e) => !e.verified)).toBe(true);
}

describe('status-list signer to the profile (ed2 B.1.7 Table B.9)', () => {
  let w: World;
  let response: Uint8Array;
  let trust: TrustStore;
  beforeAll(async () => {
    w = await world();
    response = await present(w);
    trust = new TrustStore([w.iaca]);
  });

  it('a list signed by the IACA-issued status-list signer is trusted: not revoked, then revoked', async () => {
    const good = await verify(response, trust, await list(w.signerKey, [w.signer]));
    expect(msoCheck(good).status).toBe('passed');
    expect(good.verified).toBe(true);
    const revoked = await verify(response, trust, await list(w.signerKey, [w.signer], true));
    expect(msoCheck(revoked).status).toBe('failed');
    expect(msoCheck(revoked).code).toBe('ERR_MSO_REVOKED');
    expect(revoked.verified).toBe(false);
  });

  it('a list signed by the DS key (critical mdlDS EKU) is rejected under reject, and not "good" under accept', async () => {
    const token = await list(w.dsKey, [w.ds]);
    expectRejected(await verify(response, trust, token), 'ERR_X509_EKU');
    expectRejected(await verify(response, trust, token, { policy: 'strict' }), 'ERR_X509_EKU');
    const accepted = await verify(response, trust, token, { undeterminedPolicy: 'accept' });
    expect(msoCheck(accepted).status).toBe('undetermined');
  });

  it('a list signed by an IACA-issued OCSP signer is rejected (EKU without the status-signing purpose)', async () => {
    const ocspKey = generateKeyPair({ curve: 'P-256' });
    const ocsp = await buildOcspSignerCertificate({
      subject: { commonName: 'status test OCSP' },
      publicKey: spkiOf(ocspKey),
      issuer: { certificate: w.iaca, signer: w.iacaSigner },
      ocspNoCheck: true,
      notBefore: validity.notBefore,
      notAfter: new Date('2025-05-30T00:00:00Z'),
      randomBytes,
    });
    expectRejected(await verify(response, trust, await list(ocspKey, [ocsp])), 'ERR_X509_EKU');
  });

  it('a list signed by a DS the caller pinned is rejected (only an IACA-issued signer, never a pinned one)', async () => {
    const pinnedTrust = new TrustStore();
    pinnedTrust.addPinned(w.ds);
    const token = await list(w.dsKey, [w.ds]);
    // The DS verifies (pinned); its key must still not vouch for the MSO's revocation status.
    const report = await verify(response, pinnedTrust, token);
    expect(report.documents[0]!.checks.find((c) => c.id === CheckId.DS_CERTIFICATE_PATH)?.status).toBe(
      'passed',
    );
    expectRejected(report, 'ERR_X509_CHAIN_UNTRUSTED');
    // Pinned DS beside the IACA: the DS path ends at the pin, so there is no IACA to chain to.
    const both = new TrustStore([w.iaca]);
    both.addPinned(w.ds);
    expectRejected(await verify(response, both, token), 'ERR_X509_CHAIN_UNTRUSTED');
  });

  it('a list signed by the DS key under a DS certificate without EKU is rejected (the DS key never signs the list)', async () => {
    // A second certificate for the DS key, profiled as a status-list signer (no EKU): the profile
    // alone would accept it; the key is the DS's own.
    const twin = await buildStatusListSignerCertificate({
      subject: { commonName: 'DS key as list signer' },
      publicKey: spkiOf(w.dsKey),
      issuer: { certificate: w.iaca, signer: w.iacaSigner },
      ...validity,
      randomBytes,
    });
    expectRejected(await verify(response, trust, await list(w.dsKey, [twin])), 'ERR_X509_EKU');
  });

  it('a status-list signer that is a CA is rejected under every policy', async () => {
    const caKey = generateKeyPair({ curve: 'P-256' });
    const iaca = parseCertificate(w.iaca);
    const ca = await assembleCertificate({
      profile: statusListSignerProfile,
      subject: encodeName({ country: 'US', stateOrProvince: 'US-NY', commonName: 'CA list signer' }),
      issuerName: iaca.subject.der,
      spki: spkiOf(caKey),
      ...validity,
      serialNumber: randomBytes(16).map((b, i) => (i === 0 ? (b & 0x7f) | 0x01 : b)),
      extensions: [
        extensionsFor.ski(spkiOf(caKey)),
        extensionsFor.aki(iaca.subjectKeyIdentifier!),
        extensionsFor.keyUsage(['digitalSignature']),
        extensionsFor.caConstraints(),
      ],
      signer: w.iacaSigner,
      issuer: iaca,
      unchecked: true,
    });
    const token = await list(caKey, [ca]);
    expectRejected(await verify(response, trust, token), 'ERR_X509_BASIC_CONSTRAINTS');
    expectRejected(await verify(response, trust, token, { policy: 'strict' }), 'ERR_X509_BASIC_CONSTRAINTS');
  });

  it('a signer whose EKU names a configured status-signing purpose is trusted only when the caller names it', async () => {
    const key = generateKeyPair({ curve: 'P-256' });
    const iaca = parseCertificate(w.iaca);
    const withEku = await assembleCertificate({
      profile: statusListSignerProfile,
      subject: encodeName({ country: 'US', stateOrProvince: 'US-NY', commonName: 'EKU list signer' }),
      issuerName: iaca.subject.der,
      spki: spkiOf(key),
      ...validity,
      serialNumber: randomBytes(16).map((b, i) => (i === 0 ? (b & 0x7f) | 0x01 : b)),
      extensions: [
        extensionsFor.ski(spkiOf(key)),
        extensionsFor.aki(iaca.subjectKeyIdentifier!),
        extensionsFor.keyUsage(['digitalSignature']),
        extensionsFor.eku([CONFIGURED_PURPOSE], false),
      ],
      signer: w.iacaSigner,
      issuer: iaca,
    });
    const token = await list(key, [withEku]);
    expectRejected(await verify(response, trust, token), 'ERR_X509_EKU');
    const ok = await verify(response, trust, token, { statusSignerEkus: [CONFIGURED_PURPOSE] });
    expect(msoCheck(ok).status).toBe('passed');
    // The same store, the other option again: the validated-path cache must not serve the pass.
    expectRejected(await verify(response, trust, token), 'ERR_X509_EKU');
  });

  it('a revoked status-list signer is rejected when CRLs are given; a CRL without it lets the list through', async () => {
    const token = await list(w.signerKey, [w.signer]);
    const crl = (revoked: readonly Uint8Array[]) =>
      buildCrl({
        issuer: { certificate: w.iaca, signer: w.iacaSigner },
        thisUpdate: new Date('2025-05-20T00:00:00Z'),
        nextUpdate: new Date('2025-07-20T00:00:00Z'),
        crlNumber: 2,
        revoked: revoked.map((c) => ({
          serialNumber: parseCertificate(c).serialNumber,
          revocationDate: new Date('2025-05-19T00:00:00Z'),
        })),
      });
    const revoked = await verify(response, trust, token, { crls: [await crl([w.signer])] });
    expect(revoked.documents[0]!.checks.find((c) => c.id === CheckId.DS_REVOCATION)?.status).toBe('passed');
    expectRejected(revoked, 'ERR_CERT_REVOKED');
    const clean = await verify(response, trust, token, { crls: [await crl([])] });
    expect(msoCheck(clean).status).toBe('passed');
    expect(clean.verified).toBe(true);
  });

  it('a revoked signer named by the MSO certificate entry (pinned) is checked against the DS IACA CRL too', async () => {
    const pinnedResponse = await present(w, w.signer);
    const token = await list(w.signerKey, [w.signer]);
    const good = await verify(pinnedResponse, trust, token);
    expect(msoCheck(good).status).toBe('passed');
    const crl = await buildCrl({
      issuer: { certificate: w.iaca, signer: w.iacaSigner },
      thisUpdate: new Date('2025-05-20T00:00:00Z'),
      nextUpdate: new Date('2025-07-20T00:00:00Z'),
      crlNumber: 3,
      revoked: [
        {
          serialNumber: parseCertificate(w.signer).serialNumber,
          revocationDate: new Date('2025-05-19T00:00:00Z'),
        },
      ],
    });
    expectRejected(await verify(pinnedResponse, trust, token, { crls: [crl] }), 'ERR_CERT_REVOKED');
  });
});

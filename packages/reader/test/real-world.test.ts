/**
 * Issue 16: what real wallets send (shared/vectors/real-world, provenance in its manifest.json). Under
 * the default policy every sample gets its manifest verdict; under `strict` the encoding and profile
 * deviations fail with their codes; the tampered sample and a wrong transcript fail for the right reason.
 */
import { readFileSync } from 'node:fs';
import { fromHex } from '@mdlkit/core/cbor';
import { CoseAlg, createLocalSigner, generateKeyPair } from '@mdlkit/core/crypto';
import {
  assembleCertificate,
  encodeName,
  extensionsFor,
  iacaProfile,
  parseCertificate,
  pemToDer,
  TrustStore,
} from '@mdlkit/pki';
import { describe, expect, it } from 'vitest';
import { assertVerified, CheckId, DEFAULT_VERIFICATION_POLICY, verifyDeviceResponse } from '../src/index.js';

const dir = new URL('../../../../shared/vectors/real-world/', import.meta.url);
const text = (file: string) => readFileSync(new URL(file, dir), 'utf8').trim();
const hex = (file: string) => fromHex(text(file));

interface Sample {
  readonly id: string;
  readonly now: string;
  readonly transcript: string;
  readonly trust: () => TrustStore;
}
const pinned = (file: string) => () => {
  const store = new TrustStore();
  store.addPinned(text(file));
  return store;
};
const auth0Trust = () => new TrustStore([text('auth0-ny-dmv-issuer.pem')]);
const samples: Record<string, Sample> = {
  google: {
    id: '00-google-test-mdl-android-handover',
    now: '2024-01-30T09:00:00Z',
    transcript: '00-google-test-mdl-android-handover.session-transcript.hex',
    trust: pinned('00-google-test-mdl-android-handover.ds.pem'),
  },
  payground: {
    id: '06-payground-oid4vp-dcapi',
    now: '2025-06-10T23:59:59Z',
    transcript: '06-payground-oid4vp-dcapi.session-transcript.hex',
    trust: pinned('06-payground-oid4vp-dcapi.ds.pem'),
  },
  auth0: {
    id: 'auth0-example1',
    now: '2024-01-01T00:00:00Z',
    transcript: 'auth0-example1.session-transcript-bytes.hex',
    trust: auth0Trust,
  },
  auth0Tampered: {
    id: 'auth0-example3',
    now: '2024-01-01T00:00:00Z',
    transcript: 'auth0-example3.session-transcript-bytes.hex',
    trust: auth0Trust,
  },
};

const verify = (s: Sample, extra: object = {}) =>
  verifyDeviceResponse(hex(`${s.id}.device-response.hex`), {
    trust: s.trust(),
    now: new Date(s.now),
    sessionTranscript: hex(s.transcript),
    ...extra,
  });
const check = (report: Awaited<ReturnType<typeof verify>>, id: string) =>
  report.documents[0]!.checks.find((c) => c.id === id);

describe('real-world samples under the default policy', () => {
  it('the default is named interop', () => {
    expect(DEFAULT_VERIFICATION_POLICY).toBe('interop');
  });

  it('00 Google test mDL over AndroidHandoverv1: ACCEPT with the DS pinned, the profile deviation a warning', async () => {
    const report = await verify(samples.google!);
    expect(report.policy).toBe('interop');
    expect(report.verified).toBe(true);
    expect(report.sessionTranscript?.handover).toBe('android-v1');
    expect(report.documents[0]!.findings).toContainEqual(
      expect.objectContaining({
        code: 'ERR_X509_PROFILE_VIOLATION',
        severity: 'warning',
        source: 'certificate',
      }),
    );
  });

  it('00: REJECT (untrusted chain) with an empty trust list', async () => {
    const report = await verify({ ...samples.google!, trust: () => new TrustStore() });
    expect(report.verified).toBe(false);
    expect(check(report, CheckId.DS_CERTIFICATE_PATH)).toMatchObject({
      status: 'failed',
      code: 'ERR_X509_CHAIN_UNTRUSTED',
    });
  });

  it('06 Payground DC API presentation: ACCEPT with the DS pinned', async () => {
    const report = await verify(samples.payground!);
    expect(report.verified).toBe(true);
    expect(report.sessionTranscript?.handover).toBe('openid4vp-dc-api');
  });

  it('auth0-example1 (non-preferred CBOR, no EKU / keyUsage, attached payload): ACCEPT, every leniency visible', async () => {
    const report = await verify(samples.auth0!);
    expect(report.verified).toBe(true);
    assertVerified(report);
    expect(report.sessionTranscript?.handover).toBe('openid4vp-pre-standard');
    expect(report.findings).toContainEqual(
      expect.objectContaining({ code: 'ERR_CBOR_NON_PREFERRED', severity: 'warning' }),
    );
    const codes = report.documents[0]!.findings.map((f) => `${f.code}:${f.severity}`);
    expect(codes).toContain('ERR_X509_EKU_MISSING:warning');
    expect(codes).toContain('ERR_X509_KEY_USAGE_MISSING:warning');
    expect(codes).toContain('ERR_DEVICE_SIGNATURE_PAYLOAD_ATTACHED:warning');
    // Every path finding is kept, not just the first.
    expect(codes.filter((c) => c.startsWith('ERR_X509_PROFILE_VIOLATION')).length).toBeGreaterThan(4);
    expect(report.documents[0]!.findings.every((f) => f.severity !== 'error')).toBe(true);
  });

  it('auth0-example1: the two values of the wrong mDL type are verified but never a clean pass', async () => {
    // The sample's portrait is the text "bstr" and its driving privilege dates are text, not full-dates.
    const report = await verify(samples.auth0!);
    const doc = report.documents[0]!;
    const flagged = doc.elements.filter((e) => e.findings !== undefined);
    expect(flagged.map((e) => e.identifier).sort()).toEqual(['driving_privileges', 'portrait']);
    for (const e of flagged) {
      expect(e.verified).toBe(true);
      expect(e.findings).toEqual([
        expect.objectContaining({ code: 'ERR_DATA_ELEMENT_TYPE', severity: 'warning', source: 'schema' }),
      ]);
    }
    expect(doc.elements.filter((e) => e.findings === undefined).every((e) => e.verified)).toBe(true);
    expect(check(report, CheckId.ELEMENT_TYPES)).toMatchObject({
      status: 'passed',
      details: { problems: 2 },
    });
  });

  it('auth0-example3 (tampered family_name): REJECT with ERR_MSO_DIGEST_MISMATCH, signatures valid', async () => {
    const report = await verify(samples.auth0Tampered!);
    expect(report.verified).toBe(false);
    expect(check(report, CheckId.VALUE_DIGESTS)).toMatchObject({
      status: 'failed',
      code: 'ERR_MSO_DIGEST_MISMATCH',
    });
    expect(check(report, CheckId.ISSUER_AUTH_SIGNATURE)?.status).toBe('passed');
    expect(check(report, CheckId.DEVICE_AUTH)?.status).toBe('passed');
    const family = report.documents[0]!.elements.find((e) => e.identifier === 'family_name');
    expect(family?.verified).toBe(false);
  });

  it('a wrong transcript fails device authentication with ERR_DEVICE_SIGNATURE_INVALID, not a parse error', async () => {
    for (const s of [samples.google!, samples.payground!, samples.auth0!]) {
      const transcript = hex(s.transcript);
      transcript[transcript.length - 1]! ^= 0x01;
      const report = await verify(s, { sessionTranscript: transcript });
      expect(report.verified, s.id).toBe(false);
      expect(check(report, CheckId.DEVICE_AUTH), s.id).toMatchObject({
        status: 'failed',
        code: 'ERR_DEVICE_SIGNATURE_INVALID',
      });
    }
  });
});

describe('real-world samples under strict', () => {
  it('00: the Annex B profile deviation fails with ERR_X509_PROFILE_VIOLATION', async () => {
    const report = await verify(samples.google!, { policy: 'strict' });
    expect(report.verified).toBe(false);
    expect(check(report, CheckId.DS_CERTIFICATE_PATH)).toMatchObject({
      status: 'failed',
      code: 'ERR_X509_PROFILE_VIOLATION',
    });
  });

  it('auth0-example1: the non-preferred encoding fails with ERR_CBOR_NON_PREFERRED', async () => {
    await expect(verify(samples.auth0!, { policy: 'strict' })).rejects.toMatchObject({
      code: 'ERR_CBOR_NON_PREFERRED',
    });
  });

  it('auth0-example1 with the encoding allowed explicitly: the missing EKU, keyUsage and attached payload fail', async () => {
    const report = await verify(samples.auth0!, { policy: 'strict', decoding: { allowNonPreferred: true } });
    expect(report.verified).toBe(false);
    const errors = report.documents[0]!.findings.filter((f) => f.severity === 'error').map((f) => f.code);
    expect(errors).toContain('ERR_X509_EKU_MISSING');
    expect(errors).toContain('ERR_X509_KEY_USAGE_MISSING');
    expect(errors).toContain('ERR_X509_PROFILE_VIOLATION');
    expect(check(report, CheckId.DEVICE_AUTH)).toMatchObject({
      status: 'failed',
      code: 'ERR_DEVICE_SIGNATURE_INVALID',
    });
    expect(check(report, CheckId.ELEMENT_TYPES)).toMatchObject({
      status: 'failed',
      code: 'ERR_DATA_ELEMENT_TYPE',
      details: { problems: 2 },
    });
    expect(errors).toContain('ERR_DATA_ELEMENT_TYPE');
    // The explicit leniency is still reported.
    expect(report.findings.map((f) => f.code)).toContain('ERR_CBOR_NON_PREFERRED');
  });
});

/**
 * The 06 trap (manifest "expected"): the DS signature also verifies under the key of another root
 * (`ul-testing-staging-root.pem`), whose name is not the DS issuer's "CN=Payground Root,O=Google,C=ZZ"
 * and which expired on 2025-04-26, before the sample's `now`. That root is not in the vector set, so the
 * test stands one in: its public key is recovered from the DS certificate's own ECDSA signature (P-521,
 * SHA-512; public-key recovery gives two candidates, both verify the DS), so "the key verifies" holds
 * exactly as in the trap. A path to such an anchor must fail whichever way it is dressed.
 */
describe('06 trap: an anchor whose key verifies the DS is not enough', () => {
  // SubjectPublicKeyInfo of the two keys recovered from the 06 DS certificate signature.
  const RECOVERED = [
    '30819b301006072a8648ce3d020106052b81040023038186000401f121da672f5df83498abf89f5ddd052061db867e31dcbaa0f5ec0d25301eb58de8147398746dfee011415151d5a8b65463bfa0ad7099c532b1cd58d250bb94735e005a1618d132f9f8e17d5472e4be82460be7f425a0a930a69731cb203453c568d02064b4f29a23ffd7a7abc840f25d118fd14ecafa8d8dc2c731e91047635c46f1d9',
    '30819b301006072a8648ce3d020106052b81040023038186000401230aeb3df68c75fdd6ad811391a83bc9ab7e3e5e6d6479e7620d45da7055be4733053aee2c2b5c830e58aa5ad5d38478bc8d3515b28628873c4298f6ceba6153bc002b0a9345e41a18151b434dc304299d1967934cf0e2c33be14cad666ae862680db03e1e40e481d217dff5eb879d82651735ba53a55a3cf0b6ed5e4852df5df56563',
  ];
  const ds = parseCertificate(pemToDer(text('06-payground-oid4vp-dcapi.ds.pem')));
  // Anything signs the stand-ins: an anchor's own signature is not what trusts it.
  const throwaway = generateKeyPair({ curve: 'P-256' });
  const standIn = (subject: Uint8Array, spkiHex: string, notAfter: Date) =>
    assembleCertificate({
      profile: iacaProfile,
      subject,
      issuerName: subject,
      spki: fromHex(spkiHex),
      notBefore: new Date('2024-04-26T00:00:00Z'),
      notAfter,
      serialNumber: new Uint8Array([0x21, 7]),
      extensions: [extensionsFor.caConstraints(), extensionsFor.keyUsage(['keyCertSign', 'cRLSign'])],
      signer: createLocalSigner({ privateKey: throwaway.privateKey, alg: CoseAlg.ES256 }),
      unchecked: true,
    });
  const EXPIRED = new Date('2025-04-26T00:00:00Z');
  const LATER = new Date('2030-01-01T00:00:00Z');
  const withAnchor = async (anchor: Uint8Array) =>
    verify({ ...samples.payground!, trust: () => new TrustStore([anchor]) });

  it('the recovered keys really verify the DS: a stand-in with its name, still valid, accepts (the control)', async () => {
    for (const spki of RECOVERED) {
      const report = await withAnchor(await standIn(ds.issuer.der, spki, LATER));
      expect(check(report, CheckId.DS_CERTIFICATE_PATH)?.status).toBe('passed');
      expect(report.verified).toBe(true);
    }
  });

  it('key verifies, name differs (the ul-testing root), expired: REJECT, path untrusted', async () => {
    const other = encodeName({ country: 'US', organization: 'UL', commonName: 'UL Testing Staging Root' });
    for (const spki of RECOVERED) {
      for (const notAfter of [EXPIRED, LATER]) {
        const report = await withAnchor(await standIn(other, spki, notAfter));
        expect(report.verified).toBe(false);
        expect(check(report, CheckId.DS_CERTIFICATE_PATH)).toMatchObject({
          status: 'failed',
          code: 'ERR_X509_CHAIN_UNTRUSTED',
        });
        expect(report.documents[0]!.elements.every((e) => !e.verified)).toBe(true);
      }
    }
  });

  it('key verifies and the name is the DS issuer, but the root expired before now: REJECT on validity', async () => {
    for (const spki of RECOVERED) {
      const report = await withAnchor(await standIn(ds.issuer.der, spki, EXPIRED));
      expect(report.verified).toBe(false);
      expect(check(report, CheckId.DS_CERTIFICATE_VALIDITY)?.status).toBe('failed');
      expect(report.documents[0]!.elements.every((e) => !e.verified)).toBe(true);
    }
  });

  it('pinned, the DS alone is enough; with an empty trust list the path is untrusted', async () => {
    expect((await verify(samples.payground!)).verified).toBe(true);
    const report = await verify({ ...samples.payground!, trust: () => new TrustStore() });
    expect(report.verified).toBe(false);
    expect(check(report, CheckId.DS_CERTIFICATE_PATH)?.code).toBe('ERR_X509_CHAIN_UNTRUSTED');
  });
});

import { decodeCbor, type EncodedCbor, encodeCbor, RawCbor } from '@mdlkit/core/cbor';
import { decodeCoseSign1, parseCoseSign1, verifyCoseSign1 } from '@mdlkit/core/cose';
import { createLocalSigner, digest, generateKeyPair } from '@mdlkit/core/crypto';
import { isMdlError } from '@mdlkit/core/errors';
import {
  checkVersion,
  decodeDeviceRequest,
  decodeDeviceResponse,
  parseDeviceRequestInfo,
} from '@mdlkit/core/mdoc';
import { buildDeviceAuthenticationBytes } from '@mdlkit/core/session';
import { issueMdoc } from '@mdlkit/issuer';
import { encodeTestDeviceRequest, qrSessionTranscript, useCasesInfo } from '@mdlkit/test-fixtures';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeIssuer, NOW, type TestIssuer } from '../../issuer/test/fixtures.js';
import { createQrEngagement } from '../src/engagement/create-qr-engagement.js';
import { parseDeviceRequest } from '../src/request/parse-device-request.js';
import { answerDeviceRequest } from '../src/response/answer-device-request.js';
import { MdocStore } from '../src/store/mdoc-store.js';

/** The code `fn` throws, or `'none'`. */
function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return isMdlError(e) ? e.code : 'not an MdlError';
  }
  return 'none';
}

type CborMap = Map<unknown, unknown>;
const NS = 'org.iso.18013.5.1';
const DOCTYPE = 'org.iso.18013.5.1.mDL';
const ELEMENTS: Record<string, unknown> = {
  family_name: 'Doe',
  given_name: 'Jane',
  issuing_country: 'US',
  document_number: 'D1234567',
  age_over_18: true,
  age_over_21: true,
  age_over_65: false,
};

const deviceRequest = (nameSpaces: Record<string, Record<string, boolean>>, docType = DOCTYPE): Uint8Array =>
  encodeTestDeviceRequest({ docRequests: [{ docType, nameSpaces }] });

describe('issue → hold → present', () => {
  let issuer: TestIssuer;
  let store: MdocStore;
  const deviceKey = generateKeyPair({ curve: 'P-256' });
  const { transcript } = qrSessionTranscript(createQrEngagement().deviceEngagementBytes);

  beforeAll(async () => {
    issuer = await makeIssuer();
    const mdoc = await issueMdoc({
      docType: DOCTYPE,
      nameSpaces: { [NS]: ELEMENTS, 'org.iso.18013.5.1.US': { organ_donor: 1 } },
      deviceKey: deviceKey.publicKey,
      validity: { validUntil: new Date('2025-06-01T00:00:00Z') },
      signer: issuer.signer,
      dsCertificate: issuer.ds,
      now: NOW,
      requireMandatory: false, // a partial mDL keeps the disclosure assertions readable
    });
    store = new MdocStore();
    store.add({
      id: 'mdl',
      issuerSigned: mdoc.issuerSigned,
      deviceKeyReference: {
        kind: 'signature',
        signer: createLocalSigner({ privateKey: deviceKey.privateKey, alg: -7 }),
      },
    });
  });

  async function present(nameSpaces: Record<string, Record<string, boolean>>, extra = {}) {
    const request = await parseDeviceRequest(deviceRequest(nameSpaces));
    return answerDeviceRequest({ request, documents: store.list(), sessionTranscript: transcript, ...extra });
  }

  function released(bytes: Uint8Array): Map<string, string[]> {
    const response = decodeCbor(bytes) as CborMap;
    const doc = (response.get('documents') as CborMap[])[0]!;
    const ns = ((doc.get('issuerSigned') as CborMap).get('nameSpaces') as CborMap | undefined) ?? new Map();
    return new Map(
      [...ns].map(([name, items]) => [
        name as string,
        (items as EncodedCbor[]).map((i) => (i.value as CborMap).get('elementIdentifier') as string),
      ]),
    );
  }

  it('releases only requested elements; the device signature verifies over the real transcript', async () => {
    const answer = await present({ [NS]: { family_name: true, age_over_18: false, height: false } });
    expect(released(answer.bytes)).toEqual(new Map([[NS, ['family_name', 'age_over_18']]]));
    const response = decodeCbor(answer.bytes) as CborMap;
    const doc = (response.get('documents') as CborMap[])[0]!;
    const deviceSigned = doc.get('deviceSigned') as CborMap;
    const dnsb = deviceSigned.get('nameSpaces') as EncodedCbor;
    expect(dnsb.tagged()).toEqual(new Uint8Array([0xd8, 0x18, 0x41, 0xa0]));
    const sig = parseCoseSign1((deviceSigned.get('deviceAuth') as CborMap).get('deviceSignature'));
    expect(sig.payload).toBeNull();
    const detachedPayload = buildDeviceAuthenticationBytes({
      sessionTranscript: transcript,
      docType: DOCTYPE,
      deviceNameSpacesBytes: dnsb,
    }).tagged();
    expect(await verifyCoseSign1({ message: sig, key: deviceKey.publicKey, detachedPayload })).toBe(true);
    // Issuer data passes through untouched: digests still match, IssuerAuth still verifies.
    const issuerAuth = decodeCoseSign1(encodeCbor((doc.get('issuerSigned') as CborMap).get('issuerAuth')));
    expect(await verifyCoseSign1({ message: issuerAuth, key: issuer.dsKey.publicKey })).toBe(true);
    const mso = (decodeCbor(issuerAuth.payload!) as EncodedCbor).value as CborMap;
    const vd = (mso.get('valueDigests') as CborMap).get(NS) as Map<number, Uint8Array>;
    for (const item of ((doc.get('issuerSigned') as CborMap).get('nameSpaces') as CborMap).get(
      NS,
    ) as EncodedCbor[]) {
      expect(vd.get((item.value as CborMap).get('digestID') as number)).toEqual(
        digest('SHA-256', item.tagged()),
      );
    }
  });

  it('age_over_NN substitution and intent to retain surfaced to consent', async () => {
    let seen: unknown;
    const answer = await present(
      { [NS]: { age_over_20: true, age_over_70: false } },
      {
        consent: (p: { elements: unknown; readerAuth: unknown; readerAuthAll: unknown }) => {
          seen = p.elements;
          expect(p.readerAuth).toEqual({ status: 'absent' });
          expect(p.readerAuthAll).toEqual([]);
          return p.elements as never;
        },
      },
    );
    expect(released(answer.bytes)).toEqual(new Map([[NS, ['age_over_21', 'age_over_65']]]));
    expect(seen).toEqual([
      { nameSpace: NS, identifier: 'age_over_21', requestedAs: 'age_over_20', intentToRetain: true },
      { nameSpace: NS, identifier: 'age_over_65', requestedAs: 'age_over_70', intentToRetain: false },
    ]);
  });

  it('consent can narrow or decline; unknown docTypes become documentErrors', async () => {
    const narrowed = await present(
      { [NS]: { family_name: true, given_name: true } },
      {
        consent: () => [
          { nameSpace: NS, identifier: 'given_name' },
          { nameSpace: NS, identifier: 'portrait' },
        ],
      },
    );
    expect(released(narrowed.bytes)).toEqual(new Map([[NS, ['given_name']]]));
    const declined = await present({ [NS]: { family_name: true } }, { consent: () => false });
    const r = decodeCbor(declined.bytes) as CborMap;
    expect(r.has('documents')).toBe(false);
    expect(r.get('documentErrors')).toEqual([new Map([[DOCTYPE, 0]])]);
    const other = await answerDeviceRequest({
      request: await parseDeviceRequest(
        deviceRequest({ 'org.iso.23220.1': { family_name: true } }, 'org.iso.23220.photoID.1'),
      ),
      documents: store.list(),
      sessionTranscript: transcript,
    });
    expect(other.documentErrors).toEqual(['org.iso.23220.photoID.1']);
  });

  it('property: never releases an element that was not requested', async () => {
    const ids = [...Object.keys(ELEMENTS), 'portrait', 'birth_date', 'age_over_16', 'age_over_30'];
    await fc.assert(
      fc.asyncProperty(fc.subarray(ids, { minLength: 1 }), fc.boolean(), async (requested, retain) => {
        const answer = await present({ [NS]: Object.fromEntries(requested.map((id) => [id, retain])) });
        const out = released(answer.bytes).get(NS) ?? [];
        return out.every(
          (id) =>
            requested.includes(id) ||
            (id.startsWith('age_over_') && requested.some((r) => r.startsWith('age_over_'))),
        );
      }),
      { numRuns: 40 },
    );
  });

  it('deviceMac without an EReaderKey is refused', async () => {
    const macStore = new MdocStore();
    const doc = store.get('mdl')!;
    macStore.add({
      id: 'mac',
      issuerSigned: doc.issuerSigned,
      deviceKeyReference: { kind: 'mac', devicePrivateKey: deviceKey.privateKey },
    });
    const request = await parseDeviceRequest(deviceRequest({ [NS]: { family_name: true } }));
    await expect(
      answerDeviceRequest({ request, documents: macStore.list(), sessionTranscript: transcript }),
    ).rejects.toMatchObject({ code: 'ERR_DEVICE_MAC_KEY_UNAVAILABLE' });
  });

  it('holds the DeviceRequest version to the rule the reader holds a DeviceResponse to (one rule)', async () => {
    const versions = [
      '1.0',
      '1.1',
      '1.10',
      '1.01',
      '1.',
      '1',
      '2.0',
      '0.9',
      '01.0',
      '1.0 ',
      ' 1.0',
      '1.0.0',
      'banana',
    ];
    for (const version of versions) {
      const response = encodeCbor(
        new Map<string, unknown>([
          ['version', version],
          ['status', 0],
        ]),
      );
      const reader = codeOf(() => decodeDeviceResponse(response, { rules: 'verifier' }));
      const holder = await parseDeviceRequest(encodeCbor(new Map([['version', version]]))).then(
        () => 'none',
        (e: unknown) => (isMdlError(e) ? e.code : 'not an MdlError'),
      );
      // a 1.x request lacks its docRequests here: the version passed, the structure did not
      expect([version, holder], version).toEqual([
        version,
        reader === 'none' ? 'ERR_REQUEST_INVALID' : reader,
      ]);
    }
    expect(codeOf(() => checkVersion('1.0', 'deviceRequest.version'))).toBe('none');
  });

  it('holds every uint / int of a DeviceRequest to core/mdoc’s decode: the same verdict for integers and their floats', async () => {
    const HALF = (hex: string) =>
      new RawCbor(Uint8Array.from(hex.match(/../g)!, (h) => Number.parseInt(h, 16)));
    const request = (index: unknown, hint: unknown, size: unknown) =>
      encodeTestDeviceRequest({
        version: '1.1',
        docRequests: [
          {
            docType: DOCTYPE,
            nameSpaces: { [NS]: { family_name: false } },
            requestInfo: new Map([['maximumResponseSize', size]]),
          },
        ],
        deviceRequestInfo: useCasesInfo([
          { mandatory: true, documentSets: [[index]], purposeHints: new Map([['org.iso.jtc1.sc17', hint]]) },
        ]),
      });
    const cases: [string, Uint8Array][] = [
      ['integers', request(0, 3, 4096)],
      ['a document-set index 0.0', request(HALF('f90000'), 3, 4096)],
      ['a purpose hint 3.0', request(0, HALF('f94200'), 4096)],
      ['a purpose hint −3.0 (float32)', request(0, HALF('fac0400000'), 4096)],
      ['maximumResponseSize 4096.0', request(0, 3, HALF('f96c00'))],
      ['a document-set index 1 (no such DocRequest)', request(1, 3, 4096)],
    ];
    /** The innermost code: through `cause` and a structure error's `details.cborCode`. */
    const root = (e: unknown): string => {
      if (!isMdlError(e)) return 'not an MdlError';
      if (isMdlError(e.cause)) return root(e.cause);
      return typeof e.details.cborCode === 'string' ? e.details.cborCode : e.code;
    };
    const verdicts: string[] = [];
    for (const [what, bytes] of cases) {
      let core = 'none';
      try {
        const r = decodeDeviceRequest(bytes);
        parseDeviceRequestInfo(r.deviceRequestInfo?.value, { docRequestCount: r.docRequests.length });
      } catch (e) {
        core = root(e);
      }
      verdicts.push(core);
      const holder = await parseDeviceRequest(bytes).then(
        () => ['none', 'none'],
        (e: unknown) => [isMdlError(e) ? e.code : 'not an MdlError', root(e)],
      );
      expect([what, ...holder]).toEqual([what, core === 'none' ? 'none' : 'ERR_REQUEST_INVALID', core]);
    }
    // the table can fail: the integers read, each float and the dangling index are refused
    expect(verdicts).toEqual([
      'none',
      'ERR_CBOR_FLOAT_NOT_ALLOWED',
      'ERR_CBOR_FLOAT_NOT_ALLOWED',
      'ERR_CBOR_FLOAT_NOT_ALLOWED',
      'ERR_CBOR_FLOAT_NOT_ALLOWED',
      'ERR_STRUCTURE_INVALID',
    ]);
  });

  it('rejects malformed requests with a path', async () => {
    // An unknown major version has its own code (issue #15).
    for (const version of ['2.0', '10.0', '01.0', 'banana']) {
      await expect(parseDeviceRequest(encodeCbor(new Map([['version', version]])))).rejects.toMatchObject({
        code: 'ERR_VERSION_UNSUPPORTED',
        details: { path: 'deviceRequest.version', version },
      });
    }
    await expect(parseDeviceRequest(deviceRequest({ [NS]: {} }))).rejects.toMatchObject({
      code: 'ERR_REQUEST_INVALID',
    });
    await expect(parseDeviceRequest(new Uint8Array([0xff]))).rejects.toMatchObject({
      code: 'ERR_REQUEST_INVALID',
    });
  });
});

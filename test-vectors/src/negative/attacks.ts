/**
 * The semantic attack catalogue: forgeries built from genuine responses, as an attacker holding a
 * genuine mDL (and at most its device key, or one DS key of the same IACA) would build them. Each
 * attack names the code the reader must produce and what must hold of the report's flags — the
 * document verdict, each element's `verified`, `deviceAuthenticated`. Run by
 * `test/attacks.test.ts` against a fresh {@link World} (nothing is written to disk).
 */
import { concatBytes, decodeCbor, EncodedCbor, encodeCbor, RawCbor } from '@mdlkit/core/cbor';
import { CoseHeader, signCoseSign1, x5chainValue } from '@mdlkit/core/cose';
import { digest } from '@mdlkit/core/crypto';
import type { ErrorCode } from '@mdlkit/core/errors';
import type { CheckId, VerifyDeviceResponseOptions } from '@mdlkit/reader';
import { type Issued, issue, itemsOf, MDL_NS, present, type World } from './world.js';

/** What an attack must produce. */
export type AttackExpectation =
  /** `verifyDeviceResponse` throws an MdlError with this code. */
  | { readonly throws: ErrorCode }
  /** Document 0 has this check failed with this code (and no element verified unless `listed`). */
  | {
      readonly check: CheckId;
      readonly code: ErrorCode;
      readonly status?: 'failed' | 'skipped';
      /** Elements that must stay verified (genuine neighbours of an element-level failure). */
      readonly stillVerified?: readonly string[];
    };

export interface Attack {
  readonly id: string;
  readonly title: string;
  readonly clause: string;
  /** Builds the response and any options beyond the defaults (trust in the IACA, the world's transcript). */
  build(w: World): Promise<{
    readonly response: Uint8Array;
    readonly options?: Partial<VerifyDeviceResponseOptions>;
    /** Called after verification: more assertions on the side (for example a fetch never made). */
    readonly after?: () => void;
  }>;
  readonly expect: AttackExpectation;
}

const DEVICE_NS = 'org.example.device';

/** The MSO of `issued` edited and signed again with the DS key (x5chain unprotected, alg protected). */
export async function resign(
  w: World,
  issued: Issued,
  edit: (mso: Map<string, unknown>) => void,
): Promise<Issued> {
  const mso = new Map(issued.msoBytes.value as Map<string, unknown>);
  edit(mso);
  const msoBytes = EncodedCbor.fromBytes(encodeCbor(mso, { keyOrder: 'insertion' }));
  const { bytes } = await signCoseSign1({
    signer: w.ds.key.signer,
    payload: msoBytes.tagged(),
    unprotectedHeaders: new Map([[CoseHeader.x5chain, x5chainValue([w.ds.der])]]),
  });
  return { ...issued, msoBytes, issuerAuth: bytes };
}

/** Replaces the first occurrence of `find` in `bytes` with `replace`. */
function replaceOnce(bytes: Uint8Array, find: Uint8Array, replace: Uint8Array): Uint8Array {
  outer: for (let i = 0; i + find.length <= bytes.length; i++) {
    for (let j = 0; j < find.length; j++) if (bytes[i + j] !== find[j]) continue outer;
    return concatBytes(bytes.subarray(0, i), replace, bytes.subarray(i + find.length));
  }
  throw new Error('pattern not found');
}

const text = (s: string) => encodeCbor(s);

/**
 * A genuine response whose `status` (`uint`) is the half float with the given bits in place of the
 * uint 0: a float where a uint is due, `ERR_CBOR_FLOAT_NOT_ALLOWED` as everywhere else.
 */
function statusFloatAttack(id: string, title: string, halfBits: number): Attack {
  return {
    id,
    title,
    clause: '18013-5 §8.3.2.1.2.2 (status : uint)',
    async build(w) {
      const response = await present(w, await issue(w));
      return {
        response: replaceOnce(
          response,
          concatBytes(text('status'), Uint8Array.of(0x00)),
          concatBytes(text('status'), Uint8Array.of(0xf9, halfBits >> 8, halfBits & 0xff)),
        ),
      };
    },
    expect: { throws: 'ERR_CBOR_FLOAT_NOT_ALLOWED' },
  };
}

/**
 * A genuine response, decoded, with the half float 0.0 (f9 0000) put where an `ErrorCode` (`int`)
 * is due by `place`, and encoded again in its own key order.
 */
function errorCodeFloatAttack(
  id: string,
  title: string,
  clause: string,
  place: (response: Map<string, unknown>, zero: RawCbor) => void,
): Attack {
  return {
    id,
    title,
    clause,
    async build(w) {
      const response = decodeCbor(await present(w, await issue(w))) as Map<string, unknown>;
      place(response, new RawCbor(Uint8Array.of(0xf9, 0, 0)));
      return { response: encodeCbor(response, { keyOrder: 'insertion' }) };
    },
    expect: { throws: 'ERR_CBOR_FLOAT_NOT_ALLOWED' },
  };
}

export const ATTACKS: readonly Attack[] = [
  {
    id: 'mso-version-2',
    title: 'A genuine DS signs an MSO of version "2.0" (a major version the reader does not know)',
    clause: '18013-5 §9.1.2.4 (version "1.0"); ed2 "1.x"',
    async build(w) {
      const issued = await resign(w, await issue(w), (m) => m.set('version', '2.0'));
      return { response: await present(w, issued) };
    },
    expect: { check: 'issuer-auth-signature', code: 'ERR_VERSION_UNSUPPORTED' },
  },
  {
    id: 'mso-version-banana',
    title: 'MSO version "banana"',
    clause: '18013-5 §9.1.2.4',
    async build(w) {
      const issued = await resign(w, await issue(w), (m) => m.set('version', 'banana'));
      return { response: await present(w, issued) };
    },
    expect: { check: 'issuer-auth-signature', code: 'ERR_VERSION_UNSUPPORTED' },
  },
  {
    id: 'response-version-2',
    title: 'DeviceResponse version "2.0"',
    clause: '18013-5 §8.3.2.1.2.2',
    async build(w) {
      const response = await present(w, await issue(w));
      return {
        response: replaceOnce(
          response,
          concatBytes(text('version'), text('1.0')),
          concatBytes(text('version'), text('2.0')),
        ),
      };
    },
    expect: { throws: 'ERR_VERSION_UNSUPPORTED' },
  },
  statusFloatAttack(
    'response-status-float-zero',
    'DeviceResponse status 0.0 (f9 0000) instead of the uint 0',
    0x0000,
  ),
  statusFloatAttack('response-status-negative-zero', 'DeviceResponse status −0.0 (f9 8000)', 0x8000),
  {
    id: 'item-digest-id-half-float',
    title: 'An item whose digestID is the half float 1.0 (f9 3c00), its digest signed into the MSO',
    clause: '18013-5 §9.1.2.5 (digestID : uint)',
    async build(w) {
      const base = await issue(w);
      const items = itemsOf(base);
      const first = items.get(MDL_NS)![0]!;
      const m = new Map(first.value as Map<string, unknown>);
      const id = m.get('digestID') as number;
      m.set('digestID', new RawCbor(Uint8Array.of(0xf9, 0x3c, 0x00)));
      const forged = EncodedCbor.fromValue(m, { keyOrder: 'insertion' });
      items.get(MDL_NS)![0] = forged;
      const issued = await resign(w, base, (mso) => {
        const vd = new Map(mso.get('valueDigests') as Map<string, Map<number, Uint8Array>>);
        const ns = new Map(vd.get(MDL_NS)!);
        ns.delete(id);
        ns.set(1, digest('SHA-256', forged.tagged()));
        vd.set(MDL_NS, ns);
        mso.set('valueDigests', vd);
      });
      return { response: await present(w, issued, { issuerNameSpaces: items }) };
    },
    expect: { throws: 'ERR_CBOR_FLOAT_NOT_ALLOWED' },
  },
  {
    id: 'mso-digest-id-key-float',
    title: 'An MSO whose valueDigests lists a digest under a half-float key instead of a uint',
    clause: '18013-5 §9.1.2.4 (DigestID = uint)',
    async build(w) {
      const base = await issue(w);
      const issued = await resign(w, base, (mso) => {
        const vd = new Map(mso.get('valueDigests') as Map<string, Map<unknown, Uint8Array>>);
        // The item with digestID 0 is listed under the key 0.0 (and the real 0 is dropped).
        const ns = new Map<unknown, Uint8Array>();
        for (const [id, d] of vd.get(MDL_NS)!) ns.set(id, d);
        const firstId = itemsOf(base).get(MDL_NS)![0]!.value as Map<string, unknown>;
        const id = firstId.get('digestID') as number;
        ns.set(
          new RawCbor(encodeCbor(id).length === 1 ? Uint8Array.of(0xf9, 0, 0) : Uint8Array.of(0xf9, 0x3c, 0)),
          ns.get(id)!,
        );
        ns.delete(id);
        vd.set(MDL_NS, ns as Map<never, Uint8Array>);
        mso.set('valueDigests', vd);
      });
      return { response: await present(w, issued) };
    },
    expect: { check: 'issuer-auth-signature', code: 'ERR_CBOR_FLOAT_NOT_ALLOWED' },
  },
  {
    id: 'mso-status-idx-float',
    title: 'An MSO whose status list idx is the half float 1.0 (f9 3c00) instead of the uint 1',
    clause: '18013-5 ed2 §12.3.6 (StatusListInfo idx : uint)',
    async build(w) {
      const base = await issue(w);
      const issued = await resign(w, base, (mso) => {
        const entry = new Map<string, unknown>([
          ['idx', new RawCbor(Uint8Array.of(0xf9, 0x3c, 0x00))],
          ['uri', 'https://status.example/list/1'],
        ]);
        mso.set('status', new Map([['status_list', entry]]));
      });
      return { response: await present(w, issued) };
    },
    expect: { check: 'issuer-auth-signature', code: 'ERR_CBOR_FLOAT_NOT_ALLOWED' },
  },
  errorCodeFloatAttack(
    'response-document-errors-float',
    'A genuine response with documentErrors [{docType: 0.0}] (f9 0000) instead of the ErrorCode 0',
    '18013-5 §8.3.2.1.2.2 (DocumentError = {DocType => ErrorCode}, ErrorCode = int)',
    (response, zero) => response.set('documentErrors', [new Map([['org.example.other', zero]])]),
  ),
  errorCodeFloatAttack(
    'document-errors-float',
    'A genuine document with errors {namespace: {portrait: 0.0}} instead of the ErrorCode 0',
    '18013-5 §8.3.2.1.2.2 (Errors = {+ NameSpace => ErrorItems}, ErrorCode = int)',
    (response, zero) =>
      (response.get('documents') as Map<string, unknown>[])[0]!.set(
        'errors',
        new Map([[MDL_NS, new Map([['portrait', zero]])]]),
      ),
  ),
  {
    id: 'device-signed-overrides-issuer-signed',
    title: 'The holder device-signs age_over_21: true beside the issuer-signed false (the key is authorised)',
    clause: '18013-5 §8.3.2.1.2.2 (an element is returned once)',
    async build(w) {
      const issued = await issue(w, {
        nameSpaces: { [MDL_NS]: { family_name: 'Mustermann', age_over_21: false } },
        keyAuthorizations: { nameSpaces: [MDL_NS] },
      });
      return {
        response: await present(w, issued, {
          deviceNameSpaces: new Map([[MDL_NS, new Map<string, unknown>([['age_over_21', true]])]]),
        }),
      };
    },
    expect: { check: 'unique-elements', code: 'ERR_STRUCTURE_INVALID' },
  },
  {
    id: 'device-signed-country-contradicts-ds',
    title:
      'An authorised device key signs issuing_country "FR" (the DS says US) and no issuer copy is disclosed',
    clause: '18013-5 §7.2.1 Table 5, Annex B.1.4',
    async build(w) {
      const issued = await issue(w, {
        nameSpaces: { [MDL_NS]: { family_name: 'Mustermann' } },
        keyAuthorizations: { nameSpaces: [MDL_NS] },
      });
      return {
        response: await present(w, issued, {
          deviceNameSpaces: new Map([[MDL_NS, new Map<string, unknown>([['issuing_country', 'FR']])]]),
        }),
      };
    },
    expect: { check: 'issuing-country', code: 'ERR_ISSUING_COUNTRY_MISMATCH' },
  },
  {
    id: 'cloned-empty-device-auth',
    title: 'A cloned document: genuine issuer data, DeviceAuth empty',
    clause: '18013-5 §9.3.2',
    async build(w) {
      return { response: await present(w, await issue(w), { deviceAuth: { kind: 'none' } }) };
    },
    expect: { check: 'device-auth', code: 'ERR_DEVICE_AUTH_MISSING' },
  },
  {
    id: 'one-tampered-item-among-genuine',
    title: 'One issuer-signed value changed; its genuine neighbours stay verified, the changed one does not',
    clause: '18013-5 §9.3.1 step 3',
    async build(w) {
      const issued = await issue(w, {
        nameSpaces: { [MDL_NS]: { family_name: 'Mustermann', given_name: 'Erika' } },
      });
      const items = itemsOf(issued);
      const first = items.get(MDL_NS)![0]!;
      const m = new Map(first.value as Map<string, unknown>);
      m.set('elementValue', 'Musterfrau');
      items.get(MDL_NS)![0] = EncodedCbor.fromValue(m, { keyOrder: 'insertion' });
      return { response: await present(w, issued, { issuerNameSpaces: items }) };
    },
    expect: { check: 'value-digests', code: 'ERR_MSO_DIGEST_MISMATCH', stillVerified: ['given_name'] },
  },
  {
    id: 'unauthenticated-mso-status-not-fetched',
    title: 'A forged MSO (bad signature) names an attacker status-list uri: the reader must not fetch it',
    clause: 'ed2 §12.3.6; nothing of an unauthenticated MSO is acted on',
    async build(w) {
      const issued = await issue(w, {
        status: { statusList: { idx: 0, uri: 'https://attacker.example/list' } },
      });
      const auth = issued.issuerAuth.slice();
      auth[auth.length - 1]! ^= 1; // the signature's last byte
      const fetched: string[] = [];
      return {
        response: await present(w, { ...issued, issuerAuth: auth }),
        options: {
          revocation: {
            fetch: async (uri: string) => {
              fetched.push(uri);
              return new Uint8Array(0);
            },
          },
        },
        after: () => {
          if (fetched.length !== 0) throw new Error(`the reader fetched ${fetched.join(', ')}`);
        },
      };
    },
    expect: { check: 'issuer-auth-signature', code: 'ERR_ISSUER_AUTH_SIGNATURE_INVALID' },
  },
];

export { DEVICE_NS };

/**
 * More of the semantic attack catalogue (beside {@link ATTACKS} in `attacks.ts`): forgeries an
 * attacker builds from GENUINE responses — items moved between namespaces and documents, IssuerAuths
 * spliced between holders, documents doubled, device-signed elements outside their authorisation,
 * validity edges, salts and digestIDs at their bounds, x5chains reordered or padded, status lists
 * that do not answer for the MSO, tag-24 wrappers with trailing bytes, device keys whose COSE_Key
 * contradicts the signature. Each names what the reader must do: reject with an exact code, or —
 * where the input is legitimately tolerated — verify (and, where it says so, warn). Run by
 * `test/forgeries.test.ts` against a fresh {@link World}.
 */
import { concatBytes, decodeCbor, EncodedCbor, encodeCbor, RawCbor, TDate } from '@mdlkit/core/cbor';
import { CoseHeader } from '@mdlkit/core/cose';
import { CoseAlg, createLocalSigner, digest } from '@mdlkit/core/crypto';
import type { ErrorCode } from '@mdlkit/core/errors';
import { buildStatusListToken, StatusList } from '@mdlkit/issuer';
import { buildStatusListSignerCertificate } from '@mdlkit/pki';
import type { CheckId, VerifyDeviceResponseOptions } from '@mdlkit/reader';
import { resign } from './attacks.js';
import {
  DOMESTIC_NS,
  type Issued,
  issue,
  itemsOf,
  keyFor,
  MDL_NS,
  makeDs,
  makeIaca,
  mdlElements,
  present,
  T,
  type World,
} from './world.js';

/** What a forgery must produce. */
export type ForgeryExpectation =
  /** `verifyDeviceResponse` throws an MdlError with this code. */
  | { readonly throws: ErrorCode }
  /**
   * Document `document` (default 0) has check `check` with this status (default `failed`) and code;
   * the report is not verified; of that document only `stillVerified` elements are verified.
   */
  | {
      readonly check: CheckId;
      readonly code: ErrorCode;
      readonly status?: 'failed' | 'undetermined';
      readonly document?: number;
      readonly stillVerified?: readonly string[];
    }
  /**
   * Legitimately tolerated: the report verifies (every element verified), and — when `warning` is
   * named — the finding with that code is on the document or the report.
   */
  | { readonly tolerated: true; readonly warning?: ErrorCode; readonly why: string }
  /**
   * The response as a whole is not verified and `assertVerified` throws this code, while every
   * document (and element) keeps its own verdict: verified (the failure is not one of the data).
   */
  | { readonly assert: ErrorCode; readonly why: string };

export interface Forgery {
  readonly id: string;
  readonly title: string;
  readonly clause: string;
  build(w: World): Promise<{
    readonly response: Uint8Array;
    readonly options?: Partial<VerifyDeviceResponseOptions>;
  }>;
  readonly expect: ForgeryExpectation;
}

export const PID_DOCTYPE = 'eu.europa.ec.eudi.pid.1';
export const PID_NS = 'eu.europa.ec.eudi.pid.1';

/** A PID of the EU PID Rulebook v1.7 §3.1 (mandatory elements and the issuer ones). */
export function pidElements(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    family_name: 'Mustermann',
    given_name: 'Erika',
    birth_date: mdlElements().birth_date,
    place_of_birth: { country: 'US' },
    nationality: ['US'],
    expiry_date: mdlElements().expiry_date,
    issuing_authority: 'mdlkit test DMV',
    issuing_country: 'US',
    issuing_jurisdiction: 'US-NY',
    ...overrides,
  };
}

export const PHOTO_ID_DOCTYPE = 'org.iso.23220.photoid.1';
export const ISO23220_NS = 'org.iso.23220.1';

/** The mandatory org.iso.23220.1 elements of a Photo ID (ISO/IEC TS 23220-4 Annex C Table C.1). */
export function photoIdElements(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    family_name_unicode: 'Mustermann',
    given_name_unicode: 'Erika',
    birth_date: mdlElements().birth_date,
    issue_date: mdlElements().issue_date,
    expiry_date: mdlElements().expiry_date,
    portrait: mdlElements().portrait,
    issuing_authority_unicode: 'mdlkit test DMV',
    issuing_country: 'US',
    age_over_18: true,
    ...overrides,
  };
}

/** The documents of a DeviceResponse, decoded (tag-24 bytes kept as received). */
function documentsOf(response: Uint8Array): Map<string, unknown>[] {
  return (decodeCbor(response) as Map<string, unknown>).get('documents') as Map<string, unknown>[];
}

/** A DeviceResponse of these documents (version 1.0, status 0 unless given). */
function responseOf(documents: readonly Map<string, unknown>[], extra: [string, unknown][] = []): Uint8Array {
  return encodeCbor(
    new Map<string, unknown>([['version', '1.0'], ['documents', documents], ['status', 0], ...extra]),
  );
}

/** The item of `issued` whose elementIdentifier is `id`, and its namespace's list. */
function itemNamed(items: Map<string, EncodedCbor[]>, ns: string, id: string): number {
  const list = items.get(ns)!;
  const i = list.findIndex((e) => (e.value as Map<string, unknown>).get('elementIdentifier') === id);
  if (i < 0) throw new Error(`no item ${ns}/${id}`);
  return i;
}

/** Re-signs `issued` with each listed item replaced by `edit(item)` and its digest re-computed. */
async function resignItems(
  w: World,
  issued: Issued,
  ns: string,
  edit: (item: Map<string, unknown>) => Uint8Array | EncodedCbor,
  which: (item: Map<string, unknown>) => boolean = () => true,
): Promise<{ issued: Issued; items: Map<string, EncodedCbor[]>; raw: Map<number, Uint8Array> }> {
  const items = itemsOf(issued);
  const raw = new Map<number, Uint8Array>();
  const digests = new Map<number, Uint8Array>();
  const list = items.get(ns)!;
  for (let i = 0; i < list.length; i++) {
    const m = new Map(list[i]!.value as Map<string, unknown>);
    if (!which(m)) continue;
    const oldId = m.get('digestID') as number;
    const out = edit(m);
    if (out instanceof EncodedCbor) {
      list[i] = out;
      const newId = (out.value as Map<string, unknown>).get('digestID') as number;
      digests.set(oldId, new Uint8Array(0));
      digests.set(newId, digest('SHA-256', out.tagged()));
    } else {
      // raw tag-24 bytes (e.g. with trailing bytes inside the wrapper)
      raw.set(i, out);
      digests.set(oldId, digest('SHA-256', out));
    }
  }
  const resigned = await resign(w, issued, (mso) => {
    const vd = new Map(mso.get('valueDigests') as Map<string, Map<number, Uint8Array>>);
    const nsDigests = new Map(vd.get(ns)!);
    for (const [id, d] of digests) {
      if (d.length === 0) nsDigests.delete(id);
      else nsDigests.set(id, d);
    }
    vd.set(ns, nsDigests);
    mso.set('valueDigests', vd);
  });
  return { issued: resigned, items, raw };
}

/** Sets `deviceKeyInfo.keyAuthorizations` of an MSO being re-signed. */
function setKeyAuthorizations(mso: Map<string, unknown>, value: Map<string, unknown>): void {
  const dki = new Map(mso.get('deviceKeyInfo') as Map<string, unknown>);
  dki.set('keyAuthorizations', value);
  mso.set('deviceKeyInfo', dki);
}

/** Edits `validityInfo` of an MSO being re-signed. */
function editValidity(mso: Map<string, unknown>, edit: (v: Map<string, unknown>) => void): void {
  const v = new Map(mso.get('validityInfo') as Map<string, unknown>);
  edit(v);
  mso.set('validityInfo', v);
}

const STATUS_URI = 'https://dmv.example/status/forgeries';

async function statusToken(
  w: World,
  options: { revoked?: number; size?: number; sub?: string; ttlSeconds?: number; expiresAt?: Date } = {},
): Promise<Uint8Array> {
  const key = keyFor('forgeries-status-signer');
  const der = await buildStatusListSignerCertificate({
    subject: { commonName: 'mdlkit forgeries status signer' },
    publicKey: key.spki,
    issuer: { certificate: w.iaca.der, signer: w.iaca.key.signer },
    notBefore: T.dsFrom,
    notAfter: T.dsTo,
    randomBytes: w.random.bytes,
  });
  const list = new StatusList({ bits: 1, size: options.size ?? 1024 });
  if (options.revoked !== undefined) list.set(options.revoked, 1);
  return buildStatusListToken({
    signer: key.signer,
    certificateChain: [der],
    uri: options.sub ?? STATUS_URI,
    now: T.signed,
    expiresAt: options.expiresAt ?? new Date('2025-07-01T00:00:00Z'),
    statusList: list,
    ...(options.ttlSeconds === undefined ? {} : { ttlSeconds: options.ttlSeconds }),
  });
}

export const FORGERIES: readonly Forgery[] = [
  // --- issuing country / jurisdiction of the EU PID ------------------------------------------
  {
    id: 'pid-genuine',
    title: 'Control: a genuine EU PID whose issuing_country / issuing_jurisdiction agree with the DS',
    clause: 'PID Rulebook v1.7 §3.1.1; 18013-5 Annex B.1.4',
    async build(w) {
      const issued = await issue(w, { docType: PID_DOCTYPE, nameSpaces: { [PID_NS]: pidElements() } });
      return { response: await present(w, issued) };
    },
    expect: { tolerated: true, why: 'genuine' },
  },
  {
    id: 'pid-issuing-country-contradicts-ds',
    title: 'A DS of a US IACA signs a PID whose issuing_country is "FR"',
    clause: 'PID Rulebook v1.7 §3.1.1 (issuing_country: the PID Provider country); Annex B.1.4',
    async build(w) {
      const issued = await issue(w, {
        docType: PID_DOCTYPE,
        nameSpaces: { [PID_NS]: pidElements({ issuing_country: 'FR' }) },
      });
      return { response: await present(w, issued) };
    },
    expect: { check: 'issuing-country', code: 'ERR_ISSUING_COUNTRY_MISMATCH' },
  },
  {
    id: 'pid-issuing-jurisdiction-contradicts-ds',
    title: 'A DS whose subject says US-NY signs a PID whose issuing_jurisdiction is "US-CA"',
    clause: 'PID Rulebook v1.7 §3.1.1 (issuing_jurisdiction, ISO 3166-2); Annex B.1.4',
    async build(w) {
      const issued = await issue(w, {
        docType: PID_DOCTYPE,
        nameSpaces: { [PID_NS]: pidElements({ issuing_jurisdiction: 'US-CA' }) },
      });
      return { response: await present(w, issued) };
    },
    expect: { check: 'issuing-jurisdiction', code: 'ERR_ISSUING_JURISDICTION_MISMATCH' },
  },
  {
    id: 'pid-device-signed-country',
    title: 'A PID whose device key is authorised for the PID namespace device-signs issuing_country "FR"',
    clause: 'PID Rulebook v1.7 §3.1.1; 18013-5 §9.1.2.4 keyAuthorizations',
    async build(w) {
      const issued = await issue(w, {
        docType: PID_DOCTYPE,
        nameSpaces: { [PID_NS]: { family_name: 'Mustermann' } },
        keyAuthorizations: { nameSpaces: [PID_NS] },
      });
      return {
        response: await present(w, issued, {
          deviceNameSpaces: new Map([[PID_NS, new Map<string, unknown>([['issuing_country', 'FR']])]]),
        }),
      };
    },
    expect: { check: 'issuing-country', code: 'ERR_ISSUING_COUNTRY_MISMATCH' },
  },
  // --- issuing country of the ISO/IEC 23220 Photo ID ------------------------------------------
  {
    id: 'photoid-genuine',
    title: 'Control: a genuine Photo ID whose org.iso.23220.1 issuing_country agrees with the DS',
    clause: 'ISO/IEC TS 23220-4 Annex C Table C.1 (issuing_country, M); 18013-5 Annex B.1.4',
    async build(w) {
      const issued = await issue(w, {
        docType: PHOTO_ID_DOCTYPE,
        nameSpaces: { [ISO23220_NS]: photoIdElements() },
      });
      return { response: await present(w, issued) };
    },
    expect: { tolerated: true, why: 'genuine' },
  },
  {
    id: 'photoid-issuing-country-contradicts-ds',
    title: 'A DS of a US IACA signs a Photo ID whose org.iso.23220.1 issuing_country is "FR"',
    clause: 'ISO/IEC TS 23220-2 issuing_country (the issuing authority country); 18013-5 Annex B.1.4',
    async build(w) {
      const issued = await issue(w, {
        docType: PHOTO_ID_DOCTYPE,
        nameSpaces: { [ISO23220_NS]: photoIdElements({ issuing_country: 'FR' }) },
      });
      return { response: await present(w, issued) };
    },
    expect: { check: 'issuing-country', code: 'ERR_ISSUING_COUNTRY_MISMATCH' },
  },
  {
    id: 'photoid-device-signed-country',
    title: 'A Photo ID whose device key is authorised for org.iso.23220.1 device-signs issuing_country "FR"',
    clause: 'ISO/IEC TS 23220-2 issuing_country; 18013-5 §9.1.2.4 keyAuthorizations',
    async build(w) {
      const issued = await issue(w, {
        docType: PHOTO_ID_DOCTYPE,
        nameSpaces: { [ISO23220_NS]: { family_name_unicode: 'Doe' } },
        keyAuthorizations: { nameSpaces: [ISO23220_NS] },
      });
      return {
        response: await present(w, issued, {
          deviceNameSpaces: new Map([[ISO23220_NS, new Map<string, unknown>([['issuing_country', 'FR']])]]),
        }),
      };
    },
    expect: { check: 'issuing-country', code: 'ERR_ISSUING_COUNTRY_MISMATCH' },
  },
  // --- items moved and spliced ---------------------------------------------------------------
  {
    id: 'item-moved-between-documents',
    title: 'Two genuine mDLs of one holder: the family_name item of the second is put into the first',
    clause: '18013-5 §9.3.1 step 3 (digests per MSO)',
    async build(w) {
      const a = await issue(w);
      const b = await issue(w, { nameSpaces: { [MDL_NS]: mdlElements({ family_name: 'Other' }) } });
      const itemsA = itemsOf(a);
      const itemsB = itemsOf(b);
      itemsA.get(MDL_NS)![itemNamed(itemsA, MDL_NS, 'family_name')] =
        itemsB.get(MDL_NS)![itemNamed(itemsB, MDL_NS, 'family_name')]!;
      const docA = documentsOf(await present(w, a, { issuerNameSpaces: itemsA }))[0]!;
      const docB = documentsOf(await present(w, b))[0]!;
      return { response: responseOf([docA, docB]) };
    },
    expect: {
      check: 'value-digests',
      code: 'ERR_MSO_DIGEST_MISSING',
      stillVerified: Object.keys(mdlElements()).filter((k) => k !== 'family_name'),
    },
  },
  {
    id: 'issuer-auth-spliced-from-other-holder',
    title:
      "The attacker's own genuine items and device signature under another holder's IssuerAuth (same DS)",
    clause: '18013-5 §9.3.1 steps 2–3, §9.3.2',
    async build(w) {
      const mine = await issue(w, { nameSpaces: { [MDL_NS]: mdlElements({ age_over_21: true }) } });
      const other = await issue(w, {
        nameSpaces: { [MDL_NS]: mdlElements({ age_over_21: false }) },
        deviceKey: keyFor('other-holder').coseKey,
      });
      return { response: await present(w, mine, { issuerAuth: other.issuerAuth }) };
    },
    // The two MSOs draw their digestIDs independently: the first item's ID is not in the other MSO.
    expect: { check: 'value-digests', code: 'ERR_MSO_DIGEST_MISSING' },
  },
  {
    id: 'issuer-auth-spliced-with-other-holder-items',
    title: "Another holder's whole IssuerSigned (items and IssuerAuth) under the attacker's device signature",
    clause: '18013-5 §9.3.2 (DeviceSignature with the MSO device key)',
    async build(w) {
      const other = await issue(w, { deviceKey: keyFor('other-holder').coseKey });
      return { response: await present(w, other) };
    },
    expect: { check: 'device-auth', code: 'ERR_DEVICE_SIGNATURE_INVALID' },
  },
  {
    id: 'two-documents-same-doctype-one-forged',
    title: 'A genuine mDL and, beside it, a second mDL document whose age_over_21 was flipped',
    clause: '18013-5 §8.3.2.1.2.2, §9.3.1 step 3',
    async build(w) {
      const genuine = await issue(w, { nameSpaces: { [MDL_NS]: mdlElements({ age_over_21: false }) } });
      const items = itemsOf(genuine);
      const i = itemNamed(items, MDL_NS, 'age_over_21');
      const m = new Map(items.get(MDL_NS)![i]!.value as Map<string, unknown>);
      m.set('elementValue', true);
      items.get(MDL_NS)![i] = EncodedCbor.fromValue(m, { keyOrder: 'insertion' });
      const forged = documentsOf(await present(w, genuine, { issuerNameSpaces: items }))[0]!;
      const real = documentsOf(await present(w, genuine))[0]!;
      return { response: responseOf([forged, real]) };
    },
    expect: {
      check: 'value-digests',
      code: 'ERR_MSO_DIGEST_MISMATCH',
      stillVerified: Object.keys(mdlElements()).filter((k) => k !== 'age_over_21'),
    },
  },
  {
    id: 'item-moved-to-device-signed',
    title: 'A genuine issuer-signed value re-stated device-signed in another namespace than authorised',
    clause: '18013-5 §9.1.2.4 keyAuthorizations (dataElements per namespace)',
    async build(w) {
      const issued = await issue(w, {
        nameSpaces: { [MDL_NS]: mdlElements(), [DOMESTIC_NS]: { organ_donor: 1 } },
        keyAuthorizations: { dataElements: { [DOMESTIC_NS]: ['age_over_21'] } },
      });
      return {
        response: await present(w, issued, {
          deviceNameSpaces: new Map([[MDL_NS, new Map<string, unknown>([['age_over_18', true]])]]),
        }),
      };
    },
    expect: {
      check: 'key-authorizations',
      code: 'ERR_DEVICE_KEY_NOT_AUTHORIZED',
      stillVerified: [...Object.keys(mdlElements()), 'organ_donor'],
    },
  },
  {
    id: 'key-authorizations-empty',
    title: 'An MSO whose keyAuthorizations is an empty map; the device signs an mDL element',
    clause: '18013-5 §9.1.2.4 (KeyAuthorizations: ? nameSpaces, ? dataElements; nothing authorised)',
    async build(w) {
      const issued = await resign(w, await issue(w), (m) => setKeyAuthorizations(m, new Map()));
      return {
        response: await present(w, issued, {
          deviceNameSpaces: new Map([[MDL_NS, new Map<string, unknown>([['age_over_65', true]])]]),
        }),
      };
    },
    expect: {
      check: 'key-authorizations',
      code: 'ERR_DEVICE_KEY_NOT_AUTHORIZED',
      stillVerified: Object.keys(mdlElements()),
    },
  },
  {
    id: 'key-authorizations-overlap',
    title:
      'keyAuthorizations lists the mDL namespace whole and one element of it again (issuer "shall not"); the element is authorised',
    clause: '18013-5 §9.1.2.4 (a namespace in AuthorizedNameSpaces shall not be in AuthorizedDataElements)',
    async build(w) {
      const base = await issue(w, { nameSpaces: { [MDL_NS]: { family_name: 'M' } } });
      const issued = await resign(w, base, (m) =>
        setKeyAuthorizations(
          m,
          new Map<string, unknown>([
            ['nameSpaces', [MDL_NS]],
            ['dataElements', new Map([[MDL_NS, ['age_over_65']]])],
          ]),
        ),
      );
      return {
        response: await present(w, issued, {
          deviceNameSpaces: new Map([[MDL_NS, new Map<string, unknown>([['age_over_65', true]])]]),
        }),
      };
    },
    expect: {
      tolerated: true,
      why: 'a redundant authorisation still authorises: both entries name the same element, none widens what the issuer signed',
    },
  },
  // --- validity edges -----------------------------------------------------------------------
  {
    id: 'mso-valid-until-equals-now',
    title: 'validUntil equals the reader clock to the second',
    clause: '18013-5 §9.3.1 step 5 ("equal or earlier than the ValidUntil")',
    async build(w) {
      return { response: await present(w, await issue(w, { validUntil: T.now })) };
    },
    expect: { tolerated: true, why: 'validUntil is inclusive' },
  },
  {
    id: 'mso-valid-until-one-second-ago',
    title: 'validUntil one second before the reader clock, no skew',
    clause: '18013-5 §9.3.1 step 5',
    async build(w) {
      return {
        response: await present(w, await issue(w, { validUntil: new Date(T.now.getTime() - 1000) })),
      };
    },
    expect: { check: 'mso-validity', code: 'ERR_MSO_EXPIRED' },
  },
  {
    id: 'mso-valid-from-future-within-skew',
    title: 'validFrom 60 s in the future, the reader allows 120 s of clock skew',
    clause: '18013-5 §9.3.1 step 5; the caller-chosen skew',
    async build(w) {
      const validFrom = new Date(T.now.getTime() + 60_000);
      return {
        response: await present(w, await issue(w, { signed: validFrom, validFrom })),
        options: { clockSkewSeconds: 120 },
      };
    },
    expect: { tolerated: true, why: 'the caller allowed that skew' },
  },
  {
    id: 'mso-valid-from-future-beyond-skew',
    title: 'validFrom 180 s in the future, the reader allows 120 s of clock skew',
    clause: '18013-5 §9.3.1 step 5',
    async build(w) {
      const validFrom = new Date(T.now.getTime() + 180_000);
      return {
        response: await present(w, await issue(w, { signed: validFrom, validFrom })),
        options: { clockSkewSeconds: 120 },
      };
    },
    expect: { check: 'mso-validity', code: 'ERR_MSO_NOT_YET_VALID' },
  },
  {
    id: 'mso-valid-from-before-signed',
    title: 'validFrom a day before signed (issuer "shall": validFrom ≥ signed)',
    clause: '18013-5 §9.1.2.4 (validFrom shall be equal or later than signed)',
    async build(w) {
      const earlier = await issue(w, { signed: new Date(T.signed.getTime() - 86_400_000) });
      const issued = await resign(w, await issue(w), (m) =>
        editValidity(m, (v) =>
          v.set(
            'validFrom',
            (earlier.msoBytes.value as Map<string, Map<string, unknown>>).get('validityInfo')!.get('signed'),
          ),
        ),
      );
      return { response: await present(w, issued) };
    },
    expect: {
      tolerated: true,
      why: 'an issuer rule (§9.1.2.4); the reader checks what §9.3.1 step 5 lists — validFrom ≤ now ≤ validUntil and signed within the DS validity — and all hold',
    },
  },
  {
    id: 'mso-expected-update-past',
    title: 'expectedUpdate lies before the reader clock',
    clause: '18013-5 §9.1.2.4 (expectedUpdate: when the issuer expects to re-sign; informative)',
    async build(w) {
      const issued = await resign(w, await issue(w), (m) =>
        editValidity(m, (v) => v.set('expectedUpdate', v.get('validFrom'))),
      );
      return { response: await present(w, issued) };
    },
    expect: {
      tolerated: true,
      why: 'expectedUpdate tells the holder when to refresh; the MSO stays valid until validUntil',
    },
  },
  // --- digestIDs and salts ------------------------------------------------------------------
  {
    id: 'digest-id-shared-across-namespaces',
    title: 'The same digestID in two namespaces of one MSO',
    clause: '18013-5 §9.1.2.5 (digestID unique per namespace)',
    async build(w) {
      const base = await issue(w, {
        nameSpaces: { [MDL_NS]: mdlElements(), [DOMESTIC_NS]: { organ_donor: 1 } },
      });
      const mdlFirstId = (itemsOf(base).get(MDL_NS)![0]!.value as Map<string, unknown>).get(
        'digestID',
      ) as number;
      const { issued, items } = await resignItems(w, base, DOMESTIC_NS, (m) => {
        m.set('digestID', mdlFirstId);
        return EncodedCbor.fromValue(m, { keyOrder: 'insertion' });
      });
      return { response: await present(w, issued, { issuerNameSpaces: items }) };
    },
    expect: { tolerated: true, why: 'digestIDs are unique per namespace, not per MSO' },
  },
  {
    id: 'digest-id-at-2-31',
    title: 'An item with digestID 2^31 (the issuer "shall" keep them below), its digest signed',
    clause: '18013-5 §9.1.2.5 (digestID < 2^31)',
    async build(w) {
      const base = await issue(w);
      const first = (itemsOf(base).get(MDL_NS)![0]!.value as Map<string, unknown>).get('elementIdentifier');
      const { issued, items } = await resignItems(
        w,
        base,
        MDL_NS,
        (m) => {
          m.set('digestID', 2 ** 31);
          return EncodedCbor.fromValue(m, { keyOrder: 'insertion' });
        },
        (m) => m.get('elementIdentifier') === first,
      );
      return { response: await present(w, issued, { issuerNameSpaces: items }) };
    },
    expect: {
      tolerated: true,
      why: 'the < 2^31 bound is an issuer rule; the item is a uint under a valid signature and its digest matches — nothing is forged',
    },
  },
  {
    id: 'digest-id-uint64-max',
    title: 'An item with digestID 2^64 − 1 (1b ffffffffffffffff), its digest signed under that key',
    clause: '18013-5 §9.1.2.5 (digestID < 2^31)',
    async build(w) {
      const base = await issue(w);
      const first = (itemsOf(base).get(MDL_NS)![0]!.value as Map<string, unknown>).get('elementIdentifier');
      const { issued, items } = await resignItems(
        w,
        base,
        MDL_NS,
        (m) => {
          m.set('digestID', 0xffff_ffff_ffff_ffffn);
          return EncodedCbor.fromValue(m, { keyOrder: 'insertion' });
        },
        (m) => m.get('elementIdentifier') === first,
      );
      return { response: await present(w, issued, { issuerNameSpaces: items }) };
    },
    // digestIDs are read as safe integers: beyond 2^53 the response is refused as malformed.
    expect: { throws: 'ERR_STRUCTURE_INVALID' },
  },
  ...(['interop', 'strict'] as const).flatMap((policy): Forgery[] =>
    [0, 15].map((length) => ({
      id: `item-random-${length}-bytes-${policy}`,
      title: `An item whose random (salt) is ${length} bytes, its digest signed; policy ${policy}`,
      clause: '18013-5 §9.1.2.5 (random: at least 16 bytes)',
      async build(w: World) {
        const base = await issue(w);
        const { issued, items } = await resignItems(
          w,
          base,
          MDL_NS,
          (m) => {
            m.set('random', new Uint8Array(length).fill(7));
            return EncodedCbor.fromValue(m, { keyOrder: 'insertion' });
          },
          (m) => m.get('elementIdentifier') === 'age_over_21',
        );
        return {
          response: await present(w, issued, { issuerNameSpaces: items }),
          options: { policy },
        };
      },
      expect:
        policy === 'strict'
          ? {
              check: 'value-digests',
              code: 'ERR_MSO_SALT_TOO_SHORT',
              stillVerified: Object.keys(mdlElements()).filter((k) => k !== 'age_over_21'),
            }
          : {
              tolerated: true,
              warning: 'ERR_MSO_SALT_TOO_SHORT',
              why: 'the value is authentic (its digest matched); a short salt weakens the privacy of undisclosed elements, so the interop policy warns on the element and the document',
            },
    })),
  ),
  {
    id: 'item-tag24-trailing-bytes',
    title: 'An IssuerSignedItemBytes whose tag-24 content has a byte after the item, digest signed over it',
    clause: '18013-5 §8.1 / RFC 8949 §3.4.5.1 (tag 24: one well-formed data item)',
    async build(w) {
      const base = await issue(w);
      const { issued, items } = await resignItems(
        w,
        base,
        MDL_NS,
        (m) => {
          const inner = concatBytes(encodeCbor(m, { keyOrder: 'insertion' }), Uint8Array.of(0x00));
          return concatBytes(Uint8Array.of(0xd8, 0x18), encodeCbor(inner));
        },
        (m) => m.get('elementIdentifier') === 'age_over_21',
      );
      const tampered = new Map(
        [...items].map(([ns, list]) => [
          ns,
          list.map((item) => {
            const m = item.value as Map<string, unknown>;
            if (m.get('elementIdentifier') !== 'age_over_21') return item;
            const inner = concatBytes(encodeCbor(m, { keyOrder: 'insertion' }), Uint8Array.of(0x00));
            return new RawCbor(concatBytes(Uint8Array.of(0xd8, 0x18), encodeCbor(inner)));
          }),
        ]),
      );
      return {
        response: await present(w, issued, {
          issuerNameSpaces: tampered as unknown as Map<string, EncodedCbor[]>,
        }),
      };
    },
    expect: { throws: 'ERR_CBOR_TRAILING_BYTES' },
  },
  // --- x5chain ------------------------------------------------------------------------------
  {
    id: 'x5chain-extra-unrelated-certificate',
    title: 'The genuine x5chain [DS] padded with a certificate of another IACA after the DS',
    clause: 'RFC 9360 §2 (x5chain: the leaf first, each certifying the one before); 18013-5 §9.3.3',
    async build(w) {
      const other = await makeIaca('forgeries-other-iaca', w.random);
      const issued = await issue(w, { signing: 'raw', x5chain: [w.ds.der, other.der] });
      return { response: await present(w, issued) };
    },
    expect: { check: 'ds-certificate-path', code: 'ERR_X509_CHAIN_UNTRUSTED' },
  },
  {
    id: 'ds-from-same-name-iaca',
    title: 'A DS issued by another IACA with the same subject name as the trusted one (its own key)',
    clause: '18013-5 §9.3.3; RFC 5280 §6.1 (the signature, not the name, binds the path)',
    async build(w) {
      const twin = await makeIaca('forgeries-twin-iaca', w.random);
      const ds = await makeDs('forgeries-twin-ds', twin, w.random);
      return { response: await present(w, await issue(w, { ds })) };
    },
    expect: { check: 'ds-certificate-path', code: 'ERR_X509_CHAIN_UNTRUSTED' },
  },
  {
    id: 'x5chain-in-both-buckets',
    title:
      'The issuer put x5chain in the protected header; the attacker adds an unprotected x5chain naming another DS of the same IACA',
    clause: 'RFC 9052 §3 (a label appears in one bucket only)',
    async build(w) {
      const issued = await issue(w, { signing: 'raw', x5chainProtected: true });
      const other = await makeDs('forgeries-other-ds', w.iaca, w.random);
      const auth = decodeCbor(issued.issuerAuth) as unknown[];
      auth[1] = new Map<number, unknown>([[CoseHeader.x5chain, other.der]]);
      return { response: await present(w, { ...issued, issuerAuth: encodeCbor(auth) }) };
    },
    expect: { check: 'issuer-auth-signature', code: 'ERR_COSE_DUPLICATE_HEADER' },
  },
  {
    id: 'mso-valid-until-after-ds-expiry',
    title: 'An MSO whose validUntil lies after the DS notAfter (issuer rule), read before both',
    clause: '18013-5 §9.1.2.4 / Annex B (issuer); §9.3.1 step 5 (reader)',
    async build(w) {
      const issued = await resign(w, await issue(w), (m) =>
        editValidity(m, (v) => v.set('validUntil', new TDate(new Date(T.dsTo.getTime() + 86_400_000)))),
      );
      return { response: await present(w, issued) };
    },
    expect: {
      tolerated: true,
      why: 'the reader checks validUntil against its clock and signed against the DS validity (§9.3.1 step 5); at now both hold, and after the DS expires ds-certificate-validity fails anyway',
    },
  },
  {
    id: 'same-document-twice',
    title: 'One genuine document sent twice in one DeviceResponse',
    clause: '18013-5 §8.3.2.1.2.2',
    async build(w) {
      return { response: await present(w, await issue(w), { copies: 1 }) };
    },
    expect: {
      tolerated: true,
      why: 'both copies are the same genuine, device-authenticated data; nothing contradicts',
    },
  },
  // --- device keys --------------------------------------------------------------------------
  {
    id: 'device-key-alg-contradicts-signature',
    title: 'The MSO device key (P-256) carries alg EdDSA; the device signs ES256',
    clause: 'RFC 9052 §7.1 (a key alg restricts the key to that algorithm); 18013-5 §9.1.2.4',
    async build(w) {
      const coseKey = new Map(w.device.coseKey);
      coseKey.set(3, CoseAlg.EdDSA);
      return { response: await present(w, await issue(w, { deviceKey: coseKey })) };
    },
    expect: {
      tolerated: true,
      why: '18013-5 §9.1.5.2 has the device COSE_Key carry kty/crv/x/y only; the reader takes the key from kty/crv and checks the signature alg against that curve (see device-signature-alg-other-curve); the key is issuer-signed, so no attacker sets its alg',
    },
  },
  {
    id: 'device-key-kty-crv-contradict',
    title: 'The MSO device key says kty EC2 with crv Ed25519 (an OKP curve)',
    clause: 'RFC 9053 §7.1–7.2 (EC2 curves 1–3, OKP curves 4–7)',
    async build(w) {
      const coseKey = new Map(w.device.coseKey);
      coseKey.set(-1, 6);
      return { response: await present(w, await issue(w, { deviceKey: coseKey, signing: 'raw' })) };
    },
    expect: { check: 'device-auth', code: 'ERR_COSE_KEY_INVALID' },
  },
  {
    id: 'device-signature-alg-other-curve',
    title: 'The device key is P-256; the DeviceSignature says ES384 (signed with the P-256 key over SHA-384)',
    clause: '18013-5 §9.1.3.6 / Table 22 (ES384 with P-384); RFC 9053 §2.1',
    async build(w) {
      const signer = createLocalSigner({ privateKey: w.device.privateKey, alg: CoseAlg.ES384 });
      return {
        response: await present(w, await issue(w), {
          deviceAuth: { kind: 'signature', key: { ...w.device, signer } },
        }),
      };
    },
    expect: { check: 'device-auth', code: 'ERR_COSE_ALG_KEY_MISMATCH' },
  },
  // --- status lists -------------------------------------------------------------------------
  {
    id: 'status-list-index-out-of-range',
    title: 'The MSO points at index 5000 of a status list of 1024 entries (reject undetermined)',
    clause: 'draft-ietf-oauth-status-list §8.3 (an index outside the list is an error)',
    async build(w) {
      const issued = await issue(w, { status: { statusList: { idx: 5000, uri: STATUS_URI } } });
      return {
        response: await present(w, issued),
        options: {
          revocation: {
            statusLists: new Map([[STATUS_URI, await statusToken(w)]]),
            undeterminedPolicy: 'reject',
          },
        },
      };
    },
    expect: { check: 'mso-revocation', code: 'ERR_REVOCATION_UNDETERMINED' },
  },
  {
    id: 'status-list-wrong-sub',
    title: "A genuine status list of another uri (sub), handed in under the MSO's uri (reject undetermined)",
    clause: 'draft-ietf-oauth-status-list §8.3 (sub equals the referenced uri)',
    async build(w) {
      const issued = await issue(w, { status: { statusList: { idx: 3, uri: STATUS_URI } } });
      return {
        response: await present(w, issued),
        options: {
          revocation: {
            statusLists: new Map([[STATUS_URI, await statusToken(w, { sub: `${STATUS_URI}/other` })]]),
            undeterminedPolicy: 'reject',
          },
        },
      };
    },
    expect: { check: 'mso-revocation', code: 'ERR_REVOCATION_UNDETERMINED' },
  },
  {
    id: 'status-list-ttl-elapsed',
    title: 'A status list whose ttl (60 s after iat) has elapsed but whose exp has not',
    clause: 'draft-ietf-oauth-status-list §13.7 (ttl: a caching hint; exp decides validity)',
    async build(w) {
      const issued = await issue(w, { status: { statusList: { idx: 3, uri: STATUS_URI } } });
      return {
        response: await present(w, issued),
        options: {
          revocation: {
            statusLists: new Map([[STATUS_URI, await statusToken(w, { ttlSeconds: 60 })]]),
            undeterminedPolicy: 'reject',
          },
        },
      };
    },
    expect: {
      tolerated: true,
      why: 'ttl tells a cache when to fetch again; the token stays valid until exp',
    },
  },
  // --- the response envelope ----------------------------------------------------------------
  {
    id: 'response-document-errors-beside-documents',
    title: 'A genuine document beside documentErrors for another docType',
    clause: '18013-5 §8.3.2.1.2.2 (documentErrors: data, not a verdict)',
    async build(w) {
      const doc = documentsOf(await present(w, await issue(w)))[0]!;
      return {
        response: responseOf([doc], [['documentErrors', [new Map([['org.example.other', 0]])]]]),
      };
    },
    expect: { tolerated: true, why: 'documentErrors reports what the holder did not return' },
  },
  {
    id: 'response-status-nonzero-with-genuine-document',
    title: 'A genuine document in a DeviceResponse whose status is 20 (CBOR decoding error)',
    clause: '18013-5 §8.3.2.1.2.3 (status codes)',
    async build(w) {
      return { response: await present(w, await issue(w), { status: 20 }) };
    },
    expect: {
      assert: 'ERR_RESPONSE_STATUS',
      why: 'the status is the holder saying the exchange went wrong; the documents it still sent are genuine, so their elements keep verified, and the response is not',
    },
  },
];

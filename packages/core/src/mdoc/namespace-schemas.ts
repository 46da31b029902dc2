import { FullDate } from '../cbor/types.js';
import { MDL_NAMESPACE } from './constants.js';
import { type MdlElementType, mdlElementSpec, mdlTypeProblem } from './mdl-schema.js';

/**
 * The CBOR type of a data element value, as the namespace schemas state it: the mDL types of
 * {@link MdlElementType} plus the compound types of the EU PID and ISO/IEC 23220 namespaces.
 *
 * - `nationalities`: `[+ tstr]` (PID Rulebook §3.1.2)
 * - `place-of-birth`: `{ ? "country": tstr, ? "region": tstr, ? "locality": tstr }`, at least one (PID Rulebook §3.1.5)
 * - `birth-date-23220`: `full-date`, or `{ "birth_date": full-date, ? "approximate_mask": tstr }`
 *   (ISO/IEC TS 23220-2 §6.3.1.1.3, date of birth uncertain or approximate)
 */
export type ElementValueType = MdlElementType | 'nationalities' | 'place-of-birth' | 'birth-date-23220';

/** The element table of one namespace: what a reader can check about the type of each value. */
export interface NamespaceSchema {
  /** The namespace the table describes. */
  readonly nameSpace: string;
  /** A short name for reports ("EU PID"). */
  readonly title: string;
  /** The document (and clause) the table comes from. */
  readonly source: string;
  /** The type of an element of this namespace, `undefined` for identifiers the table does not define. */
  typeOf(identifier: string): ElementValueType | undefined;
}

/** One value of the wrong type, found by {@link checkElementType}. Never carries the value. */
export interface ElementTypeProblem {
  readonly nameSpace: string;
  readonly elementIdentifier: string;
  /** The type the schema gives the element. */
  readonly expected: ElementValueType;
  /** What is wrong, in words that never include the value. */
  readonly reason: string;
  /** The schema's {@link NamespaceSchema.title} and source, for the report. */
  readonly schema: string;
}

const AGE_OVER_RE = /^age_over_\d{2}$/;

function table(
  nameSpace: string,
  title: string,
  source: string,
  rows: Readonly<Record<string, ElementValueType>>,
  patterns: readonly (readonly [RegExp, ElementValueType])[] = [],
): NamespaceSchema {
  const byId = new Map(Object.entries(rows));
  return Object.freeze({
    nameSpace,
    title,
    source,
    typeOf(identifier: string): ElementValueType | undefined {
      const t = byId.get(identifier);
      if (t !== undefined) return t;
      for (const [re, type] of patterns) if (re.test(identifier)) return type;
      return undefined;
    },
  });
}

/**
 * `org.iso.18013.5.1` — the mDL namespace, from core's schema ({@link mdlElementSpec}).
 */
const MDL_SCHEMA: NamespaceSchema = Object.freeze({
  nameSpace: MDL_NAMESPACE,
  title: 'ISO/IEC 18013-5 mDL',
  source: 'ISO/IEC 18013-5:2021 §7.2.1 Table 5',
  typeOf: (identifier: string): ElementValueType | undefined => mdlElementSpec(identifier)?.type,
});

/**
 * `eu.europa.ec.eudi.pid.1` — EU Person Identification Data, ISO/IEC 18013-5-compliant encoding.
 *
 * Source: ARF Annex 3.01, PID Rulebook v1.7 (17 July 2026), §3.1.1 table "Encoding format", §3.1.2
 * (`nationalities = [+ CountryCode]`), §3.1.5 (`place_of_birth`), in
 * eu-digital-identity-wallet/eudi-doc-attestation-rulebooks-catalog `rulebooks/pid/pid-rulebook.md`.
 * `birth_place` (tstr) and the age attributes (`age_over_NN` bool, `age_in_years` / `age_birth_year`
 * uint) are the identifiers of earlier rulebook versions (the age attributes were removed in v1.1,
 * following CIR 2024/2977); wallets issued under them are still presented, so their types are checked too.
 */
const PID_SCHEMA = table(
  'eu.europa.ec.eudi.pid.1',
  'EU PID',
  'ARF Annex 3.01 PID Rulebook v1.7 §3.1',
  {
    family_name: 'tstr',
    given_name: 'tstr',
    birth_date: 'full-date',
    place_of_birth: 'place-of-birth',
    nationality: 'nationalities',
    resident_address: 'tstr',
    resident_country: 'tstr',
    resident_state: 'tstr',
    resident_city: 'tstr',
    resident_postal_code: 'tstr',
    resident_street: 'tstr',
    resident_house_number: 'tstr',
    personal_administrative_number: 'tstr',
    portrait: 'bstr',
    family_name_birth: 'tstr',
    given_name_birth: 'tstr',
    sex: 'uint',
    email_address: 'tstr',
    mobile_phone_number: 'tstr',
    expiry_date: 'tdate-or-full-date',
    issuing_authority: 'tstr',
    issuing_country: 'tstr',
    document_number: 'tstr',
    issuing_jurisdiction: 'tstr',
    issuance_date: 'tdate-or-full-date',
    trust_anchor: 'tstr',
    attestation_legal_category: 'tstr',
    // earlier rulebook versions
    birth_place: 'tstr',
    age_in_years: 'uint',
    age_birth_year: 'uint',
  },
  [[AGE_OVER_RE, 'bool']],
);

/**
 * `eu.europa.ec.av.1` — the EU Proof of Age attestation (docType and namespace `eu.europa.ec.av.1`).
 *
 * Source: EU Age Verification technical specification (eu-digital-identity-wallet/av-doc-technical-specification),
 * Annex A §A.11 "Proof of Age attestation": the attestation carries `age_over_18` with a boolean
 * `elementValue`; further thresholds use the `age_over_NN` form of ISO/IEC 18013-5 §7.2.5 (bool).
 */
const AV_SCHEMA = table(
  'eu.europa.ec.av.1',
  'EU age verification',
  'EU Age Verification technical specification, Annex A §A.11',
  {},
  [[AGE_OVER_RE, 'bool']],
);

/**
 * `org.iso.23220.1` — the ISO/IEC TS 23220-2 common data elements, as the Photo ID
 * (`org.iso.23220.photoid.1`, ISO/IEC TS 23220-4 Annex C Table C.1) uses them. Both the element names
 * of the published Photo ID profile (`family_name_unicode`, `given_name_unicode`,
 * `issuing_authority_unicode`) and those of the current draft (`family_name`, `given_name`, … per
 * ISO/IEC JTC 1/SC 17/WG 4 N 4862, 2025-12-04) are listed; they do not collide. Dates accept a tdate or a
 * full-date, as ISO/IEC 18013-5 does for the same elements.
 */
const ISO23220_SCHEMA = table(
  'org.iso.23220.1',
  'ISO/IEC 23220-2',
  'ISO/IEC TS 23220-4 Annex C Table C.1 (ISO/IEC TS 23220-2 elements)',
  {
    family_name: 'tstr',
    given_name: 'tstr',
    family_name_viz: 'tstr',
    given_name_viz: 'tstr',
    family_name_unicode: 'tstr',
    given_name_unicode: 'tstr',
    family_name_latin1: 'tstr',
    given_name_latin1: 'tstr',
    birth_date: 'birth-date-23220',
    portrait: 'bstr',
    issue_date: 'tdate-or-full-date',
    expiry_date: 'tdate-or-full-date',
    issuing_authority: 'tstr',
    issuing_authority_unicode: 'tstr',
    issuing_authority_latin1: 'tstr',
    issuing_country: 'tstr',
    issuing_subdivision: 'tstr',
    age_in_years: 'uint',
    age_birth_year: 'uint',
    portrait_capture_date: 'tdate-or-full-date',
    birthplace: 'tstr',
    name_at_birth: 'tstr',
    resident_address: 'tstr',
    resident_address_unicode: 'tstr',
    resident_city: 'tstr',
    resident_city_unicode: 'tstr',
    resident_city_latin1: 'tstr',
    resident_postal_code: 'tstr',
    resident_country: 'tstr',
    sex: 'uint',
    nationality: 'tstr',
    document_number: 'tstr',
  },
  [[AGE_OVER_RE, 'bool']],
);

/**
 * `org.iso.23220.photoid.1` — the data elements defined for the Photo ID itself (ISO/IEC TS 23220-4
 * Annex C Table C.2).
 */
const PHOTOID_SCHEMA = table(
  'org.iso.23220.photoid.1',
  'ISO/IEC 23220-4 Photo ID',
  'ISO/IEC TS 23220-4 Annex C Table C.2',
  {
    person_id: 'tstr',
    birth_country: 'tstr',
    birth_state: 'tstr',
    birth_city: 'tstr',
    administrative_number: 'tstr',
    resident_street: 'tstr',
    resident_house_number: 'tstr',
    resident_state: 'tstr',
    travel_document_type: 'tstr',
    travel_document_number: 'tstr',
    travel_document_mrz: 'tstr',
  },
);

/**
 * `org.iso.23220.datagroups.1` — the ICAO 9303 part 10 data groups a Photo ID may carry (ISO/IEC TS
 * 23220-4 Annex C Table C.3): `version` (tstr), the `sod` and `dg1` … `dg16` as byte strings.
 */
const DATAGROUPS_SCHEMA = table(
  'org.iso.23220.datagroups.1',
  'ISO/IEC 23220-4 Photo ID data groups',
  'ISO/IEC TS 23220-4 Annex C Table C.3',
  { version: 'tstr', sod: 'bstr' },
  [[/^dg(?:[1-9]|1[0-6])$/, 'bstr']],
);

/**
 * The namespaces whose element types are known: the mDL (`org.iso.18013.5.1`), the EU PID
 * (`eu.europa.ec.eudi.pid.1`), EU age verification (`eu.europa.ec.av.1`) and the ISO/IEC 23220 Photo ID
 * (`org.iso.23220.1`, `org.iso.23220.photoid.1`, `org.iso.23220.datagroups.1`). Other namespaces
 * (issuer-specific ID passes, domestic extensions) have no schema: their values are reported as received.
 *
 * @example
 * ```ts
 * KNOWN_NAMESPACE_SCHEMAS.map((s) => s.nameSpace).includes('eu.europa.ec.av.1'); // true
 * ```
 */
export const KNOWN_NAMESPACE_SCHEMAS: readonly NamespaceSchema[] = Object.freeze([
  MDL_SCHEMA,
  PID_SCHEMA,
  AV_SCHEMA,
  ISO23220_SCHEMA,
  PHOTOID_SCHEMA,
  DATAGROUPS_SCHEMA,
]);

const BY_NAMESPACE = new Map(KNOWN_NAMESPACE_SCHEMAS.map((s) => [s.nameSpace, s]));

/**
 * The schema of a namespace, or `undefined` when none is known.
 *
 * @example
 * ```ts
 * namespaceSchema('eu.europa.ec.eudi.pid.1')?.typeOf('nationality'); // 'nationalities'
 * ```
 */
export function namespaceSchema(nameSpace: string): NamespaceSchema | undefined {
  return BY_NAMESPACE.get(nameSpace);
}

/**
 * ```cddl
 * place_of_birth = { ? "country": tstr, ? "region": tstr, ? "locality": tstr }
 * ```
 * PID Rulebook §3.1.5: at least one of the three.
 */
function placeOfBirthProblem(v: unknown): string | undefined {
  if (!(v instanceof Map)) return 'must be a place_of_birth map';
  let present = 0;
  for (const [k, part] of v) {
    if (k !== 'country' && k !== 'region' && k !== 'locality')
      return 'has a key place_of_birth does not define';
    if (typeof part !== 'string') return `${k} must be a text string`;
    present++;
  }
  return present === 0 ? 'needs at least one of country, region, locality' : undefined;
}

/**
 * ```cddl
 * birth_date = full-date / { "birth_date": full-date, ? "approximate_mask": tstr }
 * ```
 * ISO/IEC TS 23220-2 §6.3.1.1.3.
 */
function birthDate23220Problem(v: unknown): string | undefined {
  if (v instanceof FullDate) return undefined;
  if (!(v instanceof Map)) return 'must be a full-date (tag 1004) or a birth_date map';
  if (!(v.get('birth_date') instanceof FullDate)) return 'birth_date must be a full-date (tag 1004)';
  if (v.has('approximate_mask') && typeof v.get('approximate_mask') !== 'string')
    return 'approximate_mask must be a text string';
  return undefined;
}

/** Why `v` is not of `type`, or `undefined` when it is. */
function valueTypeProblem(type: ElementValueType, v: unknown): string | undefined {
  switch (type) {
    case 'nationalities':
      return Array.isArray(v) && v.length > 0 && v.every((c) => typeof c === 'string')
        ? undefined
        : 'must be a non-empty array of text strings';
    case 'place-of-birth':
      return placeOfBirthProblem(v);
    case 'birth-date-23220':
      return birthDate23220Problem(v);
    default:
      return mdlTypeProblem(type, v);
  }
}

/**
 * Checks the CBOR type of one data element value against the schema of its namespace. Returns the
 * problem, or `undefined` when the value has the schema's type, the namespace has no known schema, or
 * the schema does not define the identifier. Only types and the structure of compound types are
 * checked (for the mDL, also the latin1 limits of Table 5); value rules (code lists, consistency)
 * are the issuer's (`validateMdlElements`).
 *
 * @example
 * ```ts
 * checkElementType('eu.europa.ec.av.1', 'age_over_18', 'yes')?.reason; // 'must be a boolean'
 * checkElementType('eu.europa.ec.av.1', 'age_over_18', true); // undefined
 * ```
 */
export function checkElementType(
  nameSpace: string,
  elementIdentifier: string,
  value: unknown,
): ElementTypeProblem | undefined {
  const schema = BY_NAMESPACE.get(nameSpace);
  if (schema === undefined) return undefined;
  const expected = schema.typeOf(elementIdentifier);
  if (expected === undefined) return undefined;
  const reason = valueTypeProblem(expected, value);
  if (reason === undefined) return undefined;
  return { nameSpace, elementIdentifier, expected, reason, schema: `${schema.title}, ${schema.source}` };
}

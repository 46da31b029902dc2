import { FullDate, TDate } from '../cbor/types.js';
import type { ErrorCode } from '../errors/codes.js';
import { MdlError } from '../errors/mdl-error.js';
import { MDL_NAMESPACE } from './constants.js';

/**
 * How an mDL data element is encoded (ISO/IEC 18013-5 §7.2.1 Table 5; digest §1.2–§1.4).
 * `latin1` = tstr of ISO/IEC 8859-1 characters, at most 150 characters.
 */
export type MdlElementType =
  | 'tstr'
  | 'latin1'
  | 'uint'
  | 'bool'
  | 'bstr'
  | 'full-date'
  | 'tdate'
  | 'tdate-or-full-date'
  | 'driving-privileges'
  | 'map';

/** One row of the `org.iso.18013.5.1` element table. */
export interface MdlElementSpec {
  readonly identifier: string;
  readonly type: MdlElementType;
  /** Mandatory on every mDL (says nothing about whether a holder must release it). */
  readonly mandatory: boolean;
  /** Extra value rule, checked after the type. */
  readonly rule?: 'alpha2' | 'iso3166-2' | 'sex' | 'eye-colour' | 'hair-colour' | 'image' | 'biometric';
  /** Present only in one edition: `'2021'` (removed by ed2) or `'ed2'` (new in the drafts). */
  readonly edition?: '2021' | 'ed2';
}

const e = (
  identifier: string,
  type: MdlElementType,
  mandatory: boolean,
  extra: Pick<MdlElementSpec, 'rule' | 'edition'> = {},
): MdlElementSpec => Object.freeze({ identifier, type, mandatory, ...extra });

/**
 * The `org.iso.18013.5.1` data elements with fixed identifiers (ISO/IEC 18013-5 §7.2.1 Table 5,
 * ed2 §13.4 Table 20; digest §1.3). `age_over_NN` and `biometric_template_xx` are patterns, see
 * {@link mdlElementSpec}.
 * @example
 * ```ts
 * MDL_ELEMENTS.filter((s) => s.mandatory).length; // 11
 * ```
 */
export const MDL_ELEMENTS: readonly MdlElementSpec[] = Object.freeze([
  e('family_name', 'latin1', true),
  e('given_name', 'latin1', true),
  e('birth_date', 'full-date', true),
  e('issue_date', 'tdate-or-full-date', true),
  e('expiry_date', 'tdate-or-full-date', true),
  e('issuing_country', 'tstr', true, { rule: 'alpha2' }),
  e('issuing_authority', 'latin1', true),
  e('document_number', 'latin1', true),
  e('portrait', 'bstr', true, { rule: 'image' }),
  e('driving_privileges', 'driving-privileges', true),
  e('un_distinguishing_sign', 'tstr', true),
  e('administrative_number', 'latin1', false),
  e('sex', 'uint', false, { rule: 'sex' }),
  e('height', 'uint', false),
  e('weight', 'uint', false),
  e('eye_colour', 'tstr', false, { rule: 'eye-colour' }),
  e('hair_colour', 'tstr', false, { rule: 'hair-colour' }),
  e('birth_place', 'latin1', false),
  e('resident_address', 'latin1', false),
  e('portrait_capture_date', 'tdate', false),
  e('age_in_years', 'uint', false),
  e('age_birth_year', 'uint', false),
  e('issuing_jurisdiction', 'tstr', false, { rule: 'iso3166-2' }),
  e('nationality', 'tstr', false, { rule: 'alpha2' }),
  e('resident_street', 'latin1', false, { edition: 'ed2' }),
  e('resident_city', 'latin1', false),
  e('resident_state', 'latin1', false),
  e('resident_postal_code', 'latin1', false),
  e('resident_country', 'tstr', false, { rule: 'alpha2' }),
  e('family_name_national_character', 'tstr', false),
  e('given_name_national_character', 'tstr', false),
  e('signature_usual_mark', 'bstr', false, { rule: 'image' }),
  e('webapi_info', 'map', false, { edition: '2021' }),
  e('oidc_info', 'map', false, { edition: '2021' }),
]);

/**
 * ISO/IEC 5218 sex codes: 0 not known, 1 male, 2 female, 9 not applicable.
 * @example
 * ```ts
 * MDL_SEX_CODES.includes(9); // true
 * ```
 */
export const MDL_SEX_CODES: readonly number[] = Object.freeze([0, 1, 2, 9]);

/**
 * Allowed `eye_colour` values.
 * @example
 * ```ts
 * MDL_EYE_COLOURS.includes('hazel'); // true
 * ```
 */
export const MDL_EYE_COLOURS: readonly string[] = Object.freeze([
  'black',
  'blue',
  'brown',
  'dichromatic',
  'grey',
  'green',
  'hazel',
  'maroon',
  'pink',
  'unknown',
]);

/**
 * Allowed `hair_colour` values.
 * @example
 * ```ts
 * MDL_HAIR_COLOURS.includes('auburn'); // true
 * ```
 */
export const MDL_HAIR_COLOURS: readonly string[] = Object.freeze([
  'bald',
  'black',
  'blond',
  'brown',
  'grey',
  'red',
  'auburn',
  'sandy',
  'white',
  'unknown',
]);

const BY_ID = new Map(MDL_ELEMENTS.map((s) => [s.identifier, s]));
const MANDATORY_COUNT = MDL_ELEMENTS.filter((s) => s.mandatory).length;
const AGE_OVER_RE = /^age_over_(\d{2})$/;
const BIOMETRIC_RE = /^biometric_template_[a-z0-9_]+$/;
const AGE_OVER_SPEC = e('age_over_NN', 'bool', false);
const BIOMETRIC_SPEC = e('biometric_template_xx', 'bstr', false, { rule: 'biometric' });

/**
 * The schema row for an element identifier, including the `age_over_NN` (NN = 00–99) and
 * `biometric_template_xx` patterns; `undefined` for identifiers the namespace does not define.
 *
 * @example
 * ```ts
 * mdlElementSpec('age_over_21')?.type; // 'bool'
 * mdlElementSpec('family_name')?.mandatory; // true
 * ```
 */
export function mdlElementSpec(identifier: string): MdlElementSpec | undefined {
  return (
    BY_ID.get(identifier) ??
    (AGE_OVER_RE.test(identifier) ? AGE_OVER_SPEC : undefined) ??
    (BIOMETRIC_RE.test(identifier) ? BIOMETRIC_SPEC : undefined)
  );
}

/** One problem found by {@link validateMdlElements}. Never carries the element's value. */
export interface MdlElementFinding {
  readonly code: Extract<
    ErrorCode,
    'ERR_DATA_ELEMENT_INVALID' | 'ERR_DATA_ELEMENT_MISSING' | 'ERR_DATA_ELEMENT_UNKNOWN'
  >;
  readonly nameSpace: string;
  readonly elementIdentifier: string;
  /** What is wrong, in words that never include the value. */
  readonly reason: string;
}

/** Options for {@link validateMdlElements}. */
export interface ValidateMdlElementsOptions {
  /**
   * Report missing mandatory elements (default `true`: a complete mDL, as an issuer builds it).
   * Readers validating a disclosed subset pass `false`.
   */
  readonly requireMandatory?: boolean;
  /** Throw the first finding as an {@link MdlError} instead of returning the list (default `false`). */
  readonly throwOnFinding?: boolean;
  /** Report identifiers the namespace does not define as `ERR_DATA_ELEMENT_UNKNOWN` (default `true`). */
  readonly reportUnknown?: boolean;
}

const isUint = (v: unknown): boolean =>
  (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) || (typeof v === 'bigint' && v >= 0n);

function isLatin1(v: string): boolean {
  if (v.length > 150) return false;
  for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) > 0xff) return false;
  return true;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

// The code checks by hand rather than by regular expression: an issuer checks every document, and
// a RegExp literal is a new object per evaluation on top of the regex engine's call.
function isUpperAlpha(c: number): boolean {
  return c >= 0x41 && c <= 0x5a;
}

/** `^[A-Z]{2}$` */
function isAlpha2(s: string): boolean {
  return s.length === 2 && isUpperAlpha(s.charCodeAt(0)) && isUpperAlpha(s.charCodeAt(1));
}

/** `^[A-Z]{2}-[A-Z0-9]{1,3}$` */
function isSubdivisionCode(s: string): boolean {
  if (s.length < 4 || s.length > 6 || !isUpperAlpha(s.charCodeAt(0)) || !isUpperAlpha(s.charCodeAt(1)))
    return false;
  if (s.charCodeAt(2) !== 0x2d) return false;
  for (let i = 3; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isUpperAlpha(c) && !(c >= 0x30 && c <= 0x39)) return false;
  }
  return true;
}

const JPEG = [0xff, 0xd8, 0xff];
const JP2_FILE = [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a];
const JP2_CODESTREAM = [0xff, 0x4f, 0xff, 0x51];

/**
 * Why `v` is not of the element type `type`, or `undefined` when it is. Used by {@link validateMdlElements}
 * and by the namespace schemas of `namespace-schemas.ts`. Internal to core (not re-exported).
 */
export function mdlTypeProblem(type: MdlElementType, v: unknown): string | undefined {
  switch (type) {
    case 'tstr':
      return typeof v === 'string' ? undefined : 'must be a text string';
    case 'latin1':
      return typeof v === 'string' && isLatin1(v)
        ? undefined
        : 'must be a text string of at most 150 ISO/IEC 8859-1 characters';
    case 'uint':
      return isUint(v) ? undefined : 'must be an unsigned integer';
    case 'bool':
      return typeof v === 'boolean' ? undefined : 'must be a boolean';
    case 'bstr':
      return v instanceof Uint8Array ? undefined : 'must be a byte string';
    case 'full-date':
      return v instanceof FullDate ? undefined : 'must be a full-date (tag 1004)';
    case 'tdate':
      return v instanceof TDate ? undefined : 'must be a tdate (tag 0)';
    case 'tdate-or-full-date':
      return v instanceof TDate || v instanceof FullDate
        ? undefined
        : 'must be a tdate (tag 0) or full-date (tag 1004)';
    case 'map':
      return v instanceof Map ? undefined : 'must be a map';
    case 'driving-privileges':
      return drivingPrivilegesProblem(v);
  }
}

/**
 * ```cddl
 * DrivingPrivileges = [* DrivingPrivilege]
 * DrivingPrivilege = { "vehicle_category_code" : tstr, ? "issue_date" : full-date,
 *                      ? "expiry_date" : full-date, ? "codes" : [+ Code], * tstr => RFU }
 * Code = { "code" : tstr, ? "sign" : tstr, ? "value" : tstr, * tstr => RFU }
 * ```
 * ISO/IEC 18013-5 §7.2.4; digest §1.4.
 */
function drivingPrivilegesProblem(v: unknown): string | undefined {
  if (!Array.isArray(v)) return 'must be an array of DrivingPrivilege maps';
  for (let i = 0; i < v.length; i++) {
    const p = v[i];
    if (!(p instanceof Map)) return `entry ${i} must be a map`;
    if (typeof p.get('vehicle_category_code') !== 'string')
      return `entry ${i} needs a text vehicle_category_code`;
    if (p.has('issue_date') && !(p.get('issue_date') instanceof FullDate))
      return `entry ${i} issue_date must be a full-date`;
    if (p.has('expiry_date') && !(p.get('expiry_date') instanceof FullDate))
      return `entry ${i} expiry_date must be a full-date`;
    if (p.has('codes')) {
      const codes = p.get('codes');
      if (!Array.isArray(codes) || codes.length === 0) return `entry ${i} codes must be a non-empty array`;
      for (let j = 0; j < codes.length; j++) {
        const c = codes[j];
        if (!(c instanceof Map) || typeof c.get('code') !== 'string')
          return `entry ${i} code ${j} needs a text code`;
        for (const k of ['sign', 'value']) {
          if (c.has(k) && typeof c.get(k) !== 'string') return `entry ${i} code ${j} ${k} must be text`;
        }
      }
    }
  }
  return undefined;
}

function ruleProblem(rule: NonNullable<MdlElementSpec['rule']>, v: unknown): string | undefined {
  switch (rule) {
    case 'alpha2':
      return isAlpha2(v as string) ? undefined : 'must be an ISO 3166-1 alpha-2 code';
    case 'iso3166-2':
      return isSubdivisionCode(v as string) ? undefined : 'must be an ISO 3166-2 subdivision code';
    case 'sex':
      return MDL_SEX_CODES.includes(Number(v)) ? undefined : 'must be an ISO/IEC 5218 code (0, 1, 2 or 9)';
    case 'eye-colour':
      return MDL_EYE_COLOURS.includes(v as string) ? undefined : 'must be one of the listed eye colours';
    case 'hair-colour':
      return MDL_HAIR_COLOURS.includes(v as string) ? undefined : 'must be one of the listed hair colours';
    case 'image': {
      const b = v as Uint8Array;
      return startsWith(b, JPEG) || startsWith(b, JP2_FILE) || startsWith(b, JP2_CODESTREAM)
        ? undefined
        : 'must be a JPEG or JPEG 2000 image';
    }
    case 'biometric':
      return startsWith(v as Uint8Array, [0x7f, 0x61]) ? undefined : 'must start with the 7F61 template tag';
  }
}

// A module function, not a per-call closure (a closure per call is an allocation, and under
// tsx/esbuild name-keeping a defineProperty).
function addFinding(
  findings: MdlElementFinding[],
  code: MdlElementFinding['code'],
  elementIdentifier: string,
  reason: string,
): void {
  findings.push({ code, nameSpace: MDL_NAMESPACE, elementIdentifier, reason });
}

/** What {@link checkElement} collects over one namespace. */
interface ElementPass {
  readonly findings: MdlElementFinding[];
  readonly ages: [number, boolean][];
  readonly reportUnknown: boolean;
  /** Mandatory elements present (keys are distinct, so all of them when it reaches the count). */
  mandatory: number;
}

/** One element's schema checks (a `Map#forEach` callback; `this` is the pass). */
function checkElement(this: ElementPass, value: unknown, id: string): void {
  const spec = mdlElementSpec(id);
  if (spec === undefined) {
    if (this.reportUnknown)
      addFinding(this.findings, 'ERR_DATA_ELEMENT_UNKNOWN', id, 'not defined in this namespace');
    return;
  }
  if (spec.mandatory) this.mandatory++;
  const problem =
    mdlTypeProblem(spec.type, value) ?? (spec.rule === undefined ? undefined : ruleProblem(spec.rule, value));
  if (problem !== undefined) {
    addFinding(this.findings, 'ERR_DATA_ELEMENT_INVALID', id, problem);
    return;
  }
  const age = id.startsWith('age_over_') ? AGE_OVER_RE.exec(id) : null;
  if (age) this.ages.push([Number(age[1]), value as boolean]);
}

/**
 * Validates data elements of the `org.iso.18013.5.1` namespace against the schema: CBOR type,
 * latin1 / length limits, codes and enumerations, full-date vs tdate, `driving_privileges`
 * structure, image signatures, `issuing_jurisdiction` prefix vs `issuing_country`, consistent
 * `age_over_NN` values, and (optionally) presence of the mandatory elements.
 *
 * @example
 * ```ts
 * const findings = validateMdlElements(new Map([['family_name', 'Doe']]), { requireMandatory: false });
 * findings.length; // 0
 * validateMdlElements(elements, { throwOnFinding: true }); // issuer side: throw on the first problem
 * ```
 * @throws {@link MdlError} `ERR_DATA_ELEMENT_INVALID` / `ERR_DATA_ELEMENT_MISSING` /
 * `ERR_DATA_ELEMENT_UNKNOWN` (details: `nameSpace`, `elementIdentifier`) only with `throwOnFinding`.
 */
export function validateMdlElements(
  elements: ReadonlyMap<string, unknown>,
  options: ValidateMdlElementsOptions = {},
): readonly MdlElementFinding[] {
  const pass: ElementPass = {
    findings: [],
    ages: [],
    reportUnknown: options.reportUnknown !== false,
    mandatory: 0,
  };
  // Map#forEach with a module function: no iterator result or entry array per element.
  elements.forEach(checkElement, pass);
  const { findings, ages } = pass;
  const country = elements.get('issuing_country');
  const jurisdiction = elements.get('issuing_jurisdiction');
  if (
    typeof country === 'string' &&
    typeof jurisdiction === 'string' &&
    !findings.some(
      (f) => f.elementIdentifier === 'issuing_jurisdiction' || f.elementIdentifier === 'issuing_country',
    ) &&
    !jurisdiction.startsWith(`${country}-`)
  ) {
    addFinding(
      findings,
      'ERR_DATA_ELEMENT_INVALID',
      'issuing_jurisdiction',
      'must start with the issuing_country code',
    );
  }
  for (let a = 0; a < ages.length; a++) {
    const [nn, over] = ages[a]!;
    for (let b = 0; b < ages.length; b++) {
      const [mm, otherOver] = ages[b]!;
      // true at NN implies true at every MM < NN; false at NN implies false at every MM > NN.
      if (over && !otherOver && mm < nn) {
        addFinding(
          findings,
          'ERR_DATA_ELEMENT_INVALID',
          `age_over_${String(mm).padStart(2, '0')}`,
          `contradicts age_over_${String(nn).padStart(2, '0')}`,
        );
      }
    }
  }
  // Only when one is missing: which (a lookup per mandatory element).
  if (options.requireMandatory !== false && pass.mandatory < MANDATORY_COUNT) {
    for (let i = 0; i < MDL_ELEMENTS.length; i++) {
      const spec = MDL_ELEMENTS[i]!;
      if (spec.mandatory && !elements.has(spec.identifier))
        addFinding(findings, 'ERR_DATA_ELEMENT_MISSING', spec.identifier, 'mandatory element is missing');
    }
  }
  if (options.throwOnFinding === true && findings.length > 0) {
    const f = findings[0]!;
    throw new MdlError(f.code, `${f.nameSpace}/${f.elementIdentifier}: ${f.reason}`, {
      details: { nameSpace: f.nameSpace, elementIdentifier: f.elementIdentifier },
    });
  }
  return findings;
}

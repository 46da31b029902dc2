/**
 * The JSON form of a verification report that both sides of the app render: the server sends it
 * after a Digital Credentials API flow, and the in-browser inspector turns its own report into the
 * same form, so one renderer shows both. Decoded CBOR values become tagged JSON values.
 */
import { CborSimple, CborTagged, EncodedCbor, FullDate, TDate } from '@mdlkit/core/cbor';
import type { CheckResult, VerificationReport } from '@mdlkit/reader';

/** A CBOR value as JSON: strings, numbers, booleans and null as they are; everything else tagged. */
export type ViewValue =
  | string
  | number
  | boolean
  | null
  | { readonly $: 'bytes'; readonly hex: string; readonly length: number }
  | { readonly $: 'full-date'; readonly value: string }
  | { readonly $: 'tdate'; readonly value: string }
  | { readonly $: 'bigint'; readonly value: string }
  | { readonly $: 'tag'; readonly tag: string; readonly value: ViewValue }
  | { readonly $: 'simple'; readonly value: number }
  | { readonly $: 'undefined' }
  | { readonly $: 'array'; readonly items: readonly ViewValue[] }
  | { readonly $: 'map'; readonly entries: readonly (readonly [ViewValue, ViewValue])[] };

/** One check as shown in the check table. */
export interface ViewCheck {
  readonly id: string;
  readonly status: CheckResult['status'];
  readonly code?: string;
  readonly message: string;
}

/** One disclosed element. */
export interface ViewElement {
  readonly nameSpace: string;
  readonly identifier: string;
  readonly value: ViewValue;
  readonly source: 'issuer' | 'device';
  readonly verified: boolean;
}

/** One document of a report. */
export interface ViewDocument {
  readonly docType: string;
  readonly verified: boolean;
  readonly checks: readonly ViewCheck[];
  readonly elements: readonly ViewElement[];
  readonly errors: readonly { nameSpace: string; identifier: string; errorCode: number }[];
  readonly validity?: { signed: string; validFrom: string; validUntil: string; expectedUpdate?: string };
  readonly dsSubject?: string;
  readonly deviceAuthMethod?: 'signature' | 'mac';
}

/** A whole report: the protocol-level checks (online flows) first, then the documents. */
export interface ViewReport {
  readonly verified: boolean;
  /** The protocol that carried the response (`openid4vp-v1-unsigned`, `org-iso-mdoc`, …), if any. */
  readonly protocol?: string;
  readonly protocolChecks: readonly ViewCheck[];
  readonly responseStatus?: number;
  readonly documents: readonly ViewDocument[];
  readonly documentErrors: readonly { docType: string; errorCode: number }[];
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lowercase hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX[b];
  return out;
}

/** Most nesting a value view follows; deeper parts are cut (the reader's own limits are far below). */
const MAX_DEPTH = 64;

/** Turns a decoded CBOR value (as the core decoder returns it) into its JSON view. */
export function toViewValue(value: unknown, depth = 0): ViewValue {
  if (depth > MAX_DEPTH) return '…';
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (value === undefined) return { $: 'undefined' };
  if (typeof value === 'bigint') return { $: 'bigint', value: value.toString() };
  if (value instanceof Uint8Array) return { $: 'bytes', hex: toHex(value), length: value.length };
  if (value instanceof FullDate) return { $: 'full-date', value: value.value };
  if (value instanceof TDate) return { $: 'tdate', value: value.value };
  if (value instanceof EncodedCbor) {
    return { $: 'tag', tag: '24', value: toViewValue(value.value, depth + 1) };
  }
  if (value instanceof CborTagged) {
    return { $: 'tag', tag: String(value.tag), value: toViewValue(value.value, depth + 1) };
  }
  if (value instanceof CborSimple) return { $: 'simple', value: value.value };
  if (Array.isArray(value)) return { $: 'array', items: value.map((v) => toViewValue(v, depth + 1)) };
  if (value instanceof Map) {
    return {
      $: 'map',
      entries: [...value].map(([k, v]) => [toViewValue(k, depth + 1), toViewValue(v, depth + 1)] as const),
    };
  }
  return String(value);
}

/** One check (a document check, or a protocol check of an online flow) as the page shows it. */
export function viewCheck(
  c: Pick<CheckResult, 'status' | 'message'> & { readonly id: string; readonly code?: string },
): ViewCheck {
  return {
    id: c.id,
    status: c.status,
    ...(c.code === undefined ? {} : { code: c.code }),
    message: c.message,
  };
}

/** The JSON view of a reader report, with any protocol-level checks of an online flow in front. */
export function toViewReport(
  report: VerificationReport,
  extra: { protocol?: string; protocolChecks?: readonly CheckResult[] } = {},
): ViewReport {
  const protocolChecks = (extra.protocolChecks ?? []).map(viewCheck);
  return {
    verified: report.verified && protocolChecks.every((c) => c.status !== 'failed'),
    ...(extra.protocol === undefined ? {} : { protocol: extra.protocol }),
    protocolChecks,
    responseStatus: report.responseStatus,
    documents: report.documents.map((d) => ({
      docType: d.docType,
      verified: d.verified,
      checks: d.checks.map(viewCheck),
      elements: d.elements.map((e) => ({
        nameSpace: e.nameSpace,
        identifier: e.identifier,
        value: toViewValue(e.value),
        source: e.source,
        verified: e.verified,
      })),
      errors: d.errors.map((e) => ({ ...e })),
      ...(d.validity === undefined ? {} : { validity: { ...d.validity } }),
      ...(d.dsSubject === undefined ? {} : { dsSubject: d.dsSubject }),
      ...(d.deviceAuthMethod === undefined ? {} : { deviceAuthMethod: d.deviceAuthMethod }),
    })),
    documentErrors: report.documentErrors.map((e) => ({ ...e })),
  };
}

/** A report for a response that could not be read at all (malformed input, refused state …). */
export function failureReport(check: ViewCheck, protocol?: string): ViewReport {
  return {
    verified: false,
    ...(protocol === undefined ? {} : { protocol }),
    protocolChecks: [check],
    documents: [],
    documentErrors: [],
  };
}

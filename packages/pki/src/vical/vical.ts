import { CborTagged, cborMapGet, decodeCbor, encodeCbor, TDate } from '@mdlkit/core/cbor';
import {
  type CoseSign1,
  decodeCoseSign1,
  getX5Chain,
  signCoseSign1,
  verifyCoseSign1,
} from '@mdlkit/core/cose';
import type { AnyCoseSigner } from '@mdlkit/core/crypto';
import { type ErrorCode, isMdlError, MdlError } from '@mdlkit/core/errors';
import { parseCertificate } from '../certificate/parse-certificate.js';
import type { LintRuleset, SpecEdition } from '../lint/lint-certificate.js';
import type { TrustStore } from '../path/trust-store.js';
import {
  type CertificatePathResult,
  type ValidationPolicy,
  validateCertificatePath,
} from '../path/validate-certificate-path.js';

/**
 * One trusted IACA of a VICAL (18013-5 Annex C).
 *
 * ```cddl
 * CertificateInfo = {
 *   "certificate" : bstr, "serialNumber" : biguint, "ski" : bstr, "docType" : [+ DocType],
 *   ? "certificateProfile" : [+ tstr], ? "issuingAuthority" : tstr, ? "issuingCountry" : tstr,
 *   ? "stateOrProvinceName" : tstr, ? "issuer" : bstr, ? "subject" : bstr,
 *   ? "notBefore" : tdate, ? "notAfter" : tdate, ? "extensions" : { * tstr => any }, * tstr => RFU }
 * ```
 */
export interface VicalCertificateInfo {
  /** DER IACA certificate. */
  readonly certificate: Uint8Array;
  readonly serialNumber: bigint;
  readonly ski: Uint8Array;
  /** The docTypes this IACA is trusted for (CDDL key `docType`). */
  readonly docTypes: readonly string[];
  readonly certificateProfile?: readonly string[];
  readonly issuingAuthority?: string;
  readonly issuingCountry?: string;
  readonly stateOrProvinceName?: string;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

/**
 * A decoded VICAL.
 *
 * ```cddl
 * VICAL = { "version" : tstr, "vicalProvider" : tstr, "date" : tdate, ? "vicalIssueID" : uint,
 *   ? "nextUpdate" : tdate, ? "notAfter" : tdate, "certificateInfos" : [* CertificateInfo],
 *   ? "vicalURL" : tstr, ? "extensions" : { * tstr => any }, * tstr => RFU }
 * ```
 */
export interface Vical {
  readonly version: string;
  readonly vicalProvider: string;
  readonly date: Date;
  readonly vicalIssueID?: number;
  readonly nextUpdate?: Date;
  readonly notAfter?: Date;
  readonly vicalURL?: string;
  readonly certificateInfos: readonly VicalCertificateInfo[];
}

/** A parsed (not yet verified) signed VICAL. */
export interface ParsedVical {
  readonly vical: Vical;
  /** The COSE_Sign1 (protected header and payload bytes as received). */
  readonly sign1: CoseSign1;
  /** x5chain from the COSE headers, signer first. */
  readonly x5chain: readonly Uint8Array[];
}

const DECODE = { allowNonPreferred: true, lenientDates: true } as const;
const invalid = (message: string, cause?: unknown): MdlError =>
  new MdlError('ERR_VICAL_INVALID', message, cause === undefined ? {} : { cause });

function field(map: unknown, key: string): unknown {
  return cborMapGet(map as Map<unknown, unknown>, key);
}
function str(map: unknown, key: string, required: true): string;
function str(map: unknown, key: string, required: false): string | undefined;
function str(map: unknown, key: string, required: boolean): string | undefined {
  const v = field(map, key);
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string') throw invalid(`VICAL field "${key}" must be a text string`);
  return v;
}
function date(map: unknown, key: string, required: boolean): Date | undefined {
  const v = field(map, key);
  if (v === undefined && !required) return undefined;
  if (!(v instanceof TDate)) throw invalid(`VICAL field "${key}" must be a tdate (tag 0)`);
  return v.toDate();
}
function bytes(map: unknown, key: string): Uint8Array {
  const v = field(map, key);
  if (!(v instanceof Uint8Array)) throw invalid(`CertificateInfo field "${key}" must be a byte string`);
  return v;
}

function parseCertificateInfo(info: unknown): VicalCertificateInfo {
  if (!(info instanceof Map)) throw invalid('CertificateInfo must be a map');
  const serial = field(info, 'serialNumber');
  let serialNumber: bigint;
  if (typeof serial === 'bigint') serialNumber = serial;
  else if (typeof serial === 'number' && Number.isSafeInteger(serial) && serial >= 0)
    serialNumber = BigInt(serial);
  else throw invalid('CertificateInfo serialNumber must be a biguint');
  const docTypes = field(info, 'docType');
  if (!Array.isArray(docTypes) || docTypes.length === 0 || !docTypes.every((d) => typeof d === 'string')) {
    throw invalid('CertificateInfo docType must be a non-empty array of text strings');
  }
  const profile = field(info, 'certificateProfile');
  if (profile !== undefined && (!Array.isArray(profile) || !profile.every((p) => typeof p === 'string'))) {
    throw invalid('CertificateInfo certificateProfile must be an array of text strings');
  }
  const out: Record<string, unknown> = {
    certificate: bytes(info, 'certificate'),
    serialNumber,
    ski: bytes(info, 'ski'),
    docTypes: docTypes as string[],
  };
  if (profile !== undefined) out['certificateProfile'] = profile;
  for (const k of ['issuingAuthority', 'issuingCountry', 'stateOrProvinceName'] as const) {
    const v = str(info, k, false);
    if (v !== undefined) out[k] = v;
  }
  for (const k of ['notBefore', 'notAfter'] as const) {
    const v = date(info, k, false);
    if (v !== undefined) out[k] = v;
  }
  return out as unknown as VicalCertificateInfo;
}

/**
 * Parse a signed VICAL: an untagged (or tagged) COSE_Sign1 whose payload is the CBOR-encoded VICAL
 * map (a plain bstr, no tag 24) and whose x5chain carries the VICAL signer chain (Annex C).
 *
 * @example
 * ```ts
 * const { vical, x5chain } = parseVical(bytes);
 * vical.certificateInfos.length; // 14 for the AAMVA VICAL of 2025-11-18
 * ```
 * @throws {@link MdlError} `ERR_VICAL_INVALID` when the structure does not match the CDDL (COSE / CBOR
 * errors are wrapped with their cause).
 */
export function parseVical(input: Uint8Array): ParsedVical {
  let sign1: CoseSign1;
  let decoded: unknown;
  try {
    sign1 = decodeCoseSign1(input, DECODE);
    if (sign1.payload === null) throw invalid('VICAL COSE_Sign1 has no payload');
    decoded = decodeCbor(sign1.payload, DECODE);
  } catch (e) {
    if (isMdlError(e, 'ERR_VICAL_INVALID')) throw e;
    throw invalid('VICAL is not a well-formed COSE_Sign1 with a CBOR payload', e);
  }
  if (!(decoded instanceof Map)) throw invalid('VICAL payload must be a map');
  const infos = field(decoded, 'certificateInfos');
  if (!Array.isArray(infos)) throw invalid('VICAL certificateInfos must be an array');
  const issueId = field(decoded, 'vicalIssueID');
  if (
    issueId !== undefined &&
    !(typeof issueId === 'number' && Number.isSafeInteger(issueId) && issueId >= 0)
  ) {
    throw invalid('VICAL vicalIssueID must be a uint');
  }
  const vical: Vical = {
    version: str(decoded, 'version', true),
    vicalProvider: str(decoded, 'vicalProvider', true),
    date: date(decoded, 'date', true)!,
    certificateInfos: infos.map(parseCertificateInfo),
    ...(issueId === undefined ? {} : { vicalIssueID: issueId as number }),
    ...optionalDate('nextUpdate', date(decoded, 'nextUpdate', false)),
    ...optionalDate('notAfter', date(decoded, 'notAfter', false)),
    ...(str(decoded, 'vicalURL', false) === undefined ? {} : { vicalURL: str(decoded, 'vicalURL', true) }),
  };
  let x5chain: readonly Uint8Array[] = [];
  try {
    x5chain = getX5Chain(sign1)?.certificates ?? [];
  } catch (e) {
    throw invalid('VICAL x5chain is malformed', e);
  }
  return { vical, sign1, x5chain };
}

function optionalDate<K extends string>(key: K, value: Date | undefined): { [P in K]?: Date } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: Date };
}

/** One failed or noteworthy VICAL check. */
export interface VicalFinding {
  readonly code: ErrorCode;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
}

/** Options for {@link verifyVical}. */
export interface VerifyVicalOptions {
  /** The signed VICAL bytes or a {@link parseVical} result. */
  readonly vical: Uint8Array | ParsedVical;
  /** Trust anchors of the VICAL provider (e.g. the AAMVA DTS root). */
  readonly trustStore: TrustStore;
  readonly now: Date;
  /** Profile policy for the VICAL signer certificate (default `lenient`: real providers deviate, e.g. CRL DP forms). */
  readonly policy?: ValidationPolicy;
  readonly ruleset?: LintRuleset;
  readonly edition?: SpecEdition;
  /** What a VICAL past its nextUpdate is: `error` (default) or `warning`. */
  readonly staleSeverity?: 'error' | 'warning';
  /** Intermediate CAs allowed in the signer chain (default 2). */
  readonly maxIntermediates?: number;
}

/** Result of {@link verifyVical}. */
export interface VicalVerification {
  /** True when no finding is an error. */
  readonly valid: boolean;
  /** True when `now` is after nextUpdate (a newer VICAL should be fetched). */
  readonly stale: boolean;
  readonly vical: Vical;
  /** The VICAL signer path validation. */
  readonly signer: CertificatePathResult | undefined;
  readonly findings: readonly VicalFinding[];
}

/**
 * Verify a VICAL (18013-5 C.1.8): validate the VICAL signer chain to the provider's anchor (VICAL
 * signer profile incl. EKU 1.0.18013.5.1.8), verify the COSE_Sign1 signature over the payload bytes
 * as received, and check freshness (`nextUpdate`, ed2 `notAfter`). Use {@link TrustStore.addVical}
 * with a valid result to trust its IACAs for their listed docTypes.
 *
 * @example
 * ```ts
 * const r = await verifyVical({ vical: bytes, trustStore: aamvaRoots, now: new Date() });
 * if (r.valid) iacaStore.addVical(r.vical);
 * ```
 * @throws {@link MdlError} `ERR_VICAL_INVALID` for a malformed VICAL; verification failures are findings.
 */
export async function verifyVical(options: VerifyVicalOptions): Promise<VicalVerification> {
  const parsed = options.vical instanceof Uint8Array ? parseVical(options.vical) : options.vical;
  const { vical, sign1, x5chain } = parsed;
  const findings: VicalFinding[] = [];
  let signer: CertificatePathResult | undefined;
  if (x5chain.length === 0) {
    findings.push({ code: 'ERR_COSE_X5CHAIN_MISSING', severity: 'error', message: 'VICAL has no x5chain' });
  } else {
    signer = await validateCertificatePath({
      chain: x5chain,
      trustStore: options.trustStore,
      now: options.now,
      profile: 'vical-signer',
      policy: options.policy ?? 'lenient',
      ruleset: options.ruleset ?? 'iso',
      edition: options.edition ?? '2021',
      maxIntermediates: options.maxIntermediates ?? 2,
      allowAnchorInChain: true,
    });
    if (!signer.valid) {
      const first = signer.findings.find((f) => f.severity === 'error');
      findings.push({
        code: 'ERR_VICAL_UNTRUSTED',
        severity: 'error',
        message: `VICAL signer certificate path is not valid (${first?.code ?? 'unknown'}: ${first?.message ?? ''})`,
      });
    }
    for (const f of signer.findings)
      findings.push({ code: f.code, severity: f.severity, message: f.message });
    if (signer.publicKey !== undefined) {
      let ok = false;
      try {
        ok = await verifyCoseSign1({ message: sign1, key: signer.publicKey });
      } catch (e) {
        findings.push({
          code: isMdlError(e) ? e.code : 'ERR_VICAL_SIGNATURE_INVALID',
          severity: 'error',
          message: 'VICAL COSE header or algorithm is not acceptable',
        });
      }
      if (!ok) {
        findings.push({
          code: 'ERR_VICAL_SIGNATURE_INVALID',
          severity: 'error',
          message: 'VICAL signature does not verify',
        });
      }
    }
  }
  const now = options.now.getTime();
  const stale = vical.nextUpdate !== undefined && now > vical.nextUpdate.getTime();
  if (stale) {
    findings.push({
      code: 'ERR_VICAL_STALE',
      severity: options.staleSeverity ?? 'error',
      message: 'VICAL is past its nextUpdate; fetch a newer one',
    });
  }
  if (vical.notAfter !== undefined && now > vical.notAfter.getTime()) {
    findings.push({ code: 'ERR_VICAL_STALE', severity: 'error', message: 'VICAL is past its notAfter' });
  }
  if (now < vical.date.getTime()) {
    findings.push({ code: 'ERR_VICAL_INVALID', severity: 'warning', message: 'VICAL date is in the future' });
  }
  return { valid: findings.every((f) => f.severity !== 'error'), stale, vical, signer, findings };
}

/** One IACA to list in a VICAL being built. */
export interface VicalEntryInput {
  /** DER IACA certificate; serialNumber, ski, issuingCountry, stateOrProvinceName, notBefore/notAfter are taken from it. */
  readonly certificate: Uint8Array;
  /** docTypes it is trusted for, e.g. `['org.iso.18013.5.1.mDL']`. */
  readonly docTypes: readonly string[];
  readonly issuingAuthority?: string;
  readonly certificateProfile?: readonly string[];
}

/** Options for {@link buildVical}. */
export interface BuildVicalOptions {
  readonly vicalProvider: string;
  readonly date: Date;
  readonly vicalIssueID?: number;
  readonly nextUpdate?: Date;
  readonly entries: readonly VicalEntryInput[];
  /** VICAL signer (the key of `x5chain[0]`). */
  readonly signer: AnyCoseSigner;
  /** VICAL signer certificate first, then any intermediates (DER). */
  readonly x5chain: readonly Uint8Array[];
}

/**
 * Build and sign a VICAL: the VICAL map CBOR-encoded as the COSE_Sign1 payload (plain bstr),
 * `alg` alone in the protected header, x5chain in the unprotected header, untagged (Annex C).
 * serialNumber is written as a tag-2 biguint.
 *
 * @example
 * ```ts
 * const bytes = await buildVical({ vicalProvider: 'Example', date: new Date(), entries: [{ certificate: iaca, docTypes: ['org.iso.18013.5.1.mDL'] }], signer, x5chain: [signerCert] });
 * ```
 * @throws {@link MdlError} `ERR_INVALID_ARGUMENT`, `ERR_X509_MALFORMED` (an entry's certificate), or the signer's code.
 */
export async function buildVical(options: BuildVicalOptions): Promise<Uint8Array> {
  if (options.x5chain.length === 0)
    throw new MdlError('ERR_INVALID_ARGUMENT', 'x5chain must hold the VICAL signer certificate');
  if (
    options.vicalIssueID !== undefined &&
    !(Number.isSafeInteger(options.vicalIssueID) && options.vicalIssueID >= 0)
  ) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'vicalIssueID must be a uint');
  }
  const infos = options.entries.map((e) => {
    if (e.docTypes.length === 0)
      throw new MdlError('ERR_INVALID_ARGUMENT', 'every VICAL entry needs at least one docType');
    const cert = parseCertificate(e.certificate);
    if (cert.subjectKeyIdentifier === undefined) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'VICAL entry certificate has no subjectKeyIdentifier');
    }
    const info = new Map<string, unknown>([
      ['certificate', e.certificate],
      ['serialNumber', new CborTagged(2, magnitude(cert.serialNumber))],
      ['ski', cert.subjectKeyIdentifier],
      ['docType', [...e.docTypes]],
    ]);
    if (e.certificateProfile !== undefined) info.set('certificateProfile', [...e.certificateProfile]);
    if (e.issuingAuthority !== undefined) info.set('issuingAuthority', e.issuingAuthority);
    if (cert.subject.country !== undefined) info.set('issuingCountry', cert.subject.country);
    if (cert.subject.stateOrProvince !== undefined)
      info.set('stateOrProvinceName', cert.subject.stateOrProvince);
    info.set('notBefore', new TDate(cert.notBefore));
    info.set('notAfter', new TDate(cert.notAfter));
    return info;
  });
  const vical = new Map<string, unknown>([
    ['version', '1.0'],
    ['vicalProvider', options.vicalProvider],
    ['date', new TDate(options.date)],
  ]);
  if (options.vicalIssueID !== undefined) vical.set('vicalIssueID', options.vicalIssueID);
  if (options.nextUpdate !== undefined) vical.set('nextUpdate', new TDate(options.nextUpdate));
  vical.set('certificateInfos', infos);
  const x5 = options.x5chain.length === 1 ? options.x5chain[0]! : [...options.x5chain];
  const { bytes: out } = await signCoseSign1({
    signer: options.signer,
    payload: encodeCbor(vical),
    unprotectedHeaders: new Map([[33, x5]]),
    tagged: false,
  });
  return out;
}

/** Positive INTEGER contents without the sign-padding byte (biguint magnitude). */
function magnitude(serial: Uint8Array): Uint8Array {
  let i = 0;
  while (i < serial.length - 1 && serial[i] === 0) i++;
  return serial.subarray(i);
}

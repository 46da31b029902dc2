import { bytesEqual } from '@mdlkit/core/cbor';
import type { PublicKey } from '@mdlkit/core/crypto';
import { type ErrorCode, isMdlError, MdlError } from '@mdlkit/core/errors';
import { type ParsedCertificate, parseCertificate } from '../certificate/parse-certificate.js';
import { certificateSignatures } from '../internal/caches.js';
import { publicKeyFromSpki, verifyDerSignature } from '../internal/crypto.js';
import { type LintRuleset, lintCertificate, type SpecEdition } from '../lint/lint-certificate.js';
import type { LintRuleId } from '../lint/rules.js';
import { ExtensionOid, MdlEku } from '../oids.js';

const MDL_DOC_TYPE = 'org.iso.18013.5.1.mDL';

import { type CertificateProfileId, certificateProfiles } from '../profiles/profiles.js';
import type { TrustAnchor, TrustStore } from './trust-store.js';

/** `strict` fails on Annex B profile violations; `lenient` reports them as warnings. */
export type ValidationPolicy = 'strict' | 'lenient';

/** One check that did not pass. */
export interface PathFinding {
  /** Stable error code (`ERR_X509_EXPIRED`, `ERR_X509_PROFILE_VIOLATION` …). */
  readonly code: ErrorCode;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  /** For profile findings: the linter rule id. */
  readonly rule?: LintRuleId;
  /** Which certificate: 0 = leaf, 1… = chain order, -1 = the trust anchor. */
  readonly certificateIndex: number;
}

/** Options for {@link validateCertificatePath}. */
export interface ValidateCertificatePathOptions {
  /** DER certificates from x5chain, leaf first. */
  readonly chain: readonly Uint8Array[];
  readonly trustStore: TrustStore;
  /** Time of validation. */
  readonly now: Date;
  /** The leaf's expected profile (`ds`, `reader-auth`, `vical-signer` …). */
  readonly profile: CertificateProfileId;
  /**
   * For profiles whose EKU is optional (the status-list signer): the purposes one of which a present
   * EKU must contain (default: the profile's own — for the status-list signer
   * {@link STATUS_LIST_SIGNING_EKUS}, empty while `id-kp-oauthStatusSigning` has no assigned OID, so
   * a signer with an EKU fails unless its purpose OID is named here).
   */
  readonly ekuIfPresent?: readonly string[];
  /** Default `strict`. */
  readonly policy?: ValidationPolicy;
  /** Default `iso`. */
  readonly ruleset?: LintRuleset;
  /** Default `2021`. */
  readonly edition?: SpecEdition;
  /** The docType being verified; checked against VICAL docType restrictions of the anchor. */
  readonly docType?: string;
  /** Intermediate CAs allowed between leaf and anchor (default 0: Annex B has none; VICAL chains need more). */
  readonly maxIntermediates?: number;
  /** Longest accepted chain (default 8). */
  readonly maxChainLength?: number;
  /**
   * Accept the trust anchor inside `chain` silently (VICAL signers send their root; the IACA rule
   * "never in x5chain" does not apply there). Default false: reported (error when strict).
   */
  readonly allowAnchorInChain?: boolean;
}

/** Result of {@link validateCertificatePath}. */
export interface CertificatePathResult {
  /** True when no finding has severity `error`. */
  readonly valid: boolean;
  /** The anchor that terminated the path (undefined when none was found). */
  readonly anchor: TrustAnchor | undefined;
  /** The parsed leaf certificate. */
  readonly leaf: ParsedCertificate;
  /** Leaf subject country / state / CN (the reader's issuing_country / issuing_jurisdiction checks). */
  readonly subject: {
    readonly country?: string;
    readonly stateOrProvince?: string;
    readonly commonName?: string;
  };
  /** The leaf public key as a cached core handle (undefined if the key type is unsupported). */
  readonly publicKey: PublicKey | undefined;
  /** The leaf SubjectPublicKeyInfo, DER. */
  readonly spki: Uint8Array;
  /** docTypes the anchor is restricted to (undefined = any). */
  readonly docTypes: readonly string[] | undefined;
  /** Every failed or noteworthy check. */
  readonly findings: readonly PathFinding[];
  /** True when this result came from the validated-path cache. */
  readonly cached: boolean;
}

interface CachedPath {
  readonly anchor: TrustAnchor | undefined;
  readonly path: readonly ParsedCertificate[];
  readonly findings: readonly PathFinding[];
  readonly publicKey: PublicKey | undefined;
}

const MAX_CACHE = 4096;

/**
 * Validate a DS (or reader-auth, VICAL-signer …) certificate path to a trust anchor:
 * RFC 5280 §6.1 basic checks (signatures, names, validity at `now`, CA constraints for any allowed
 * intermediates, unknown critical extensions rejected), the EKU of the expected profile, the
 * IACA-vs-target countryName / stateOrProvinceName rule (18013-5 9.3.3 / 12.8.3) and the Annex B
 * profile under `policy`. The IACA is never expected in x5chain (one that is, is ignored and
 * reported). Pinned end-entity certificates are trusted by exact bytes.
 *
 * Time-independent work (parsing, signatures, profile lint) is cached per (store, chain, options),
 * so a hot loop pays for a map lookup and the validity-period comparison only.
 *
 * @example
 * ```ts
 * const r = await validateCertificatePath({ chain: x5chain, trustStore, now: new Date(), profile: 'ds', policy: 'strict' });
 * if (!r.valid) console.log(r.findings);
 * ```
 * @throws {@link MdlError} `ERR_X509_MALFORMED` (a certificate cannot be parsed), `ERR_LIMIT_X5CHAIN_LENGTH`,
 * `ERR_INVALID_ARGUMENT` (bad options). Validation failures are findings, not exceptions.
 */
export async function validateCertificatePath(
  options: ValidateCertificatePathOptions,
): Promise<CertificatePathResult> {
  const { chain, trustStore, now } = options;
  if (!Array.isArray(chain) || chain.length === 0 || !chain.every((c) => c instanceof Uint8Array)) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'chain must be a non-empty array of DER certificates');
  }
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'now must be a valid Date');
  }
  if (certificateProfiles[options.profile] === undefined) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'unknown certificate profile');
  }
  const maxLen = options.maxChainLength ?? 8;
  if (chain.length > maxLen) {
    throw new MdlError('ERR_LIMIT_X5CHAIN_LENGTH', 'x5chain is longer than allowed', {
      details: { length: chain.length, limit: maxLen },
    });
  }
  const policy = options.policy ?? 'strict';
  const recentKey = recentHash(chain, options, policy);
  const recent = trustStore.recentPaths.get(recentKey) as RecentPath | undefined;
  if (recent !== undefined && sameRecent(recent, chain, options, policy)) {
    return pathResult(recent.leaf, recent.entry, recent.subject, now, options.docType, true);
  }
  const parsed = chain.map((c) => parseCertificate(c));
  const leaf = parsed[0]!;
  const cacheKey = [
    options.profile,
    policy,
    ekuClass(options.docType),
    options.ruleset ?? 'iso',
    options.edition ?? '2021',
    options.maxIntermediates ?? 0,
    options.allowAnchorInChain === true,
    ekuIfPresentKey(options),
    ...parsed.map((p) => p.key),
  ].join('\u0000');
  let entry = trustStore.pathCache.get(cacheKey) as CachedPath | undefined;
  const cached = entry !== undefined;
  const generation = trustStore.generation;
  if (entry === undefined) {
    entry = await buildPath(parsed, options, policy);
    // Anchors changed while the path was being built: the result is still this call's answer, but
    // it must not be cached against the new anchors.
    if (trustStore.generation !== generation)
      return pathResult(leaf, entry, subjectOf(leaf), now, options.docType, false);
    if (trustStore.pathCache.size >= MAX_CACHE) trustStore.pathCache.clear();
    trustStore.pathCache.set(cacheKey, entry);
  }
  const subject = subjectOf(leaf);
  if (trustStore.recentPaths.size >= MAX_RECENT) trustStore.recentPaths.clear();
  trustStore.recentPaths.set(recentKey, {
    chain: parsed.map((p) => p.der),
    profile: options.profile,
    policy,
    ruleset: options.ruleset ?? 'iso',
    edition: options.edition ?? '2021',
    maxIntermediates: options.maxIntermediates ?? 0,
    allowAnchorInChain: options.allowAnchorInChain === true,
    ekuClass: ekuClass(options.docType),
    ekuIfPresent: ekuIfPresentKey(options),
    leaf,
    entry,
    subject,
  } satisfies RecentPath);
  return pathResult(leaf, entry, subject, now, options.docType, cached);
}

const MAX_RECENT = 256;
const NO_FINDINGS: readonly PathFinding[] = Object.freeze([]);

/** A validated chain remembered by {@link recentHash}: the DER (parsed copies) and the options. */
interface RecentPath {
  readonly chain: readonly Uint8Array[];
  readonly profile: CertificateProfileId;
  readonly policy: ValidationPolicy;
  readonly ruleset: LintRuleset;
  readonly edition: SpecEdition;
  readonly maxIntermediates: number;
  readonly allowAnchorInChain: boolean;
  /** Whether the EKU was judged for an mDL or another docType (the findings differ). */
  readonly ekuClass: 'mdl' | 'other';
  /** The `ekuIfPresent` option as {@link ekuIfPresentKey} spells it. */
  readonly ekuIfPresent: string;
  readonly leaf: ParsedCertificate;
  readonly entry: CachedPath;
  readonly subject: CertificatePathResult['subject'];
}

/**
 * A cheap 32-bit hash of the chain and the options that shape a path result: lengths, the last 64
 * bytes of each certificate (its signature value, which differs between any two certificates) and
 * the option values. Only picks a candidate; {@link sameRecent} confirms it byte by byte.
 */
function recentHash(
  chain: readonly Uint8Array[],
  options: ValidateCertificatePathOptions,
  policy: ValidationPolicy,
): number {
  let h = 0x811c9dc5 ^ chain.length;
  for (const der of chain) {
    h = Math.imul(h ^ der.length, 0x01000193);
    for (let i = Math.max(0, der.length - 64); i < der.length; i++) h = Math.imul(h ^ der[i]!, 0x01000193);
  }
  const text = `${options.profile}${policy}${options.ruleset ?? ''}${options.edition ?? ''}${ekuClass(options.docType)}${ekuIfPresentKey(options)}`;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (options.maxIntermediates ?? 0), 0x01000193);
  return (h ^ (options.allowAnchorInChain === true ? 1 : 0)) >>> 0;
}

function sameRecent(
  r: RecentPath,
  chain: readonly Uint8Array[],
  options: ValidateCertificatePathOptions,
  policy: ValidationPolicy,
): boolean {
  if (
    r.chain.length !== chain.length ||
    r.profile !== options.profile ||
    r.policy !== policy ||
    r.ruleset !== (options.ruleset ?? 'iso') ||
    r.edition !== (options.edition ?? '2021') ||
    r.maxIntermediates !== (options.maxIntermediates ?? 0) ||
    r.allowAnchorInChain !== (options.allowAnchorInChain === true) ||
    r.ekuClass !== ekuClass(options.docType) ||
    r.ekuIfPresent !== ekuIfPresentKey(options)
  ) {
    return false;
  }
  for (let i = 0; i < chain.length; i++) if (!bytesEqual(r.chain[i]!, chain[i]!)) return false;
  return true;
}

/** The `ekuIfPresent` option as a cache-key part (`-` when unset: the profile's own list applies). */
function ekuIfPresentKey(options: ValidateCertificatePathOptions): string {
  return options.ekuIfPresent === undefined ? '-' : `[${options.ekuIfPresent.join(',')}]`;
}

/** The EKU rules differ between an mDL (or no docType) and other docTypes. */
function ekuClass(docType: string | undefined): 'mdl' | 'other' {
  return docType === undefined || docType === MDL_DOC_TYPE ? 'mdl' : 'other';
}

function subjectOf(leaf: ParsedCertificate): CertificatePathResult['subject'] {
  return Object.freeze({
    ...(leaf.subject.country === undefined ? {} : { country: leaf.subject.country }),
    ...(leaf.subject.stateOrProvince === undefined ? {} : { stateOrProvince: leaf.subject.stateOrProvince }),
    ...(leaf.subject.commonName === undefined ? {} : { commonName: leaf.subject.commonName }),
  });
}

/** The result for a cached path entry at `now` (time and docType findings are never cached). */
function pathResult(
  leaf: ParsedCertificate,
  entry: CachedPath,
  subject: CertificatePathResult['subject'],
  now: Date,
  docType: string | undefined,
  cached: boolean,
): CertificatePathResult {
  const time = timeFindings(entry, now);
  const doc = docTypeFindings(entry.anchor, docType);
  const findings =
    entry.findings.length === 0 && time.length === 0 && doc.length === 0
      ? NO_FINDINGS
      : [...entry.findings, ...time, ...doc];
  return {
    valid: findings.every((f) => f.severity !== 'error'),
    anchor: entry.anchor,
    leaf,
    subject,
    publicKey: entry.publicKey,
    spki: leaf.publicKeyInfo.spki,
    docTypes: entry.anchor?.docTypes,
    findings,
    cached,
  };
}

/**
 * Throw the first error finding of a path result as an {@link MdlError}.
 *
 * @example
 * ```ts
 * assertCertificatePathValid(await validateCertificatePath(opts));
 * ```
 * @throws {@link MdlError} with the finding's code when `result.valid` is false.
 */
export function assertCertificatePathValid(result: CertificatePathResult): void {
  const first = result.findings.find((f) => f.severity === 'error');
  if (first !== undefined) {
    throw new MdlError(first.code, first.message, {
      details: {
        certificateIndex: first.certificateIndex,
        ...(first.rule === undefined ? {} : { rule: first.rule }),
      },
    });
  }
}

function timeFindings(entry: CachedPath, now: Date): PathFinding[] {
  const out: PathFinding[] = [];
  const t = now.getTime();
  for (let i = 0; i < entry.path.length; i++) {
    const cert = entry.path[i]!;
    if (t < cert.notBefore.getTime()) {
      out.push({
        code: i === 0 ? 'ERR_X509_NOT_YET_VALID' : 'ERR_X509_ISSUER_VALIDITY',
        severity: 'error',
        message: i === 0 ? 'certificate is not yet valid' : 'issuing CA certificate is not yet valid',
        certificateIndex: i,
      });
    } else if (t > cert.notAfter.getTime()) {
      out.push({
        code: i === 0 ? 'ERR_X509_EXPIRED' : 'ERR_X509_ISSUER_VALIDITY',
        severity: 'error',
        message: i === 0 ? 'certificate has expired' : 'issuing CA certificate has expired',
        certificateIndex: i,
      });
    }
  }
  const anchor = entry.anchor?.certificate;
  if (anchor !== undefined && entry.anchor?.kind === 'ca') {
    if (t < anchor.notBefore.getTime() || t > anchor.notAfter.getTime()) {
      out.push({
        code: 'ERR_X509_ISSUER_VALIDITY',
        severity: 'error',
        message: 'trust anchor is not valid at the validation time',
        certificateIndex: -1,
      });
    }
  }
  return out;
}

function docTypeFindings(anchor: TrustAnchor | undefined, docType: string | undefined): PathFinding[] {
  if (anchor?.docTypes === undefined || docType === undefined || anchor.docTypes.includes(docType)) return [];
  return [
    {
      code: 'ERR_X509_DOCTYPE_NOT_ALLOWED',
      severity: 'error',
      message: 'the trust anchor is not listed for this docType',
      certificateIndex: -1,
    },
  ];
}

/** Extensions this validator processes; any other critical extension fails the path (RFC 5280 6.1.4 (o)). */
const PROCESSED: ReadonlySet<string> = new Set<string>([
  ExtensionOid.keyUsage,
  ExtensionOid.extKeyUsage,
  ExtensionOid.basicConstraints,
  ExtensionOid.subjectKeyIdentifier,
  ExtensionOid.authorityKeyIdentifier,
  ExtensionOid.issuerAltName,
  ExtensionOid.subjectAltName,
  ExtensionOid.cRLDistributionPoints,
  ExtensionOid.authorityInfoAccess,
  ExtensionOid.ocspNoCheck,
]);

async function buildPath(
  parsed: readonly ParsedCertificate[],
  options: ValidateCertificatePathOptions,
  policy: ValidationPolicy,
): Promise<CachedPath> {
  const findings: PathFinding[] = [];
  const add = (
    code: ErrorCode,
    message: string,
    certificateIndex: number,
    severity: PathFinding['severity'] = 'error',
  ) => findings.push({ code, severity, message, certificateIndex });
  const store = options.trustStore;
  const leaf = parsed[0]!;
  const profile = certificateProfiles[options.profile];

  let publicKey: PublicKey | undefined;
  try {
    publicKey = publicKeyFromSpki(leaf.publicKeyInfo.spki, leaf.key);
  } catch (e) {
    add(isMdlError(e) ? e.code : 'ERR_CRYPTO_INVALID_KEY', 'the leaf public key cannot be imported', 0);
  }

  // Pinned end-entity certificate: trusted by exact bytes.
  const pinned = store.findPinned(leaf);
  let anchor: TrustAnchor | undefined = pinned;
  let path: ParsedCertificate[] = [leaf];
  if (pinned === undefined) {
    // Drop trust anchors sent inside x5chain (the IACA is never in x5chain, B.1.1).
    const rest = parsed.slice(1);
    while (rest.length > 0 && store.findAnchor(rest[rest.length - 1]!) !== undefined) {
      rest.pop();
      if (options.allowAnchorInChain === true) continue;
      add(
        'ERR_X509_CHAIN_UNTRUSTED',
        'x5chain contains the trust anchor itself (the IACA is never in x5chain); it was ignored',
        parsed.length - 1,
        policy === 'strict' ? 'error' : 'warning',
      );
    }
    path = [leaf, ...rest];
    const maxIntermediates = options.maxIntermediates ?? 0;
    if (rest.length > maxIntermediates) {
      add(
        'ERR_X509_CHAIN_UNTRUSTED',
        maxIntermediates === 0
          ? 'ISO/IEC 18013-5 has no intermediate CA between the IACA and the end-entity certificate'
          : 'too many intermediate CA certificates',
        1,
      );
    }
    // Each certificate signed by the next one up.
    for (let i = 0; i < path.length - 1; i++) {
      const child = path[i]!;
      const parent = path[i + 1]!;
      if (!bytesEqual(child.issuer.der, parent.subject.der)) {
        add('ERR_X509_CHAIN_UNTRUSTED', 'issuer name does not match the next certificate in x5chain', i);
        continue;
      }
      if (!(await signedBy(child, parent)))
        add('ERR_X509_SIGNATURE_INVALID', 'certificate signature does not verify', i);
      checkCa(parent, i + 1, path.length - 2 - i, add);
    }
    const top = path[path.length - 1]!;
    for (const candidate of store.findIssuers(top)) {
      if (candidate.kind === 'ca' && (await signedBy(top, candidate.certificate))) {
        anchor = candidate;
        break;
      }
    }
    if (anchor === undefined) {
      add('ERR_X509_CHAIN_UNTRUSTED', 'no trust anchor issued this certificate path', path.length - 1);
    } else {
      checkCa(anchor.certificate, -1, path.length - 1, add, true);
    }
  }

  // Unknown or malformed critical extensions anywhere on the path (RFC 5280 §4.2): an error under
  // every policy — a certificate whose critical constraint cannot be read cannot be relied on.
  path.forEach((cert, i) => {
    for (const e of cert.extensions) {
      if (e.critical && !PROCESSED.has(e.oid)) {
        add('ERR_X509_UNKNOWN_CRITICAL_EXTENSION', `unrecognised critical extension ${e.oid}`, i);
      } else if (e.critical && cert.malformedExtensions.includes(e.oid)) {
        add('ERR_X509_MALFORMED', `critical extension ${e.oid} is malformed or not DER`, i);
      }
    }
  });
  // A status-list signer is never a CA (ed2 B.1.7 Table B.9), under every policy: a CA key of the
  // IACA's hierarchy must not double as the list signer.
  if (options.profile === 'status-list-signer' && leaf.basicConstraints?.ca === true) {
    add(
      'ERR_X509_BASIC_CONSTRAINTS',
      'the certificate is a CA (basicConstraints cA); this profile needs an end entity',
      0,
    );
  }

  // Leaf EKU for the expected profile. An EKU that is present without the purpose restricts the key
  // to other uses: never tolerated. A missing EKU leaves the key unrestricted: for an mDL (18013-5
  // Table B.3 "shall") an error under `strict`, a warning otherwise; for other docTypes 18013-5 does
  // not apply, so it is a warning under every policy and the ISO/IEC 23220-4 generic DS OID is the
  // purpose too.
  const mdl = options.docType === undefined || options.docType === MDL_DOC_TYPE;
  const isDs = options.profile === 'ds';
  if (leaf.extKeyUsage === undefined && profile.eku.length > 0) {
    add(
      'ERR_X509_EKU_MISSING',
      `the ${profile.title} has no extendedKeyUsage (${profile.eku.join(', ')} expected)`,
      0,
      isDs && !mdl ? 'warning' : policy === 'strict' ? 'error' : 'warning',
    );
  } else {
    for (const oid of profile.eku) {
      const ekus = leaf.extKeyUsage ?? [];
      const generic = isDs && !mdl && ekus.includes(MdlEku.genericDocumentSigner);
      if (!ekus.includes(oid) && !generic) add('ERR_X509_EKU', `extendedKeyUsage lacks ${oid}`, 0);
    }
  }
  // An optional EKU, when present, must name the profile's purpose (a DS key's mdlDS-only EKU or an
  // OCSP signer never signs a status list).
  const purposes = options.ekuIfPresent ?? profile.ekuIfPresent;
  if (
    purposes !== undefined &&
    leaf.extKeyUsage !== undefined &&
    !purposes.some((p) => leaf.extKeyUsage!.includes(p))
  ) {
    add(
      'ERR_X509_EKU',
      purposes.length === 0
        ? `extendedKeyUsage is present, and no OID is configured as the ${profile.title}'s purpose`
        : `extendedKeyUsage is present without ${purposes.join(' or ')}`,
      0,
    );
  }
  if (profile.keyUsage.length > 0 && !profile.ca) {
    const ku = leaf.keyUsage;
    // A keyUsage without the usage restricts the key to other uses: never tolerated. A missing
    // keyUsage leaves it unrestricted: an Annex B "shall" (error under `strict`, warning otherwise).
    if (ku === undefined) {
      add(
        'ERR_X509_KEY_USAGE_MISSING',
        `the ${profile.title} has no keyUsage (${profile.keyUsage.join(', ')} expected)`,
        0,
        policy === 'strict' ? 'error' : 'warning',
      );
    } else if (!profile.keyUsage.every((u) => ku.includes(u))) {
      add('ERR_X509_KEY_USAGE', `keyUsage does not allow ${profile.keyUsage.join(', ')}`, 0);
    }
  }

  // IACA vs target subject: countryName equal; stateOrProvinceName equal if present in both.
  const issuerCert =
    path.length > 1 ? path[path.length - 1] : anchor?.kind === 'ca' ? anchor.certificate : undefined;
  if (profile.issuedByIaca && anchor?.kind === 'ca') {
    const iaca = anchor.certificate;
    if (iaca.subject.country !== leaf.subject.country) {
      add('ERR_X509_COUNTRY_MISMATCH', 'countryName of the target differs from the IACA countryName', 0);
    }
    const s = leaf.subject.stateOrProvince;
    const is = iaca.subject.stateOrProvince;
    if (s !== undefined && is !== undefined && s !== is) {
      add('ERR_X509_STATE_MISMATCH', 'stateOrProvinceName of the target differs from the IACA', 0);
    }
  }

  // Annex B profile checks, under the policy.
  const profileSeverity = policy === 'strict' ? 'error' : 'warning';
  const lintOpts = { ruleset: options.ruleset ?? 'iso', edition: options.edition ?? '2021' } as const;
  const leafLint = lintCertificate(leaf, {
    profile: options.profile,
    ...(issuerCert === undefined ? {} : { issuer: issuerCert }),
    ...lintOpts,
  });
  for (const f of leafLint.findings) {
    // The EKU rules were judged above (with the docType); the linter's Annex B view of them would
    // count a non-mDL signer's EKU as an 18013-5 profile deviation, which it is not.
    if (f.rule.startsWith('eku.') && isDs && (!mdl || leaf.extKeyUsage === undefined)) continue;
    findings.push({
      code: 'ERR_X509_PROFILE_VIOLATION',
      severity: f.severity === 'error' ? profileSeverity : f.severity,
      message: `${f.rule}: ${f.message}`,
      rule: f.rule,
      certificateIndex: 0,
    });
  }
  if (anchor?.kind === 'ca' && profile.issuedByIaca && path.length === 1) {
    for (const f of lintCertificate(anchor.certificate, { profile: 'iaca', ...lintOpts }).findings) {
      findings.push({
        code: 'ERR_X509_PROFILE_VIOLATION',
        severity: f.severity === 'error' ? profileSeverity : f.severity,
        message: `IACA ${f.rule}: ${f.message}`,
        rule: f.rule,
        certificateIndex: -1,
      });
    }
  }
  return { anchor, path, findings, publicKey };
}

/** RFC 5280 6.1.4: an issuing certificate must be a CA allowed to sign certificates, within its path length. */
function checkCa(
  ca: ParsedCertificate,
  index: number,
  certsBelow: number,
  add: (code: ErrorCode, message: string, index: number) => void,
  isAnchor = false,
): void {
  const bc = ca.basicConstraints;
  if (bc === undefined ? !(isAnchor && ca.version < 3) : !bc.ca) {
    add('ERR_X509_BASIC_CONSTRAINTS', 'issuing certificate is not a CA (basicConstraints)', index);
  } else if (bc?.pathLen !== undefined && certsBelow > bc.pathLen) {
    add('ERR_X509_BASIC_CONSTRAINTS', 'pathLenConstraint exceeded', index);
  }
  if (ca.keyUsage !== undefined && !ca.keyUsage.includes('keyCertSign')) {
    add('ERR_X509_KEY_USAGE', 'issuing certificate keyUsage lacks keyCertSign', index);
  }
}

/** True when `parent`'s key verifies `child`'s signature (memoised per pair). */
async function signedBy(child: ParsedCertificate, parent: ParsedCertificate): Promise<boolean> {
  const key = `${parent.key}\u0000${child.key}`;
  const hit = certificateSignatures.get(key);
  if (hit !== undefined) return hit;
  let ok = false;
  try {
    const pub = publicKeyFromSpki(parent.publicKeyInfo.spki, parent.key);
    ok = await verifyDerSignature(pub, child.signatureAlgorithm.oid, child.tbs, child.signatureValue);
  } catch {
    ok = false;
  }
  certificateSignatures.set(key, ok);
  return ok;
}

/** Exposed for CRL checking: does `issuer` verify a signature over `tbs`? @internal */
export async function verifiedBy(
  issuer: ParsedCertificate,
  signatureAlgorithmOid: string,
  tbs: Uint8Array,
  signature: Uint8Array,
): Promise<boolean> {
  try {
    const pub = publicKeyFromSpki(issuer.publicKeyInfo.spki, issuer.key);
    return await verifyDerSignature(pub, signatureAlgorithmOid, tbs, signature);
  } catch {
    return false;
  }
}

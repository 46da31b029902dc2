import { bytesEqual } from '@mdlkit/core/cbor';
import { exportPublicKey, type PublicKey } from '@mdlkit/core/crypto';
import { ErrorCode, isMdlError, MdlError, type MdlErrorDetails } from '@mdlkit/core/errors';
import type { MobileSecurityObject, MsoStatus } from '@mdlkit/core/mdoc';
import {
  type ParsedStatusTokenBase,
  parseIdentifierListToken,
  parseStatusListToken,
  verifyStatusToken,
} from '@mdlkit/core/status';
import {
  type CertificatePathResult,
  checkCrl,
  type ParsedCertificate,
  TrustStore,
  validateCertificatePath,
} from '@mdlkit/pki';
import type { CheckRecorder } from '../internal/check-recorder.js';
import { CheckId } from '../report/check-ids.js';
import type { RevocationOptions } from './revocation-options.js';

/** The three outcomes of a revocation lookup. */
export type RevocationStatus = 'good' | 'revoked' | 'undetermined';

export interface RevocationContext {
  readonly revocation: RevocationOptions | undefined;
  /** The caller's certificate policy: the status-list signer is validated under it, never a fixed one. */
  readonly policy: 'strict' | 'lenient';
  readonly path: CertificatePathResult | undefined;
  readonly mso: MobileSecurityObject;
  readonly trust: TrustStore;
  readonly now: Date;
  readonly decode: (bytes: Uint8Array) => unknown;
}

/**
 * Why the MSO status cannot be established: a core {@link MdlError} like any other failure on the
 * way (a malformed token, an untrusted signer), so one `catch` records them all as undetermined.
 */
function undeterminedBecause(
  message: string,
  code: ErrorCode = ErrorCode.ERR_REVOCATION_UNDETERMINED,
): MdlError {
  return new MdlError(code, message);
}

function undetermined(
  r: CheckRecorder,
  id: CheckId,
  policy: RevocationOptions['undeterminedPolicy'],
  message: string,
  cause?: { code: ErrorCode; details: MdlErrorDetails },
): void {
  const details = cause ? { ...cause.details, cause: cause.code } : undefined;
  if (policy === 'reject') r.fail(id, ErrorCode.ERR_REVOCATION_UNDETERMINED, message, details);
  else r.undetermined(id, ErrorCode.ERR_REVOCATION_UNDETERMINED, message, details);
}

/** @internal Records `ds-revocation`: the DS certificate against the IACA CRLs. */
export async function checkDsRevocation(r: CheckRecorder, ctx: RevocationContext): Promise<void> {
  const rev = ctx.revocation;
  const policy = rev?.undeterminedPolicy ?? 'accept';

  // DS certificate against the IACA CRL (Annex B.3.2).
  if (rev?.crls === undefined) {
    r.skip(CheckId.DS_REVOCATION, 'no CRL was given');
  } else if (ctx.path === undefined || ctx.path.anchor === undefined) {
    undetermined(
      r,
      CheckId.DS_REVOCATION,
      policy,
      'the DS certificate has no trusted issuer to check a CRL of',
    );
  } else {
    const outcome = await checkAgainstCrls(ctx.path.leaf, caOf(ctx.path), rev.crls, ctx.now);
    if (outcome.status === 'good') r.pass(CheckId.DS_REVOCATION, 'the DS certificate is not on the IACA CRL');
    else if (outcome.status === 'revoked') {
      r.fail(
        CheckId.DS_REVOCATION,
        ErrorCode.ERR_DS_REVOKED,
        'the DS certificate is revoked by the IACA CRL',
      );
    } else undetermined(r, CheckId.DS_REVOCATION, policy, outcome.message, outcome.cause);
  }
}

/** @internal Records `mso-revocation`: the MSO against its status list / identifier list. */
export async function checkMsoRevocation(r: CheckRecorder, ctx: RevocationContext): Promise<void> {
  const rev = ctx.revocation;
  const policy = rev?.undeterminedPolicy ?? 'accept';
  // MSO status (ed2 §12.3.6).
  const status = ctx.mso.status;
  const wanted =
    rev !== undefined && (rev.checkMsoStatus ?? (rev.statusLists !== undefined || rev.fetch !== undefined));
  if (!wanted) {
    r.skip(CheckId.MSO_REVOCATION, 'MSO revocation was not requested');
    return;
  }
  if (status === undefined) {
    r.skip(CheckId.MSO_REVOCATION, 'the MSO has no status entry');
    return;
  }
  try {
    const result = await checkMsoStatus(status, rev, ctx);
    if (result === 'revoked') {
      r.fail(CheckId.MSO_REVOCATION, ErrorCode.ERR_MSO_REVOKED, 'the MSO is revoked by its status list');
    } else {
      r.pass(CheckId.MSO_REVOCATION, 'the MSO is not revoked');
    }
  } catch (error) {
    if (isMdlError(error)) {
      undetermined(
        r,
        CheckId.MSO_REVOCATION,
        policy,
        `the MSO status could not be checked: ${error.message}`,
        {
          code: error.code,
          details: error.details,
        },
      );
    } else {
      undetermined(r, CheckId.MSO_REVOCATION, policy, 'the status list could not be used');
    }
  }
}

interface CrlOutcome {
  readonly status: RevocationStatus;
  readonly message: string;
  readonly cause?: { code: ErrorCode; details: MdlErrorDetails };
}

/** The same public key, whatever SubjectPublicKeyInfo encoding (compressed point …) carried it. */
function sameKey(a: PublicKey, b: PublicKey): boolean {
  return a.curve === b.curve && bytesEqual(exportPublicKey(a, 'raw'), exportPublicKey(b, 'raw'));
}

/** The CA certificate that terminated a path (undefined for a pinned end entity or no anchor). */
function caOf(path: CertificatePathResult | undefined): ParsedCertificate | undefined {
  return path?.anchor?.kind === 'ca' ? path.anchor.certificate : undefined;
}

/** `certificate` against every CRL `issuer` may have issued (Annex B.3.2); the first decisive answer wins. */
async function checkAgainstCrls(
  certificate: ParsedCertificate,
  issuer: ParsedCertificate | undefined,
  crls: readonly Uint8Array[],
  now: Date,
): Promise<CrlOutcome> {
  if (issuer === undefined) {
    return { status: 'undetermined', message: 'a pinned certificate has no CRL issuer' };
  }
  let last: CrlOutcome = { status: 'undetermined', message: 'no CRL from the issuing CA was given' };
  for (const crl of crls) {
    try {
      const result = await checkCrl({ crl, certificate, issuer, now });
      if (result.status !== 'undetermined') return { status: result.status, message: result.status };
      // Keep looking: another CRL may be the one this IACA issued.
      last = {
        status: 'undetermined',
        message: `the CRL could not establish the certificate status: ${result.reason}`,
        cause: { code: result.code, details: {} },
      };
    } catch (error) {
      if (isMdlError(error)) {
        last = {
          status: 'undetermined',
          message: `a CRL could not be used: ${error.message}`,
          cause: { code: error.code, details: error.details },
        };
      }
    }
  }
  return last;
}

function entryOf(status: MsoStatus): {
  kind: 'status_list' | 'identifier_list';
  entry: ReadonlyMap<unknown, unknown>;
} {
  // core/mdoc (verifier rules) keeps an entry that is not a map as an empty one: it names no uri.
  const sl = status.statusList;
  const il = status.identifierList;
  if ((sl === undefined) === (il === undefined)) {
    throw undeterminedBecause('the MSO status must name exactly one mechanism', ErrorCode.ERR_MSO_INVALID);
  }
  return sl !== undefined
    ? { kind: 'status_list', entry: sl }
    : { kind: 'identifier_list', entry: il as ReadonlyMap<unknown, unknown> };
}

async function fetchToken(uri: string, rev: RevocationOptions): Promise<Uint8Array> {
  const lists = rev.statusLists;
  const stored =
    lists instanceof Map ? lists.get(uri) : (lists as Record<string, Uint8Array> | undefined)?.[uri];
  if (stored instanceof Uint8Array) return stored;
  if (rev.fetch === undefined) throw undeterminedBecause('no status list was given for this uri');
  try {
    const fetched = await rev.fetch(uri);
    if (!(fetched instanceof Uint8Array)) throw new Error('not bytes');
    return fetched;
  } catch {
    throw undeterminedBecause('the status list could not be fetched');
  }
}

async function checkMsoStatus(
  status: MsoStatus,
  rev: RevocationOptions,
  ctx: RevocationContext,
): Promise<'good' | 'revoked'> {
  const { kind, entry } = entryOf(status);
  const uri = entry.get('uri');
  if (typeof uri !== 'string' || uri.length === 0) {
    throw undeterminedBecause('the MSO status entry has no uri', ErrorCode.ERR_MSO_INVALID);
  }
  const bytes = await fetchToken(uri, rev);
  const token: ParsedStatusTokenBase & { check: () => boolean } =
    kind === 'status_list'
      ? await (async () => {
          const idx = entry.get('idx');
          if (typeof idx !== 'number' || !Number.isSafeInteger(idx) || idx < 0) {
            throw undeterminedBecause(
              'the MSO status_list entry has no valid idx',
              ErrorCode.ERR_MSO_INVALID,
            );
          }
          const t = await parseStatusListToken(bytes);
          return { ...t, check: () => t.getStatus(idx) !== 0 };
        })()
      : (() => {
          const id = entry.get('id');
          if (!(id instanceof Uint8Array)) {
            throw undeterminedBecause('the MSO identifier_list entry has no id', ErrorCode.ERR_MSO_INVALID);
          }
          const t = parseIdentifierListToken(bytes);
          return { ...t, check: () => t.has(id) };
        })();

  // Trust for the list signer (ed2 §12.3.6.3, B.1.7 Table B.9): the certificate named in the MSO
  // entry, otherwise the IACA that issued the DS. Validated to the status-list-signer profile under
  // the caller's policy: never a CA, keyUsage digitalSignature, and a present EKU must name the
  // status-signing purpose — so a DS (mdlDS-only EKU) or an OCSP signer never qualifies.
  const certificate = entry.get('certificate');
  const profileOptions = {
    now: ctx.now,
    profile: 'status-list-signer',
    policy: ctx.policy,
    ...(rev.statusSignerEkus === undefined ? {} : { ekuIfPresent: rev.statusSignerEkus }),
  } as const;
  const dsIaca = caOf(ctx.path);
  let signerPath: CertificatePathResult;
  if (certificate instanceof Uint8Array) {
    const store = new TrustStore();
    const chain = token.certificateChain;
    const leaf = chain[0];
    if (leaf !== undefined && bytesEqual(leaf, certificate)) {
      store.addPinned(certificate);
    } else {
      store.add(certificate);
    }
    signerPath = await validateCertificatePath({ ...profileOptions, chain, trustStore: store });
  } else {
    signerPath = await validateCertificatePath({
      ...profileOptions,
      chain: token.certificateChain,
      trustStore: ctx.trust,
    });
    // Only an IACA-issued signer: a certificate the caller pinned (a pinned DS, say) is trusted
    // for its own purpose, not as a status-list signer of anyone's MSOs.
    const signerCa = caOf(signerPath);
    if (dsIaca === undefined || signerCa === undefined || signerCa.key !== dsIaca.key) {
      throw undeterminedBecause(
        'the status list signer is not issued by the IACA that issued the DS certificate',
        ErrorCode.ERR_X509_CHAIN_UNTRUSTED,
      );
    }
  }
  if (!signerPath.valid || signerPath.publicKey === undefined) {
    const first = signerPath.findings.find((f) => f.severity === 'error');
    throw undeterminedBecause(
      'the status list signer certificate is not trusted',
      first?.code ?? ErrorCode.ERR_X509_CHAIN_UNTRUSTED,
    );
  }
  // The DS key never doubles as the list signer (a DS without an EKU would otherwise pass the
  // profile): whoever holds one DS key could un-revoke every MSO of that IACA.
  const dsKey = ctx.path?.publicKey;
  if (dsKey !== undefined && sameKey(signerPath.publicKey, dsKey)) {
    throw undeterminedBecause('the status list is signed with the DS key', ErrorCode.ERR_X509_EKU);
  }
  // The signer itself against the IACA CRL when CRLs are given: a revoked signer is not trusted.
  // Its CRL issuer is the CA its path ended at, or for a pinned signer the DS's IACA when it
  // issued the signer.
  if (rev.crls !== undefined) {
    const signerLeaf = signerPath.leaf;
    const crlIssuer =
      caOf(signerPath) ??
      (dsIaca !== undefined && bytesEqual(signerLeaf.issuer.der, dsIaca.subject.der) ? dsIaca : undefined);
    const outcome = await checkAgainstCrls(signerLeaf, crlIssuer, rev.crls, ctx.now);
    if (outcome.status === 'revoked') {
      throw undeterminedBecause('the status list signer certificate is revoked', ErrorCode.ERR_CERT_REVOKED);
    }
    if (outcome.status === 'undetermined') {
      throw undeterminedBecause(
        `the status list signer revocation is undetermined: ${outcome.message}`,
        outcome.cause?.code ?? ErrorCode.ERR_REVOCATION_UNDETERMINED,
      );
    }
  }
  await verifyStatusToken({ token, key: signerPath.publicKey, now: ctx.now, expectedUri: uri });
  return token.check() ? 'revoked' : 'good';
}

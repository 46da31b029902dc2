/**
 * Verification inside the page: the reader bundled with its WebCrypto provider. Nothing the
 * person gives the inspector leaves the browser.
 */
import { decodeCbor, EncodedCbor } from '@mdlkit/core/cbor';
import { coseKeyToPublicKey, getX5Chain, parseCoseSign1 } from '@mdlkit/core/cose';
import { type Curve, importPrivateKey, type Jwk, type PrivateKey } from '@mdlkit/core/crypto';
import { decodeDeviceResponse } from '@mdlkit/core/mdoc';
import { parseSessionTranscript } from '@mdlkit/core/session';
import {
  type LintFinding,
  lintCertificate,
  type ParsedCertificate,
  parseCertificate,
  TrustStore,
} from '@mdlkit/pki';
import { verifyDeviceResponse } from '@mdlkit/reader';
import { detectInputFormat } from '@mdlkit/reader/inspect';
import { toViewReport, type ViewReport } from '../shared/view-model.js';
import { fromHex, InputError, pemBlocks } from './input.js';

/** What the inspector verifies with. */
export interface LocalVerifyInputs {
  readonly response: Uint8Array;
  /** PEM text with any number of certificates: CAs are anchors, others are pinned. */
  readonly trustPem: string;
  /** SessionTranscript (tag 24 or bare array), or `null` to skip device authentication. */
  readonly transcript: Uint8Array | null;
  /** EReaderKey private key: hex scalar or JWK (for DeviceMac). */
  readonly eReaderKeyText: string;
  readonly now: Date;
  readonly policy: 'strict' | 'lenient';
  readonly ruleset: 'iso' | 'aamva';
  /** Accept non-preferred and indefinite-length CBOR (off by default, as in `mdlkit verify`). */
  readonly lenientCbor: boolean;
}

/** A trust store from PEM text, the way `mdlkit verify --trust` reads files. */
export function trustFromPem(pem: string): TrustStore {
  const trust = new TrustStore();
  for (const { label, der } of pemBlocks(pem)) {
    if (label !== 'CERTIFICATE') continue;
    if (parseCertificate(der).basicConstraints?.ca === true) trust.add(der);
    else trust.addPinned(der);
  }
  return trust;
}

const SCALAR_CURVES: Readonly<Record<number, Curve>> = { 32: 'P-256', 48: 'P-384', 66: 'P-521' };

/** The curve of the EReaderKey in a transcript, so a hex scalar is imported on the right curve. */
function transcriptCurve(transcript: Uint8Array | null): Curve | undefined {
  if (transcript === null) return undefined;
  try {
    const decoded = decodeCbor(transcript);
    const st = parseSessionTranscript(decoded instanceof EncodedCbor ? decoded : transcript);
    return st.eReaderKeyBytes === null ? undefined : coseKeyToPublicKey(st.eReaderKeyBytes.bytes).curve;
  } catch {
    return undefined;
  }
}

/** Reads the EReaderKey private key the inspector was given (hex scalar or JWK). */
export function readEReaderKey(text: string, transcript: Uint8Array | null): PrivateKey | undefined {
  const t = text.trim();
  if (t.length === 0) return undefined;
  if (t.startsWith('{')) return importPrivateKey({ format: 'jwk', jwk: JSON.parse(t) as Jwk });
  const d = fromHex(t);
  const curve = transcriptCurve(transcript) ?? SCALAR_CURVES[d.length];
  if (curve === undefined) throw new InputError(`a ${d.length}-byte scalar matches no supported curve`);
  return importPrivateKey({ format: 'raw', curve, d });
}

/** Reads an optional text field holding CBOR (hex / base64 / base64url), or `null` when empty. */
export function optionalBytes(text: string, name: string): Uint8Array | null {
  return text.trim().length === 0 ? null : detectInputFormat(text.trim(), { name }).bytes;
}

/** Verifies a DeviceResponse in the page, with the same defaults as `mdlkit verify`. */
export async function verifyLocally(inputs: LocalVerifyInputs): Promise<ViewReport> {
  const trust = trustFromPem(inputs.trustPem);
  const eReaderKey = readEReaderKey(inputs.eReaderKeyText, inputs.transcript);
  const report = await verifyDeviceResponse(inputs.response, {
    trust,
    sessionTranscript: inputs.transcript,
    now: inputs.now,
    policy: inputs.policy,
    ruleset: inputs.ruleset,
    ...(inputs.lenientCbor ? { decoding: { allowNonPreferred: true, allowIndefinite: true } } : {}),
    ...(eReaderKey === undefined ? {} : { eReaderKey }),
  });
  return toViewReport(report);
}

/** The DeviceResponse read with every decoding leniency, for showing what it holds (never for a verdict). */
export function readLeniently(response: Uint8Array): ReturnType<typeof decodeDeviceResponse> {
  return decodeDeviceResponse(response, {
    allowNonPreferred: true,
    allowIndefinite: true,
    lenientDates: true,
  });
}

/** One certificate of a document's chain, with the Annex B linter's findings. */
export interface ChainEntry {
  readonly certificate: ParsedCertificate;
  /** Where it came from: the document's x5chain, or the trust anchor that issued the last one. */
  readonly from: 'x5chain' | 'trust anchor';
  readonly profile: string | undefined;
  readonly findings: readonly LintFinding[];
}

/**
 * The chain of each document: the x5chain certificates of its IssuerAuth, then the trust anchor
 * that issued the last one (when one does), each linted against its Annex B profile (relative to
 * its issuer where known). Documents whose IssuerAuth cannot be read get an empty chain.
 */
export function documentChains(
  response: Uint8Array,
  trustPem: string,
  ruleset: 'iso' | 'aamva',
): ChainEntry[][] {
  const trust = trustFromPem(trustPem);
  return (readLeniently(response).documents ?? []).map((doc) => {
    let certs: ParsedCertificate[];
    try {
      const x5 = getX5Chain(parseCoseSign1(doc.issuerSigned.issuerAuth));
      certs = (x5?.certificates ?? []).map((der) => parseCertificate(der));
    } catch {
      return [];
    }
    const last = certs[certs.length - 1];
    const anchor = last === undefined ? undefined : trust.findIssuers(last)[0]?.certificate;
    const all: { cert: ParsedCertificate; from: ChainEntry['from'] }[] = certs.map((cert) => ({
      cert,
      from: 'x5chain',
    }));
    if (anchor !== undefined && !certs.some((c) => c.key === anchor.key))
      all.push({ cert: anchor, from: 'trust anchor' });
    return all.map(({ cert, from }, i) => {
      const issuer = all[i + 1]?.cert;
      const lint = lintCertificate(cert, { ruleset, ...(issuer === undefined ? {} : { issuer }) });
      return { certificate: cert, from, profile: lint.profile, findings: lint.findings };
    });
  });
}

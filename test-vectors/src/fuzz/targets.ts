/**
 * Feeding one input to its target and judging the result.
 *
 * Properties checked for every input:
 * 1. **Typed failure only.** Anything thrown must be an `MdlError`; `ERR_INTERNAL` (the reader's
 *    wrapper around an unexpected exception) counts as an untyped throw too.
 * 2. **No false accept.** "Signed bytes" of a document are: the IssuerAuth protected header,
 *    payload and signature; each IssuerSignedItemBytes (with its namespace); the docType,
 *    DeviceNameSpacesBytes and the DeviceAuth protected header and signature / tag. A document the
 *    reader reports `verified` must have all of them identical to one document of the seed; an
 *    element reported `verified` must come from an IssuerSignedItemBytes (or DeviceSigned data)
 *    of the seed under the seed's IssuerAuth. For a DeviceRequest, a DocRequest whose reader
 *    authentication is reported `verified` must carry the seed's ItemsRequestBytes and ReaderAuth
 *    protected header and signature. Everything else (map order, unprotected headers, `status`,
 *    `version`, dropped items or documents) may change and still verify.
 */
import { CborTagged, decodeCbor, EncodedCbor, fromHex, toHex } from '@mdlkit/core/cbor';
import { importPrivateKey, type PrivateKey } from '@mdlkit/core/crypto';
import { isMdlError } from '@mdlkit/core/errors';
import { decodeDeviceEngagement } from '@mdlkit/core/mdoc';
import { parseSessionData, parseSessionEstablishment } from '@mdlkit/core/session';
import { parseDeviceRequest } from '@mdlkit/holder';
import { TrustStore } from '@mdlkit/pki';
import { type VerificationReport, verifyDeviceResponse } from '@mdlkit/reader';
import type { FuzzContext, FuzzSeed, FuzzTarget } from './seeds.js';

/** How one input ended. */
export type FuzzOutcome =
  /** A typed `MdlError` (the code is counted). */
  | { readonly kind: 'rejected'; readonly code: string }
  /** Parsed; the report / result says not verified (or the target has no verification). */
  | { readonly kind: 'parsed' }
  /** Parsed and reported verified. */
  | { readonly kind: 'verified' };

/** A broken property: what the fuzzer exists to find. */
export interface FuzzViolation {
  readonly kind: 'untyped-throw' | 'internal-error' | 'false-accept' | 'oracle-mismatch';
  readonly detail: string;
}

/** The result of running one input. */
export interface FuzzResult {
  readonly outcome: FuzzOutcome;
  readonly violation?: FuzzViolation;
}

interface ResponseDoc {
  readonly docType: unknown;
  readonly issuerAuth: string;
  readonly items: readonly string[];
  readonly device: string;
}

/** A seed made ready to run: parsed context and the signed components of the seed itself. */
export interface PreparedSeed {
  readonly seed: {
    readonly name: string;
    readonly target: FuzzTarget;
    readonly bytes: Uint8Array;
    readonly context: FuzzContext;
  };
  readonly run: (bytes: Uint8Array) => Promise<FuzzResult>;
}

const bytesKey = (value: unknown): string =>
  value instanceof Uint8Array ? toHex(value) : `?${typeof value}`;

function untag(value: unknown, tag: number): unknown {
  return value instanceof CborTagged && value.tag === tag ? value.value : value;
}

/** `protected|payload|signature` of a COSE_Sign1 / COSE_Mac0 value, or undefined when not one. */
function coseKey(value: unknown, tag: number): string | undefined {
  const array = untag(value, tag);
  if (!Array.isArray(array) || array.length !== 4) return undefined;
  return `${bytesKey(array[0])}|${array[2] === null ? 'nil' : bytesKey(array[2])}|${bytesKey(array[3])}`;
}

/** The signed components of every document of a DeviceResponse (undefined when it cannot be read). */
function responseDocs(bytes: Uint8Array): ResponseDoc[] | undefined {
  let response: unknown;
  try {
    // As lenient as the reader's default (`interop`) policy: a mutation that only makes an encoding
    // non-preferred / indefinite outside the signed bytes may verify; what is signed is compared below.
    response = decodeCbor(bytes, { allowNonPreferred: true, allowIndefinite: true, lenientDates: true });
  } catch {
    return undefined;
  }
  if (!(response instanceof Map)) return undefined;
  const documents = response.get('documents');
  if (!Array.isArray(documents)) return [];
  return documents.map((doc): ResponseDoc => {
    const m = doc instanceof Map ? doc : new Map();
    const issuerSigned =
      m.get('issuerSigned') instanceof Map ? (m.get('issuerSigned') as Map<unknown, unknown>) : new Map();
    const deviceSigned =
      m.get('deviceSigned') instanceof Map ? (m.get('deviceSigned') as Map<unknown, unknown>) : new Map();
    const items: string[] = [];
    const nameSpaces = issuerSigned.get('nameSpaces');
    if (nameSpaces instanceof Map) {
      for (const [ns, list] of nameSpaces) {
        if (!Array.isArray(list)) continue;
        for (const item of list)
          items.push(`${String(ns)}|${item instanceof EncodedCbor ? toHex(item.bytes) : '?'}`);
      }
    }
    const deviceNameSpaces = deviceSigned.get('nameSpaces');
    const deviceAuth =
      deviceSigned.get('deviceAuth') instanceof Map
        ? (deviceSigned.get('deviceAuth') as Map<unknown, unknown>)
        : new Map();
    const signature = coseKey(deviceAuth.get('deviceSignature'), 18);
    const mac = coseKey(deviceAuth.get('deviceMac'), 17);
    return {
      docType: m.get('docType'),
      issuerAuth: coseKey(issuerSigned.get('issuerAuth'), 18) ?? '?',
      items,
      device: `${deviceNameSpaces instanceof EncodedCbor ? toHex(deviceNameSpaces.bytes) : '?'}|sig:${signature ?? '-'}|mac:${mac ?? '-'}`,
    };
  });
}

/**
 * Classifies a thrown value: an `MdlError` is a typed rejection; anything else, or `ERR_INTERNAL`
 * (a wrapped unexpected exception), is a violation.
 *
 * @example
 * ```ts
 * classifyThrow(new TypeError('x')).violation?.kind; // 'untyped-throw'
 * ```
 */
export function classifyThrow(error: unknown): FuzzResult {
  if (!isMdlError(error)) {
    const name = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return {
      outcome: { kind: 'rejected', code: 'UNTYPED' },
      violation: { kind: 'untyped-throw', detail: name },
    };
  }
  if (error.code === 'ERR_INTERNAL') {
    const cause =
      error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : String(error.cause);
    return {
      outcome: { kind: 'rejected', code: error.code },
      violation: { kind: 'internal-error', detail: cause },
    };
  }
  return { outcome: { kind: 'rejected', code: error.code } };
}

function checkResponse(
  report: VerificationReport,
  bytes: Uint8Array,
  reference: readonly ResponseDoc[],
): FuzzViolation | undefined {
  const anyVerified = report.documents.some((d) => d.verified || d.elements.some((e) => e.verified));
  if (!anyVerified) return undefined;
  const docs = responseDocs(bytes);
  if (docs === undefined || docs.length !== report.documents.length) {
    return { kind: 'oracle-mismatch', detail: 'a verified report for a response the oracle cannot read' };
  }
  const issuerAuths = new Set(reference.map((d) => d.issuerAuth));
  const items = new Set(reference.flatMap((d) => d.items.map((i) => `${d.issuerAuth}#${i}`)));
  const devices = new Set(reference.map((d) => `${String(d.docType)}#${d.issuerAuth}#${d.device}`));
  for (const [i, docReport] of report.documents.entries()) {
    const doc = docs[i]!;
    const issuerElements = docReport.elements.filter((e) => e.source === 'issuer');
    const deviceElements = docReport.elements.filter((e) => e.source === 'device');
    if (!docReport.verified && !docReport.elements.some((e) => e.verified)) continue;
    if (!issuerAuths.has(doc.issuerAuth)) {
      return {
        kind: 'false-accept',
        detail: `document ${i}: verified with an IssuerAuth that is not the seed's`,
      };
    }
    if (issuerElements.length !== doc.items.length) {
      return {
        kind: 'oracle-mismatch',
        detail: `document ${i}: ${issuerElements.length} elements, ${doc.items.length} items`,
      };
    }
    for (const [k, element] of issuerElements.entries()) {
      if ((element.verified || docReport.verified) && !items.has(`${doc.issuerAuth}#${doc.items[k]}`)) {
        return {
          kind: 'false-accept',
          detail: `document ${i}: element ${k} verified but its IssuerSignedItemBytes changed`,
        };
      }
    }
    const deviceSame = devices.has(`${String(doc.docType)}#${doc.issuerAuth}#${doc.device}`);
    if (docReport.verified && !deviceSame) {
      return {
        kind: 'false-accept',
        detail: `document ${i}: verified but docType / DeviceSigned / DeviceAuth changed`,
      };
    }
    if (deviceElements.some((e) => e.verified) && !deviceSame) {
      return {
        kind: 'false-accept',
        detail: `document ${i}: a device-signed element verified but DeviceSigned changed`,
      };
    }
  }
  return undefined;
}

/** `itemsRequest|readerAuth` of every DocRequest of a DeviceRequest. */
function requestDocs(bytes: Uint8Array): string[] | undefined {
  let request: unknown;
  try {
    request = decodeCbor(bytes);
  } catch {
    return undefined;
  }
  if (!(request instanceof Map) || !Array.isArray(request.get('docRequests'))) return undefined;
  return (request.get('docRequests') as unknown[]).map((doc) => {
    const m = doc instanceof Map ? doc : new Map();
    const items = m.get('itemsRequest');
    return `${items instanceof EncodedCbor ? toHex(items.bytes) : '?'}#${coseKey(m.get('readerAuth'), 18) ?? '-'}`;
  });
}

/**
 * Prepares a seed: decodes its context once (trust store, transcript, keys) and extracts the
 * seed's own signed components for the false-accept oracle.
 *
 * @example
 * ```ts
 * const prepared = prepareSeed(seed);
 * const { outcome, violation } = await prepared.run(mutatedBytes);
 * ```
 */
export function prepareSeed(seed: FuzzSeed): PreparedSeed {
  const { context } = seed;
  const now = new Date(context.now);
  const transcript = context.sessionTranscript === undefined ? undefined : fromHex(context.sessionTranscript);
  switch (seed.target) {
    case 'device-response': {
      const trust = new TrustStore(context.trustAnchors.map((h) => fromHex(h)));
      const eReaderKey: PrivateKey | undefined =
        context.eReaderKeyD === undefined
          ? undefined
          : importPrivateKey({ format: 'raw', curve: 'P-256', d: fromHex(context.eReaderKeyD) });
      const reference = responseDocs(seed.bytes) ?? [];
      const options = {
        trust,
        sessionTranscript: transcript ?? null,
        now,
        policy: context.policy,
        ...(eReaderKey === undefined ? {} : { eReaderKey }),
      };
      return {
        seed,
        run: async (bytes) => {
          let report: VerificationReport;
          try {
            report = await verifyDeviceResponse(bytes, options);
          } catch (error) {
            return classifyThrow(error);
          }
          const violation = checkResponse(report, bytes, reference);
          const outcome: FuzzOutcome = report.verified ? { kind: 'verified' } : { kind: 'parsed' };
          return violation === undefined ? { outcome } : { outcome, violation };
        },
      };
    }
    case 'device-request': {
      const trustStore = new TrustStore(context.trustAnchors.map((h) => fromHex(h)));
      const reference = new Set(requestDocs(seed.bytes) ?? []);
      return {
        seed,
        run: async (bytes) => {
          let parsed: Awaited<ReturnType<typeof parseDeviceRequest>>;
          try {
            parsed = await parseDeviceRequest(bytes, {
              trustStore,
              now,
              policy: context.policy,
              ...(transcript === undefined ? {} : { sessionTranscript: transcript }),
            });
          } catch (error) {
            return classifyThrow(error);
          }
          const verified = parsed.docRequests.filter((d) => d.readerAuth.status === 'verified');
          if (verified.length === 0) return { outcome: { kind: 'parsed' } };
          const docs = requestDocs(bytes);
          for (const d of verified) {
            const key = docs?.[d.index];
            if (key === undefined) {
              return {
                outcome: { kind: 'verified' },
                violation: { kind: 'oracle-mismatch', detail: 'unreadable verified request' },
              };
            }
            if (!reference.has(key)) {
              return {
                outcome: { kind: 'verified' },
                violation: {
                  kind: 'false-accept',
                  detail: `docRequest ${d.index}: reader auth verified over changed bytes`,
                },
              };
            }
          }
          return { outcome: { kind: 'verified' } };
        },
      };
    }
    case 'device-engagement':
      return { seed, run: async (bytes) => typedOnly(() => decodeDeviceEngagement(bytes)) };
    case 'session-establishment':
      return { seed, run: async (bytes) => typedOnly(() => parseSessionEstablishment(bytes)) };
    case 'session-data':
      return { seed, run: async (bytes) => typedOnly(() => parseSessionData(bytes)) };
  }
}

function typedOnly(parse: () => unknown): FuzzResult {
  try {
    parse();
    return { outcome: { kind: 'parsed' } };
  } catch (error) {
    return classifyThrow(error);
  }
}

import { type CborDecodeOptions, CborTagged, decodeCbor, EncodedCbor } from '@mdlkit/core/cbor';
import { parseCoseSign1 } from '@mdlkit/core/cose';
import { isMdlError, MdlError } from '@mdlkit/core/errors';
import {
  parseDeviceAuth,
  parseDeviceEngagement,
  parseDeviceRequest,
  parseDeviceResponse,
  parseIssuerSigned,
  parseIssuerSignedItem,
  parseMobileSecurityObject,
} from '@mdlkit/core/mdoc';
import { parseSessionTranscript } from '@mdlkit/core/session';
import type { ParsedCertificate } from '@mdlkit/pki';
import { detectProfile, parseVical } from '@mdlkit/pki';
import { type DetectedInput, detectInputFormat, type InputFormat } from './detect-input-format.js';
import {
  type BuildContext,
  buildNode,
  certificateNode,
  type InspectFinding,
  type InspectNode,
} from './inspect-node.js';
import {
  CoseKeyShape,
  CoseMac0Shape,
  coseSign1Shape,
  DeviceAuthenticationShape,
  DeviceAuthShape,
  DeviceEngagementShape,
  DeviceRequestShape,
  DeviceResponseShape,
  HeaderMapShape,
  IssuerAuthShape,
  IssuerSignedItemBytesShape,
  IssuerSignedItemOnlyShape,
  IssuerSignedShape,
  ItemsRequestShape,
  MsoBytesShape,
  MsoShape,
  ReaderAuthenticationArrayShape,
  SessionDataShape,
  SessionEstablishmentShape,
  SessionTranscriptBytesShape,
  SessionTranscriptShape,
  type Shape,
  VicalShape,
} from './shapes.js';

/** The kinds of structure {@link inspectMdoc} recognises. */
export const InspectKind = {
  DeviceResponse: 'DeviceResponse',
  IssuerSigned: 'IssuerSigned',
  IssuerAuth: 'IssuerAuth',
  MobileSecurityObject: 'MobileSecurityObject',
  MobileSecurityObjectBytes: 'MobileSecurityObjectBytes',
  IssuerSignedItem: 'IssuerSignedItem',
  IssuerSignedItemBytes: 'IssuerSignedItemBytes',
  DeviceRequest: 'DeviceRequest',
  ItemsRequest: 'ItemsRequest',
  ItemsRequestBytes: 'ItemsRequestBytes',
  DeviceEngagement: 'DeviceEngagement',
  SessionTranscript: 'SessionTranscript',
  SessionTranscriptBytes: 'SessionTranscriptBytes',
  SessionEstablishment: 'SessionEstablishment',
  SessionData: 'SessionData',
  DeviceAuth: 'DeviceAuth',
  DeviceAuthentication: 'DeviceAuthentication',
  DeviceAuthenticationBytes: 'DeviceAuthenticationBytes',
  ReaderAuthentication: 'ReaderAuthentication',
  ReaderAuthenticationBytes: 'ReaderAuthenticationBytes',
  CoseSign1: 'COSE_Sign1',
  CoseMac0: 'COSE_Mac0',
  CoseKey: 'COSE_Key',
  CoseKeyBytes: 'COSE_KeyBytes',
  SigStructure: 'Sig_structure',
  MacStructure: 'MAC_structure',
  Vical: 'VICAL',
  Certificate: 'X.509 certificate',
  Image: 'Image',
  Cbor: 'CBOR',
} as const;
/** One of {@link InspectKind}. */
export type InspectKind = (typeof InspectKind)[keyof typeof InspectKind];

/** Options for {@link inspectMdoc}. */
export interface InspectMdocOptions {
  /** Name of the input used in error messages (a file name, `stdin`), default `input`. */
  readonly name?: string;
  /** Read the input as this structure instead of detecting it (`ERR_STRUCTURE_INVALID` findings when it is not). */
  readonly kind?: InspectKind;
  /** The instant certificates are judged against (`valid now` / `expired` notes); none by default. */
  readonly now?: Date;
  /** Most nodes in the tree (default 100,000); past it the tree is cut and `truncated` is set. */
  readonly maxNodes?: number;
  /** CBOR limits for the input (default: core's {@link DEFAULT_CBOR_LIMITS}). */
  readonly cbor?: Pick<CborDecodeOptions, 'maxInputSize' | 'maxDepth' | 'maxItems' | 'maxStringLength'>;
}

/** A certificate met in the input (the input itself, an x5chain entry, a VICAL entry). */
export interface InspectedCertificate {
  /** Where in the tree. */
  readonly path: string;
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The Annex B profile the linter applied, if one was found. */
  readonly profile: string | undefined;
  /** The DER bytes (a copy). */
  readonly der: Uint8Array;
}

/** Result of {@link inspectMdoc}. */
export interface Inspection {
  /** How the input was written. */
  readonly format: InputFormat;
  /** PEM label, for PEM input. */
  readonly pemLabel?: string;
  /** Size of the decoded input in bytes. */
  readonly byteLength: number;
  /** What the input is. */
  readonly kind: InspectKind;
  /** The tree. */
  readonly root: InspectNode;
  /** CDDL mismatches (from core's models), certificate lint findings, lenient-decoding notes. */
  readonly findings: readonly InspectFinding[];
  /** Every certificate in the input, in tree order. */
  readonly certificates: readonly InspectedCertificate[];
  /** True when the tree was cut at `maxNodes`. */
  readonly truncated: boolean;
  /** True when `size` figures are exact (the input was in preferred, definite-length encoding). */
  readonly sizesExact: boolean;
}

const LENIENT: CborDecodeOptions = { allowIndefinite: true, allowNonPreferred: true, lenientDates: true };
const LENIENT_CODES = new Set([
  'ERR_CBOR_NON_PREFERRED',
  'ERR_CBOR_INDEFINITE_LENGTH',
  'ERR_CBOR_INVALID_TAG_CONTENT',
]);

/**
 * Decodes any ISO/IEC 18013-5 structure a person may want to look into — DeviceResponse, IssuerSigned,
 * IssuerAuth, MSO (tag 24 or bare), IssuerSignedItem, DeviceRequest, ItemsRequest, DeviceEngagement
 * (also as an `mdoc:` URI), SessionTranscript, SessionEstablishment / SessionData, DeviceAuth,
 * Device/ReaderAuthentication, COSE_Sign1 / Mac0 / Key, a VICAL, or an X.509 certificate — into a
 * tree of labelled nodes with CBOR types, tags, sizes and element values, the portrait as bytes with
 * its media type. The input format (binary, hex, base64, base64url, PEM) is detected first.
 *
 * Structure is checked with core's models and reported as findings (the tree is still shown), every
 * certificate is linted against its Annex B profile. Nothing is verified cryptographically: use
 * `verifyDeviceResponse` for that. Browser-safe (no `node:` imports, no JOSE / HPKE).
 *
 * @example
 * ```ts
 * const { kind, root, findings } = inspectMdoc(bytes);
 * kind; // 'DeviceResponse'
 * console.log(renderInspectionText(inspectMdoc(bytes)));
 * ```
 * @throws {@link MdlError} `ERR_INPUT_FORMAT_UNRECOGNIZED` for input in no known form (with
 * `details.looksLike`), `ERR_CBOR_*` when the bytes are not one well-formed CBOR item or DER certificate.
 */
export function inspectMdoc(input: Uint8Array | string, options: InspectMdocOptions = {}): Inspection {
  const name = options.name ?? 'input';
  const detected = detect(input, name);
  const ctx: BuildContext = {
    nodes: 0,
    maxNodes: options.maxNodes ?? 100_000,
    findings: [],
    truncated: false,
    lenient: false,
    now: options.now,
    certificates: [],
  };
  const bytes = detected.bytes;
  const base = {
    format: detected.format,
    ...(detected.pemLabel === undefined ? {} : { pemLabel: detected.pemLabel }),
    byteLength: bytes.length,
  };

  if (detected.format === 'pem' || (bytes[0] === 0x30 && options.kind === undefined && looksLikeDer(bytes))) {
    if (detected.format === 'pem' && detected.pemLabel !== 'CERTIFICATE') {
      throw new MdlError(
        'ERR_INPUT_FORMAT_UNRECOGNIZED',
        `${name}: a PEM ${detected.pemLabel} block, not a certificate`,
        {
          details: { looksLike: 'pem-not-certificate' },
        },
      );
    }
    const cert = certificateNode(bytes, ctx, '');
    if (cert !== undefined) {
      const root: InspectNode = {
        label: 'certificate',
        structure: 'X.509 certificate',
        type: 'bstr',
        major: 2,
        size: bytes.length,
        length: bytes.length,
        bytes: bytes.slice(),
        note: cert.note,
        children: cert.children,
      };
      return result(base, 'X.509 certificate', root, ctx, true);
    }
    if (detected.format === 'pem') {
      throw new MdlError('ERR_X509_MALFORMED', `${name}: the PEM CERTIFICATE block is not a DER certificate`);
    }
    ctx.findings.length = 0;
    ctx.certificates.length = 0;
  }

  const limits = options.cbor ?? {};
  let value: unknown;
  let sizesExact = true;
  try {
    value = decodeCbor(bytes, limits);
  } catch (e) {
    if (!(isMdlError(e) && LENIENT_CODES.has(e.code))) return notCbor(e, base, bytes, ctx, name);
    try {
      value = decodeCbor(bytes, { ...limits, ...LENIENT });
    } catch (e2) {
      return notCbor(e2, base, bytes, ctx, name);
    }
    sizesExact = false;
    ctx.findings.push({
      severity: 'warning',
      code: e.code,
      message: `read leniently: ${e.message} (18013-5 requires preferred, definite-length CBOR)`,
      path: String(e.details['offset'] === undefined ? '' : `offset ${e.details['offset']}`),
    });
  }
  const kind = options.kind ?? classify(value);
  const shape = SHAPES[kind];
  const root = buildNode(value, kind, shape, ctx, { path: '' });
  validate(kind, value, bytes, ctx);
  return result(base, kind, root, ctx, sizesExact && !ctx.lenient);
}

/** Input that is not one CBOR item: an image is shown as one (a portrait file); anything else is an error. */
function notCbor(
  e: unknown,
  base: { format: InputFormat; pemLabel?: string; byteLength: number },
  bytes: Uint8Array,
  ctx: BuildContext,
  name: string,
): Inspection {
  const probe = buildNode(bytes, 'bytes', undefined, ctx, { path: '' });
  if (probe.media !== undefined) {
    return result(
      base,
      'Image',
      { ...probe, label: probe.media.type, note: 'not CBOR: an image file' },
      ctx,
      true,
    );
  }
  if (!isMdlError(e)) throw e;
  const offset = e.details['offset'];
  throw new MdlError(
    e.code,
    `${name}: ${base.format === 'binary' ? 'binary input' : `${base.format} text`} of ${bytes.length} bytes is not one CBOR data item or DER certificate (${e.message}${offset === undefined ? '' : ` at byte ${offset}`}; it starts with ${hexStart(bytes)})`,
    { details: { ...e.details, format: base.format }, cause: e },
  );
}

function hexStart(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < Math.min(8, b.length); i++) s += (b[i]! < 16 ? '0' : '') + b[i]!.toString(16);
  return b.length > 8 ? `${s}…` : s;
}

function detect(input: Uint8Array | string, name: string): DetectedInput {
  try {
    return detectInputFormat(input, { name });
  } catch (e) {
    // Printable bytes that fit no text form may still be binary CBOR (a bare text string, say).
    if (
      typeof input !== 'string' &&
      isMdlError(e, 'ERR_INPUT_FORMAT_UNRECOGNIZED') &&
      e.details['looksLike'] === 'text'
    ) {
      try {
        decodeCbor(input);
        return { format: 'binary', bytes: input.slice() };
      } catch {
        // fall through to the format error
      }
    }
    throw e;
  }
}

function looksLikeDer(b: Uint8Array): boolean {
  // SEQUENCE with a long-form length covering the whole input: a certificate, never a CBOR item
  // (0x30 would be the negative integer -17 followed by trailing bytes).
  if (b.length < 4) return false;
  const l = b[1]!;
  if (l === 0x81) return b[2]! + 3 === b.length;
  if (l === 0x82) return ((b[2]! << 8) | b[3]!) + 4 === b.length;
  if (l === 0x83) return ((b[2]! << 16) | (b[3]! << 8) | b[4]!) + 5 === b.length;
  return l < 0x80 && l + 2 === b.length;
}

function result(
  base: { format: InputFormat; pemLabel?: string; byteLength: number },
  kind: InspectKind,
  root: InspectNode,
  ctx: BuildContext,
  sizesExact: boolean,
): Inspection {
  return {
    ...base,
    kind,
    root,
    findings: ctx.findings,
    certificates: ctx.certificates.map(({ path, certificate }) => certificateInfo(path, certificate)),
    truncated: ctx.truncated,
    sizesExact,
  };
}

function certificateInfo(path: string, c: ParsedCertificate): InspectedCertificate {
  return {
    path,
    subject: c.subject.text,
    issuer: c.issuer.text,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    profile: detectProfile(c),
    der: c.der.slice(),
  };
}

const SHAPES: Readonly<Record<InspectKind, Shape | undefined>> = {
  DeviceResponse: DeviceResponseShape,
  IssuerSigned: IssuerSignedShape,
  IssuerAuth: IssuerAuthShape,
  MobileSecurityObject: MsoShape,
  MobileSecurityObjectBytes: MsoBytesShape,
  IssuerSignedItem: IssuerSignedItemOnlyShape,
  IssuerSignedItemBytes: IssuerSignedItemBytesShape,
  DeviceRequest: DeviceRequestShape,
  ItemsRequest: ItemsRequestShape,
  ItemsRequestBytes: { name: 'ItemsRequestBytes', embedded: ItemsRequestShape },
  DeviceEngagement: DeviceEngagementShape,
  SessionTranscript: SessionTranscriptShape,
  SessionTranscriptBytes: SessionTranscriptBytesShape,
  SessionEstablishment: SessionEstablishmentShape,
  SessionData: SessionDataShape,
  DeviceAuth: DeviceAuthShape,
  DeviceAuthentication: DeviceAuthenticationShape,
  DeviceAuthenticationBytes: { name: 'DeviceAuthenticationBytes', embedded: DeviceAuthenticationShape },
  ReaderAuthentication: ReaderAuthenticationArrayShape,
  ReaderAuthenticationBytes: { name: 'ReaderAuthenticationBytes', embedded: ReaderAuthenticationArrayShape },
  COSE_Sign1: coseSign1Shape('COSE_Sign1', undefined),
  COSE_Mac0: CoseMac0Shape,
  COSE_Key: CoseKeyShape,
  COSE_KeyBytes: { name: 'COSE_KeyBytes', embedded: CoseKeyShape },
  Sig_structure: {
    name: 'Sig_structure',
    tuple: [
      { name: 'context' },
      { name: 'body_protected', embedded: HeaderMapShape },
      { name: 'external_aad' },
      { name: 'payload' },
    ],
  },
  MAC_structure: {
    name: 'MAC_structure',
    tuple: [
      { name: 'context' },
      { name: 'protected', embedded: HeaderMapShape },
      { name: 'external_aad' },
      { name: 'payload' },
    ],
  },
  VICAL: VicalShape,
  'X.509 certificate': undefined,
  Image: undefined,
  CBOR: undefined,
};

function has(m: Map<unknown, unknown>, ...keys: unknown[]): boolean {
  return keys.every((k) => m.has(k));
}

function embedded(value: EncodedCbor): unknown {
  try {
    return value.value;
  } catch {
    return undefined;
  }
}

/** Which structure a decoded value is, by its keys and shape (first match wins). */
export function classify(value: unknown): InspectKind {
  if (value instanceof EncodedCbor) {
    const inner = embedded(value);
    const k = classify(inner);
    const wrapped: Partial<Record<InspectKind, InspectKind>> = {
      MobileSecurityObject: 'MobileSecurityObjectBytes',
      SessionTranscript: 'SessionTranscriptBytes',
      IssuerSignedItem: 'IssuerSignedItemBytes',
      ItemsRequest: 'ItemsRequestBytes',
      DeviceAuthentication: 'DeviceAuthenticationBytes',
      ReaderAuthentication: 'ReaderAuthenticationBytes',
      COSE_Key: 'COSE_KeyBytes',
    };
    return wrapped[k] ?? 'CBOR';
  }
  if (value instanceof CborTagged) {
    if (value.tag === 18) return classifySign1(value);
    if (value.tag === 17) return 'COSE_Mac0';
    return 'CBOR';
  }
  if (value instanceof Map) {
    if (has(value, 'version', 'docRequests')) return 'DeviceRequest';
    if (
      value.has('version') &&
      (value.has('documents') || value.has('status') || value.has('documentErrors'))
    )
      return 'DeviceResponse';
    if (has(value, 'issuerAuth')) return 'IssuerSigned';
    if (has(value, 'digestAlgorithm', 'valueDigests')) return 'MobileSecurityObject';
    if (has(value, 'digestID', 'elementIdentifier')) return 'IssuerSignedItem';
    if (has(value, 'eReaderKey')) return 'SessionEstablishment';
    if (has(value, 'deviceSignature') || has(value, 'deviceMac')) return 'DeviceAuth';
    if (has(value, 'nameSpaces') && !value.has('version')) return 'ItemsRequest';
    if (
      (value.has('data') || value.has('status')) &&
      [...value.keys()].every((k) => k === 'data' || k === 'status')
    )
      return 'SessionData';
    if (has(value, 0, 1) && typeof value.get(0) === 'string') return 'DeviceEngagement';
    if (value.has(1) && (value.has(-1) || value.has(-2)) && typeof value.get(1) === 'number')
      return 'COSE_Key';
    return 'CBOR';
  }
  if (Array.isArray(value)) {
    if (value[0] === 'DeviceAuthentication' && value.length === 4) return 'DeviceAuthentication';
    if (value[0] === 'ReaderAuthentication' && value.length === 3) return 'ReaderAuthentication';
    if (value[0] === 'Signature1' && value.length === 4) return 'Sig_structure';
    if (value[0] === 'MAC0' && value.length === 4) return 'MAC_structure';
    if (
      value.length === 3 &&
      (value[0] === null || value[0] instanceof EncodedCbor) &&
      (value[1] === null || value[1] instanceof EncodedCbor)
    )
      return 'SessionTranscript';
    if (value.length === 4 && value[0] instanceof Uint8Array && value[1] instanceof Map) {
      return classifySign1(value);
    }
  }
  return 'CBOR';
}

function classifySign1(value: unknown): InspectKind {
  const arr = value instanceof CborTagged ? value.value : value;
  if (!Array.isArray(arr) || arr.length !== 4) return 'CBOR';
  const payload = arr[2];
  if (payload instanceof Uint8Array && payload.length > 0) {
    try {
      const inner = decodeCbor(payload, LENIENT);
      if (inner instanceof EncodedCbor && classify(inner) === 'MobileSecurityObjectBytes')
        return 'IssuerAuth';
      if (inner instanceof Map && inner.has('certificateInfos')) return 'VICAL';
    } catch {
      // an opaque payload
    }
  }
  return 'COSE_Sign1';
}

/** Runs core's model for the structure and records its complaint as a finding. */
function validate(kind: InspectKind, value: unknown, bytes: Uint8Array, ctx: BuildContext): void {
  const check = (fn: () => unknown): void => {
    try {
      fn();
    } catch (e) {
      const code = isMdlError(e) ? e.code : 'ERR_STRUCTURE_INVALID';
      const path = isMdlError(e) && typeof e.details['path'] === 'string' ? e.details['path'] : '';
      ctx.findings.push({
        severity: 'error',
        code,
        message: `not a valid ${kind}: ${(e as Error).message}`,
        path,
      });
    }
  };
  const fn = modelOf(kind, value, bytes);
  if (fn !== undefined) check(fn);
}

function modelOf(kind: InspectKind, value: unknown, bytes: Uint8Array): (() => unknown) | undefined {
  const inner = (): unknown => (value instanceof EncodedCbor ? value.value : value);
  switch (kind) {
    case 'DeviceResponse':
      return () => parseDeviceResponse(value);
    case 'IssuerSigned':
      return () => parseIssuerSigned(value);
    case 'MobileSecurityObject':
    case 'MobileSecurityObjectBytes':
      return () => parseMobileSecurityObject(inner());
    case 'IssuerSignedItem':
      return () => parseIssuerSignedItem(EncodedCbor.fromBytes(bytes));
    case 'IssuerSignedItemBytes':
      return () => parseIssuerSignedItem(value);
    case 'DeviceRequest':
      return () => parseDeviceRequest(value);
    case 'DeviceEngagement':
      return () => parseDeviceEngagement(value);
    case 'SessionTranscript':
      return () => parseSessionTranscript(bytes);
    case 'SessionTranscriptBytes':
      return () => parseSessionTranscript(value as EncodedCbor);
    case 'DeviceAuth':
      return () => parseDeviceAuth(value);
    case 'IssuerAuth':
    case 'COSE_Sign1':
      return () => parseCoseSign1(value);
    case 'VICAL':
      return () => parseVical(bytes);
    default:
      return undefined;
  }
}

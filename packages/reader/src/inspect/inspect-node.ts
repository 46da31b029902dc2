import {
  CborSimple,
  CborTagged,
  cborHeadLength,
  decodeCbor,
  EncodedCbor,
  encodeCbor,
  FullDate,
  TDate,
  toHex,
} from '@mdlkit/core/cbor';
import { MDL_NAMESPACE, mdlElementSpec } from '@mdlkit/core/mdoc';
import { type LintFinding, lintCertificate, type ParsedCertificate, parseCertificate } from '@mdlkit/pki';
import type { Shape } from './shapes.js';

/** CBOR data model names of a node (RFC 8949 §3.1; floats, booleans and null broken out of major 7). */
export type CborTypeName =
  | 'uint'
  | 'nint'
  | 'bstr'
  | 'tstr'
  | 'array'
  | 'map'
  | 'tag'
  | 'float'
  | 'bool'
  | 'null'
  | 'undefined'
  | 'simple';

/** Media types the inspector recognises in byte strings (portrait, signature_usual_mark). */
export type InspectMediaType = 'image/jpeg' | 'image/jp2' | 'image/png';

/** One node of an inspected structure. Every `Uint8Array` in it is its own copy. */
export interface InspectNode {
  /** The map key, array index (`[0]`) or role (`embedded`) under which the value sits. */
  readonly label: string;
  /** The CDDL structure name when known (`IssuerSignedItem`, `COSE_Key`, …). */
  readonly structure?: string;
  /** The CBOR type. */
  readonly type: CborTypeName;
  /** The CBOR major type (0–7). */
  readonly major: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;
  /** The tag number, for `type: 'tag'`. */
  readonly tag?: number;
  /**
   * Encoded size in bytes. Exact for input in preferred, definite-length encoding (what the inspector
   * reads first); for input it could only read leniently, the preferred-encoding size.
   */
  readonly size: number;
  /** Byte-string length, text length in bytes, number of array elements or map entries. */
  readonly length?: number;
  /** A scalar's value: integers beyond ±2^53 − 1 as decimal strings, dates as their text. */
  readonly value?: string | number | boolean | null;
  /** A byte string's content (a copy). */
  readonly bytes?: Uint8Array;
  /** An image recognised in a byte string, by its magic number. */
  readonly media?: { readonly type: InspectMediaType; readonly bytes: Uint8Array };
  /** The data element this node is (IssuerSignedItem, DeviceSignedItems entry) or is the value of. */
  readonly element?: { readonly nameSpace: string; readonly identifier: string; readonly known?: boolean };
  /** A short human note: an algorithm name, a status meaning, a certificate's subject. */
  readonly note?: string;
  /**
   * True for a node that is not a CBOR item but a field decoded from one (a certificate's subject,
   * validity, extensions): `type` is then `tstr`, `size` 0.
   */
  readonly derived?: boolean;
  readonly children?: readonly InspectNode[];
}

/** A finding made while inspecting (a CDDL mismatch, a certificate lint finding, lenient decoding). */
export interface InspectFinding {
  readonly severity: 'error' | 'warning' | 'info';
  /** An mdlkit error code or an Annex B lint rule id. */
  readonly code: string;
  readonly message: string;
  /** Where: a dotted path of labels from the root. */
  readonly path: string;
  /** The clause cited (lint findings). */
  readonly clause?: string;
}

/** Mutable state of one inspection. */
export interface BuildContext {
  nodes: number;
  readonly maxNodes: number;
  readonly findings: InspectFinding[];
  truncated: boolean;
  /** Set when some part could only be read leniently (sizes are then those of the preferred encoding). */
  lenient: boolean;
  readonly now: Date | undefined;
  /** Certificates seen while walking, so callers can present the chain. */
  readonly certificates: { readonly path: string; readonly certificate: ParsedCertificate }[];
}

interface Scope {
  readonly nameSpace?: string;
  readonly path: string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const TWO_64 = 1n << 64n;

function detectMedia(b: Uint8Array): InspectMediaType | undefined {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png';
  // JPEG 2000: the JP2 signature box, or a bare codestream (SOC + SIZ markers).
  if (
    b.length >= 12 &&
    b[0] === 0 &&
    b[1] === 0 &&
    b[2] === 0 &&
    b[3] === 0x0c &&
    b[4] === 0x6a &&
    b[5] === 0x50
  )
    return 'image/jp2';
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0x4f && b[2] === 0xff && b[3] === 0x51) return 'image/jp2';
  return undefined;
}

function childPath(path: string, label: string): string {
  if (path === '') return label;
  return label.startsWith('[') ? `${path}${label}` : `${path}.${label}`;
}

function keyLabel(k: unknown, shape: Shape | undefined): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'number' || typeof k === 'bigint') {
    const name = shape?.keyNames?.[String(k)];
    return name === undefined ? String(k) : `${String(k)} (${name})`;
  }
  if (k instanceof Uint8Array) return `h'${toHex(k)}'`;
  return String(k);
}

function textSize(s: string): number {
  const n = new TextEncoder().encode(s).length;
  return cborHeadLength(n) + n;
}

/** Builds the node for one decoded CBOR value, labelled through `shape`. */
export function buildNode(
  value: unknown,
  label: string,
  shape: Shape | undefined,
  ctx: BuildContext,
  scope: Scope,
): InspectNode {
  ctx.nodes++;
  const path = scope.path;
  const base: Mutable<Partial<InspectNode>> = { label };
  if (shape?.name !== undefined) base.structure = shape.name;
  const tooMany = ctx.nodes > ctx.maxNodes;
  if (tooMany) ctx.truncated = true;

  if (value instanceof EncodedCbor) {
    const content = value.bytes;
    const size = 2 + cborHeadLength(content.length) + content.length;
    const children: InspectNode[] = [];
    if (!tooMany) {
      const inner = decodeEmbedded(content, ctx, childPath(path, label));
      if (inner.ok) {
        children.push(
          buildNode(inner.value, 'embedded', shape?.embedded, ctx, {
            ...scope,
            path: childPath(path, 'embedded'),
          }),
        );
      }
    }
    return finish(base, {
      type: 'tag',
      major: 6,
      tag: 24,
      size,
      length: content.length,
      note: 'encoded CBOR data item',
      children,
    });
  }
  if (value instanceof Uint8Array) {
    const size = cborHeadLength(value.length) + value.length;
    const node: Mutable<Partial<InspectNode>> = {
      type: 'bstr',
      major: 2,
      size,
      length: value.length,
      bytes: value.slice(),
    };
    const media = detectMedia(value);
    if (media !== undefined) node.media = { type: media, bytes: value.slice() };
    if (!tooMany && shape?.x509 === true) {
      const cert = certificateNode(value, ctx, path);
      if (cert !== undefined) {
        node.note = cert.note;
        node.children = cert.children;
      }
    } else if (!tooMany && shape?.embedded !== undefined) {
      // `bstr .cbor T`: a byte string holding a CBOR item (COSE protected headers, payloads).
      if (value.length > 0) {
        const inner = decodeEmbedded(value, ctx, path);
        if (inner.ok) {
          node.children = [
            buildNode(inner.value, 'bstr .cbor', shape.embedded, ctx, {
              ...scope,
              path: childPath(path, 'bstr .cbor'),
            }),
          ];
        }
      } else {
        node.note = 'empty';
      }
    }
    return finish(base, node);
  }
  if (typeof value === 'string') {
    return finish(base, {
      type: 'tstr',
      major: 3,
      size: textSize(value),
      length: new TextEncoder().encode(value).length,
      value,
      ...named(shape, value),
    });
  }
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !Object.is(value, -0)) {
      const n = value >= 0 ? value : -1 - value;
      return finish(base, {
        type: value >= 0 ? 'uint' : 'nint',
        major: value >= 0 ? 0 : 1,
        size: cborHeadLength(n),
        value,
        ...named(shape, value),
      });
    }
    return finish(base, {
      type: 'float',
      major: 7,
      size: encodeCbor(value).length,
      value: Number.isFinite(value) ? value : String(value),
    });
  }
  if (typeof value === 'bigint') {
    const neg = value < 0n;
    const n = neg ? -1n - value : value;
    if (n < TWO_64) {
      return finish(base, {
        type: neg ? 'nint' : 'uint',
        major: neg ? 1 : 0,
        size: 9,
        value: value.toString(),
      });
    }
    let hex = n.toString(16);
    if (hex.length % 2 === 1) hex = `0${hex}`;
    const len = hex.length / 2;
    return finish(base, {
      type: 'tag',
      major: 6,
      tag: neg ? 3 : 2,
      size: 1 + cborHeadLength(len) + len,
      value: value.toString(),
      note: neg ? 'negative bignum' : 'unsigned bignum',
    });
  }
  if (typeof value === 'boolean') return finish(base, { type: 'bool', major: 7, size: 1, value });
  if (value === null)
    return finish(base, { type: 'null', major: 7, size: 1, value: null, ...named(shape, 'null') });
  if (value === undefined) return finish(base, { type: 'undefined', major: 7, size: 1 });
  if (value instanceof CborSimple) {
    return finish(base, { type: 'simple', major: 7, size: value.value < 24 ? 1 : 2, value: value.value });
  }
  if (value instanceof TDate) {
    return finish(base, {
      type: 'tag',
      major: 6,
      tag: 0,
      size: 1 + textSize(value.value),
      value: value.value,
      note: 'tdate',
    });
  }
  if (value instanceof FullDate) {
    return finish(base, {
      type: 'tag',
      major: 6,
      tag: 1004,
      size: 3 + textSize(value.value),
      value: value.value,
      note: 'full-date',
    });
  }
  if (value instanceof CborTagged) {
    const tag = typeof value.tag === 'bigint' ? Number(value.tag) : value.tag;
    const head = typeof value.tag === 'bigint' ? 9 : cborHeadLength(tag);
    // A tag (18 = COSE_Sign1, 17 = COSE_Mac0 …) passes its shape on to the value it wraps.
    const child = tooMany
      ? undefined
      : buildNode(value.value, 'value', shape, ctx, { ...scope, path: childPath(path, 'value') });
    const note = TAG_NAMES[tag];
    return finish(base, {
      type: 'tag',
      major: 6,
      tag,
      size: head + (child?.size ?? 0),
      ...(note === undefined ? {} : { note }),
      children: child === undefined ? [] : [child],
    });
  }
  if (Array.isArray(value)) {
    const children: InspectNode[] = [];
    let size = cborHeadLength(value.length);
    for (let i = 0; i < value.length; i++) {
      if (ctx.nodes >= ctx.maxNodes) {
        ctx.truncated = true;
        break;
      }
      const childShape = shape?.tuple?.[i] ?? shape?.items;
      const c = buildNode(value[i], `[${i}]`, childShape, ctx, { ...scope, path: childPath(path, `[${i}]`) });
      size += c.size;
      children.push(c);
    }
    return finish(base, { type: 'array', major: 4, size, length: value.length, children });
  }
  if (value instanceof Map) {
    if (shape?.issuerSignedItem === true) return issuerSignedItemNode(base, value, shape, ctx, scope);
    const children: InspectNode[] = [];
    let size = cborHeadLength(value.size);
    for (const [k, v] of value) {
      if (ctx.nodes >= ctx.maxNodes) {
        ctx.truncated = true;
        break;
      }
      const kLabel = keyLabel(k, shape);
      const keyNode = buildNode(k, 'key', undefined, ctx, scope);
      size += keyNode.size;
      const kPath = childPath(path, kLabel);
      const childShape =
        shape?.fields?.[typeof k === 'string' || typeof k === 'number' ? String(k) : ''] ?? shape?.entries;
      let childScope: Scope = { ...scope, path: kPath };
      if (shape?.nameSpaceKeys === true && typeof k === 'string') childScope = { nameSpace: k, path: kPath };
      const c = buildNode(v, kLabel, childShape, ctx, childScope) as Mutable<InspectNode>;
      if (shape?.elementEntries === true && typeof k === 'string' && scope.nameSpace !== undefined) {
        c.element = elementOf(scope.nameSpace, k);
      }
      size += c.size;
      children.push(c);
    }
    return finish(base, { type: 'map', major: 5, size, length: value.size, children });
  }
  return finish(base, { type: 'undefined', major: 7, size: 0, note: 'unrepresentable value' });
}

const TAG_NAMES: Readonly<Record<number, string>> = {
  16: 'COSE_Encrypt0',
  17: 'COSE_Mac0',
  18: 'COSE_Sign1',
  21: 'expected base64url',
  32: 'URI',
  1004: 'full-date',
};

function named(shape: Shape | undefined, value: string | number): { note?: string } {
  const n = shape?.valueNames?.[String(value)];
  return n === undefined ? {} : { note: n };
}

function finish(base: Mutable<Partial<InspectNode>>, rest: Partial<InspectNode>): InspectNode {
  return { ...base, ...rest } as InspectNode;
}

function elementOf(nameSpace: string, identifier: string): InspectNode['element'] & object {
  if (nameSpace === MDL_NAMESPACE)
    return { nameSpace, identifier, known: mdlElementSpec(identifier) !== undefined };
  return { nameSpace, identifier };
}

function issuerSignedItemNode(
  base: Mutable<Partial<InspectNode>>,
  value: Map<unknown, unknown>,
  shape: Shape,
  ctx: BuildContext,
  scope: Scope,
): InspectNode {
  const identifier = value.get('elementIdentifier');
  const element =
    typeof identifier === 'string' && scope.nameSpace !== undefined
      ? elementOf(scope.nameSpace, identifier)
      : undefined;
  const inner = buildNode(
    value,
    base.label ?? '',
    { ...shape, issuerSignedItem: false },
    ctx,
    scope,
  ) as Mutable<InspectNode>;
  if (element !== undefined) {
    inner.element = element;
    inner.note = `${element.nameSpace} / ${element.identifier}${element.known === false ? ' (not in the mDL schema)' : ''}`;
    const v = inner.children?.find((c) => c.label === 'elementValue') as Mutable<InspectNode> | undefined;
    if (v !== undefined) v.element = element;
    if (element.known === false) {
      ctx.findings.push({
        severity: 'info',
        code: 'ERR_DATA_ELEMENT_UNKNOWN',
        message: `element '${element.identifier}' is not defined in the ${element.nameSpace} namespace`,
        path: scope.path,
      });
    }
  }
  return inner;
}

const LENIENT = { allowIndefinite: true, allowNonPreferred: true, lenientDates: true } as const;

/**
 * Decodes a `bstr .cbor` content: strictly, else leniently with a warning (foreign issuers emit
 * non-preferred integers), else an error finding.
 */
function decodeEmbedded(
  bytes: Uint8Array,
  ctx: BuildContext,
  path: string,
): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: decodeCbor(bytes) };
  } catch (strict) {
    try {
      const value = decodeCbor(bytes, LENIENT);
      ctx.lenient = true;
      const code = (strict as { code?: unknown }).code;
      ctx.findings.push({
        severity: 'warning',
        code: typeof code === 'string' ? code : 'ERR_CBOR_MALFORMED',
        message: `read leniently: ${(strict as Error).message} (18013-5 requires preferred, definite-length CBOR)`,
        path,
      });
      return { ok: true, value };
    } catch (e) {
      addError(ctx, e, path, 'the byte string does not hold well-formed CBOR');
      return { ok: false };
    }
  }
}

function addError(ctx: BuildContext, e: unknown, path: string, fallback: string): void {
  const code = (e as { code?: unknown }).code;
  ctx.findings.push({
    severity: 'error',
    code: typeof code === 'string' ? code : 'ERR_CBOR_MALFORMED',
    message: e instanceof Error ? `${fallback}: ${e.message}` : fallback,
    path,
  });
}

/** The summary children of a DER certificate and its lint findings. */
export function certificateNode(
  der: Uint8Array,
  ctx: BuildContext,
  path: string,
): { note: string; children: InspectNode[]; certificate: ParsedCertificate } | undefined {
  let cert: ParsedCertificate;
  try {
    cert = parseCertificate(der);
  } catch (e) {
    addError(ctx, e, path, 'not a DER X.509 certificate');
    return undefined;
  }
  ctx.certificates.push({ path, certificate: cert });
  const lint = lintCertificate(cert);
  for (const f of lint.findings) ctx.findings.push(lintToFinding(f, path));
  const text = (label: string, value: string, note?: string): InspectNode => {
    ctx.nodes++;
    return {
      label,
      type: 'tstr',
      major: 3,
      size: 0,
      value,
      derived: true,
      ...(note === undefined ? {} : { note }),
    };
  };
  const children: InspectNode[] = [
    text('subject', cert.subject.text),
    text('issuer', cert.issuer.text, cert.selfIssued ? 'self-issued' : undefined),
    text('serialNumber', cert.serialHex),
    text('notBefore', cert.notBefore.toISOString()),
    text('notAfter', cert.notAfter.toISOString(), validityNote(cert, ctx.now)),
    text('publicKey', cert.publicKeyInfo.curve ?? cert.publicKeyInfo.algorithm),
    text('signatureAlgorithm', SIGNATURE_NAMES[cert.signatureAlgorithm.oid] ?? cert.signatureAlgorithm.oid),
    text(
      'profile',
      lint.profile ?? 'undetermined',
      lint.ok ? 'Annex B lint: no errors' : 'Annex B lint: errors',
    ),
  ];
  if (cert.keyUsage !== undefined) children.push(text('keyUsage', cert.keyUsage.join(', ')));
  if (cert.extKeyUsage !== undefined) children.push(text('extKeyUsage', cert.extKeyUsage.join(', ')));
  if (cert.basicConstraints !== undefined) {
    children.push(
      text(
        'basicConstraints',
        `cA=${cert.basicConstraints.ca}${cert.basicConstraints.pathLen === undefined ? '' : `, pathLen=${cert.basicConstraints.pathLen}`}`,
      ),
    );
  }
  for (const ext of cert.extensions) {
    const extName = EXTENSION_NAMES[ext.oid];
    children.push(
      text(
        `extension ${extName === undefined ? ext.oid : `${extName} (${ext.oid})`}`,
        `${ext.value.length} bytes`,
        ext.critical ? 'critical' : undefined,
      ),
    );
  }
  return { note: `X.509: ${cert.subject.text}`, children, certificate: cert };
}

const SIGNATURE_NAMES: Readonly<Record<string, string>> = {
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
};

const EXTENSION_NAMES: Readonly<Record<string, string>> = {
  '2.5.29.14': 'subjectKeyIdentifier',
  '2.5.29.15': 'keyUsage',
  '2.5.29.17': 'subjectAltName',
  '2.5.29.18': 'issuerAltName',
  '2.5.29.19': 'basicConstraints',
  '2.5.29.31': 'cRLDistributionPoints',
  '2.5.29.32': 'certificatePolicies',
  '2.5.29.35': 'authorityKeyIdentifier',
  '2.5.29.37': 'extKeyUsage',
  '1.3.6.1.5.5.7.1.1': 'authorityInfoAccess',
};

function validityNote(cert: ParsedCertificate, now: Date | undefined): string | undefined {
  if (now === undefined) return undefined;
  if (now < cert.notBefore) return 'not yet valid';
  if (now > cert.notAfter) return 'expired';
  return 'valid now';
}

/** A lint finding as an inspection finding. */
export function lintToFinding(f: LintFinding, path: string): InspectFinding {
  return { severity: f.severity, code: f.rule, message: f.message, path, clause: f.clause };
}

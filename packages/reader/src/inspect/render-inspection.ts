import { toHex } from '@mdlkit/core/cbor';
import type { Inspection } from './inspect-mdoc.js';
import type { InspectNode } from './inspect-node.js';

/** Options for {@link renderInspectionText}. */
export interface RenderInspectionTextOptions {
  /** Bytes of a byte string shown before it is cut with `…` (default 24; 0 shows none). */
  readonly maxBytes?: number;
  /** Characters of a text string shown before it is cut (default 80). */
  readonly maxText?: number;
}

function typeText(n: InspectNode): string {
  switch (n.type) {
    case 'map':
      return `map(${n.length})`;
    case 'array':
      return `array(${n.length})`;
    case 'bstr':
      return `bstr(${n.length})`;
    case 'tstr':
      return 'tstr';
    case 'tag':
      return `tag ${n.tag}`;
    default:
      return n.type;
  }
}

function valueText(n: InspectNode, o: Required<RenderInspectionTextOptions>): string | undefined {
  if (n.media !== undefined) return `[${n.media.type}, ${n.media.bytes.length} bytes]`;
  if (n.bytes !== undefined) {
    if (n.children !== undefined && n.children.length > 0) return undefined;
    if (o.maxBytes === 0 || n.bytes.length === 0) return n.bytes.length === 0 ? "h''" : undefined;
    const cut = n.bytes.length > o.maxBytes;
    return `h'${toHex(n.bytes.subarray(0, o.maxBytes))}${cut ? '…' : ''}'`;
  }
  if (n.value === undefined) return undefined;
  if (typeof n.value === 'string') {
    if (n.type === 'uint' || n.type === 'nint' || n.type === 'tag' || n.type === 'float') {
      return n.type === 'tag' && (n.tag === 0 || n.tag === 1004) ? JSON.stringify(n.value) : n.value;
    }
    const cut = n.value.length > o.maxText;
    return JSON.stringify(cut ? `${n.value.slice(0, o.maxText)}…` : n.value);
  }
  return String(n.value);
}

/**
 * Renders an {@link Inspection} as an indented text tree, one node per line —
 * `label <Structure>: value  [type, size B] — note` — followed by the findings and the certificates.
 *
 * @example
 * ```ts
 * console.log(renderInspectionText(inspectMdoc(bytes)));
 * // DeviceResponse <DeviceResponse>  [map(3), 3,214 B]
 * // ├─ version: "1.0"  [tstr, 8 B]
 * ```
 */
export function renderInspectionText(
  inspection: Inspection,
  options: RenderInspectionTextOptions = {},
): string {
  const o: Required<RenderInspectionTextOptions> = {
    maxBytes: options.maxBytes ?? 24,
    maxText: options.maxText ?? 80,
  };
  const lines: string[] = [];
  const line = (n: InspectNode, prefix: string, branch: string): void => {
    const v = valueText(n, o);
    const structure = n.structure !== undefined && n.structure !== n.label ? ` <${n.structure}>` : '';
    const el = n.element?.known === false ? ' (unknown element)' : '';
    const note = n.note === undefined ? '' : ` — ${n.note}`;
    const kind = n.derived === true ? '' : `  [${typeText(n)}, ${n.size} B]`;
    lines.push(
      `${prefix}${branch}${n.label}${structure}${v === undefined ? '' : `: ${v}`}${kind}${note}${el}`,
    );
  };
  const walk = (n: InspectNode, prefix: string): void => {
    const kids = n.children ?? [];
    kids.forEach((c, i) => {
      const last = i === kids.length - 1;
      line(c, prefix, last ? '└─ ' : '├─ ');
      walk(c, prefix + (last ? '   ' : '│  '));
    });
  };
  lines.push(
    `${inspection.kind} (${inspection.format}, ${inspection.byteLength} bytes${inspection.pemLabel === undefined ? '' : `, PEM ${inspection.pemLabel}`})`,
  );
  line(inspection.root, '', '');
  walk(inspection.root, '');
  if (inspection.truncated) lines.push('… tree cut at the node limit');
  if (!inspection.sizesExact) lines.push('note: read leniently; sizes are those of the preferred encoding');
  if (inspection.findings.length > 0) {
    lines.push('', 'Findings:');
    for (const f of inspection.findings) {
      const where = f.path === '' ? '' : ` at ${f.path}`;
      const clause = f.clause === undefined ? '' : ` (${f.clause})`;
      lines.push(`  ${f.severity.toUpperCase().padEnd(7)} ${f.code}${where}: ${f.message}${clause}`);
    }
  }
  if (inspection.certificates.length > 0) {
    lines.push('', 'Certificates:');
    for (const c of inspection.certificates) {
      lines.push(
        `  ${c.path === '' ? '(input)' : c.path}: ${c.subject}  issued by ${c.issuer}  ${c.notBefore.toISOString()} – ${c.notAfter.toISOString()}  profile ${c.profile ?? 'undetermined'}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A JSON-ready copy of an {@link InspectNode}: bytes as lowercase hex, media as its type and size. */
export interface InspectNodeJson {
  readonly label: string;
  readonly structure?: string;
  readonly type: InspectNode['type'];
  readonly major: number;
  readonly tag?: number;
  readonly size: number;
  readonly length?: number;
  readonly value?: string | number | boolean | null;
  readonly hex?: string;
  readonly media?: { readonly type: string; readonly size: number };
  readonly element?: InspectNode['element'];
  readonly note?: string;
  readonly children?: readonly InspectNodeJson[];
}

function nodeJson(n: InspectNode): InspectNodeJson {
  const { bytes, media, children, ...rest } = n;
  return {
    ...rest,
    ...(bytes === undefined ? {} : { hex: toHex(bytes) }),
    ...(media === undefined ? {} : { media: { type: media.type, size: media.bytes.length } }),
    ...(children === undefined ? {} : { children: children.map(nodeJson) }),
  };
}

/**
 * The {@link Inspection} as plain JSON-ready data (bytes as hex, dates as ISO strings), for
 * `JSON.stringify` and `mdlkit inspect --json`.
 *
 * @example
 * ```ts
 * JSON.stringify(inspectionToJson(inspectMdoc(bytes)), null, 2);
 * ```
 */
export function inspectionToJson(inspection: Inspection): Record<string, unknown> {
  return {
    kind: inspection.kind,
    format: inspection.format,
    ...(inspection.pemLabel === undefined ? {} : { pemLabel: inspection.pemLabel }),
    byteLength: inspection.byteLength,
    sizesExact: inspection.sizesExact,
    truncated: inspection.truncated,
    findings: inspection.findings,
    certificates: inspection.certificates.map((c) => ({
      path: c.path,
      subject: c.subject,
      issuer: c.issuer,
      notBefore: c.notBefore.toISOString(),
      notAfter: c.notAfter.toISOString(),
      profile: c.profile ?? null,
      der: toHex(c.der),
    })),
    root: nodeJson(inspection.root),
  };
}

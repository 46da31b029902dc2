import { FullDate, TDate } from '@mdlkit/core/cbor';
import type { DisclosedElement, VerificationReport } from '@mdlkit/reader';
import { Mark, table } from '../util/format.js';

/**
 * A short, printable form of a disclosed element value: dates as ISO strings, byte strings as
 * their kind and size (a portrait is never dumped), maps and arrays recursively.
 */
export function describeValue(value: unknown): unknown {
  if (value instanceof FullDate || value instanceof TDate) return value.toString();
  if (value instanceof Uint8Array) {
    const jpeg = value[0] === 0xff && value[1] === 0xd8;
    return `<${jpeg ? 'JPEG, ' : ''}${value.length} bytes>`;
  }
  if (value instanceof Map) {
    return Object.fromEntries([...value].map(([k, v]) => [String(k), describeValue(v)]));
  }
  if (Array.isArray(value)) return value.map(describeValue);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'object' && value !== null) {
    const inner = (value as { value?: unknown }).value;
    return inner === undefined ? String(value) : describeValue(inner);
  }
  return value;
}

function elementText(e: DisclosedElement): string {
  const v = describeValue(e.value);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The verification report as lines a person can read: verdict, every check, the disclosed elements. */
export function reportLines(report: VerificationReport): string[] {
  const lines: string[] = [];
  // "VERIFIED" only when the holder was authenticated too: issuer data alone does not exclude a
  // cloned or replayed mDL.
  const headline = !report.verified
    ? 'NOT VERIFIED'
    : report.deviceAuthenticated
      ? 'VERIFIED'
      : 'ISSUER DATA VERIFIED, HOLDER NOT AUTHENTICATED';
  lines.push(
    `${headline}: DeviceResponse ${report.version}, status ${report.responseStatus}, ` +
      `${report.documents.length} document(s)`,
  );
  if (report.verified && !report.deviceAuthenticated) {
    lines.push(
      'device authentication was not checked: a cloned or replayed mDL is not excluded ' +
        '(elements marked ok* are issuer-verified only)',
    );
  }
  for (const e of report.documentErrors)
    lines.push(`document not returned: ${e.docType} (error ${e.errorCode})`);
  for (const doc of report.documents) {
    lines.push('');
    lines.push(
      `${doc.verified ? (doc.deviceAuthenticated ? Mark.passed : Mark.skipped) : Mark.failed}  ${doc.docType}` +
        `${doc.dsSubject === undefined ? '' : `  signed by ${doc.dsSubject}`}`,
    );
    if (doc.validity !== undefined) {
      lines.push(
        `      MSO signed ${doc.validity.signed}, valid ${doc.validity.validFrom} .. ${doc.validity.validUntil}`,
      );
    }
    const checkRows = doc.checks.map((c) => [
      Mark[c.status],
      c.id,
      c.status === 'passed' ? '' : (c.code ?? ''),
      c.message,
    ]);
    lines.push(...table(checkRows, ['', 'check', 'code', 'detail'], '      ').trimEnd().split('\n'));
    if (doc.elements.length > 0) {
      lines.push('');
      const rows = doc.elements.map((e) => [
        // An element whose own entry has findings (a value of the wrong schema type) is never a clean 'ok'.
        !e.verified ? '!!' : e.findings !== undefined ? 'warn' : doc.deviceAuthenticated ? 'ok' : 'ok*',
        e.source,
        `${e.nameSpace === 'org.iso.18013.5.1' ? '' : `${e.nameSpace}/`}${e.identifier}`,
        elementText(e),
      ]);
      lines.push(...table(rows, ['', 'source', 'element', 'value'], '      ').trimEnd().split('\n'));
    }
    for (const e of doc.errors) {
      lines.push(`      not returned: ${e.nameSpace}/${e.identifier} (error ${e.errorCode})`);
    }
  }
  return lines;
}

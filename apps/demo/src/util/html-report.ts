import type { Inspection } from '@mdlkit/reader/inspect';

/** What the HTML report shows besides the reader's report. */
export interface HtmlReportInput {
  /** The verification report (`verifyDeviceResponse`'s result). */
  readonly report: {
    readonly verified: boolean;
    readonly version: string;
    readonly responseStatus: number;
    readonly documents: readonly {
      readonly docType: string;
      readonly verified: boolean;
      readonly checks: readonly {
        readonly id: string;
        readonly status: string;
        readonly code?: string;
        readonly message: string;
      }[];
      readonly elements: readonly {
        readonly nameSpace: string;
        readonly identifier: string;
        readonly value: unknown;
        readonly verified: boolean;
        readonly source: string;
      }[];
      readonly dsSubject?: string;
      readonly deviceAuthMethod?: string;
      readonly validity?: {
        readonly signed: string;
        readonly validFrom: string;
        readonly validUntil: string;
      };
    }[];
  };
  /** The response as the inspector read it (for the certificate chain). */
  readonly inspection?: Inspection;
  /** Subjects of the trust anchors given. */
  readonly anchors: readonly string[];
  readonly now: Date;
  readonly policy: string;
  readonly file: string;
}

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function mediaType(b: Uint8Array): string | undefined {
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png';
  if (b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] === 0x0c && b[4] === 0x6a) return 'image/jp2';
  return undefined;
}

function valueHtml(v: unknown): string {
  if (v instanceof Uint8Array) {
    const type = mediaType(v);
    if (type !== undefined) {
      return `<img alt="portrait" src="data:${type};base64,${Buffer.from(v).toString('base64')}"><br><small>${type}, ${v.length} bytes</small>`;
    }
    return `<code>h'${esc(Buffer.from(v.subarray(0, 32)).toString('hex'))}${v.length > 32 ? '…' : ''}'</code> <small>(${v.length} bytes)</small>`;
  }
  const p = plain(v);
  return esc(typeof p === 'string' ? p : (JSON.stringify(p) ?? String(p)));
}

function plain(v: unknown): unknown {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return `h'${Buffer.from(v).toString('hex')}'`;
  if (
    v !== null &&
    typeof v === 'object' &&
    'value' in v &&
    typeof (v as { value: unknown }).value === 'string'
  ) {
    return (v as { value: string }).value; // FullDate, TDate
  }
  return v;
}

const STATUS_CLASS: Readonly<Record<string, string>> = {
  passed: 'pass',
  failed: 'fail',
  skipped: 'skip',
  warning: 'warn',
  undetermined: 'warn',
};

/**
 * A self-contained HTML page (no external resources) for one verification: the verdict in colour,
 * every check, the disclosed elements with the portrait, and the certificate chain.
 */
export function renderHtmlReport(input: HtmlReportInput): string {
  const { report } = input;
  const verdict = report.verified ? 'VERIFIED' : 'NOT VERIFIED';
  const docs = report.documents
    .map((d) => {
      const checks = d.checks
        .map(
          (c) =>
            `<tr class="${STATUS_CLASS[c.status] ?? ''}"><td>${esc(c.status)}</td><td><code>${esc(c.id)}</code></td><td>${esc(c.code ?? '')}</td><td>${esc(c.message)}</td></tr>`,
        )
        .join('\n');
      const elements = d.elements
        .map(
          (e) =>
            `<tr class="${e.verified ? 'pass' : 'fail'}"><td>${e.verified ? '✔' : '✘'}</td><td>${esc(e.nameSpace)}</td><td><code>${esc(e.identifier)}</code></td><td>${valueHtml(e.value)}</td><td>${esc(e.source)}</td></tr>`,
        )
        .join('\n');
      const validity =
        d.validity === undefined
          ? ''
          : `<p>MSO signed ${esc(d.validity.signed)}, valid ${esc(d.validity.validFrom)} – ${esc(d.validity.validUntil)}</p>`;
      return `<section>
<h2>${esc(d.docType)} — <span class="${d.verified ? 'pass' : 'fail'}">${d.verified ? 'verified' : 'not verified'}</span></h2>
<p>Document signer: ${esc(d.dsSubject ?? 'unknown')}; device authentication: ${esc(d.deviceAuthMethod ?? 'none')}</p>
${validity}
<h3>Checks</h3>
<table><thead><tr><th>status</th><th>check</th><th>code</th><th>message</th></tr></thead><tbody>
${checks}
</tbody></table>
<h3>Elements</h3>
<table><thead><tr><th></th><th>namespace</th><th>element</th><th>value</th><th>source</th></tr></thead><tbody>
${elements}
</tbody></table>
</section>`;
    })
    .join('\n');
  const chain = (input.inspection?.certificates ?? [])
    .map(
      (c) =>
        `<tr><td>${esc(c.subject)}</td><td>${esc(c.issuer)}</td><td>${esc(c.notBefore.toISOString())} – ${esc(c.notAfter.toISOString())}</td><td>${esc(c.profile ?? 'undetermined')}</td></tr>`,
    )
    .join('\n');
  const anchors = input.anchors.map((a) => `<li>${esc(a)}</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>mdlkit verify — ${verdict}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;max-width:70rem;color:#1b1b1b}
h1.verdict{padding:.6rem 1rem;border-radius:6px;color:#fff}
h1.pass{background:#1a7f37} h1.fail{background:#cf222e}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
td,th{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
tr.pass td:first-child{color:#1a7f37} tr.fail td:first-child{color:#cf222e;font-weight:bold}
tr.warn td:first-child{color:#9a6700} tr.skip td:first-child{color:#6e7781}
span.pass{color:#1a7f37} span.fail{color:#cf222e}
img{max-width:12rem;border:1px solid #d0d7de}
small,footer{color:#57606a}
</style></head><body>
<h1 class="verdict ${report.verified ? 'pass' : 'fail'}">${verdict}</h1>
<p>${esc(input.file)} — DeviceResponse version ${esc(report.version)}, status ${report.responseStatus};
verified at ${esc(input.now.toISOString())} under the ${esc(input.policy)} policy.</p>
${docs}
<section><h2>Certificate chain</h2>
<table><thead><tr><th>subject</th><th>issuer</th><th>validity</th><th>Annex B profile</th></tr></thead><tbody>
${chain}
</tbody></table>
<p>Trust anchors given:</p><ul>${anchors}</ul></section>
<footer>Written by mdlkit verify --html. Self-contained: no scripts, no external resources.</footer>
</body></html>
`;
}

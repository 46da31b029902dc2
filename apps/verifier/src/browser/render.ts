/** Renders reports, values and certificate chains into the page. */
import type { InspectFinding, InspectNode } from '@mdlkit/reader/inspect';
import type { ViewCheck, ViewDocument, ViewReport, ViewValue } from '../shared/view-model.js';
import { h } from './dom.js';
import type { ChainEntry } from './verify-local.js';

/** Object URLs made for portraits; revoked when the view is rendered again. */
const objectUrls: string[] = [];

/** Revokes the object URLs of the previous rendering. */
export function releaseImages(): void {
  for (const u of objectUrls.splice(0)) URL.revokeObjectURL(u);
}

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The image type of bytes a browser can show (JPEG, PNG), by their magic numbers. */
function imageType(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'image/png';
  return undefined;
}

/** A value as the page shows it: text, a nested list, or an image for picture bytes. */
export function renderValue(v: ViewValue, identifier = ''): Node {
  if (v === null) return h('span', { class: 'v-null' }, 'null');
  if (typeof v === 'string') return h('span', { class: 'v-text' }, v);
  if (typeof v === 'number' || typeof v === 'boolean') return h('span', { class: 'v-scalar' }, String(v));
  switch (v.$) {
    case 'bytes': {
      const bytes = hexToBytes(v.hex);
      const type = imageType(bytes);
      if (type !== undefined) {
        const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
        objectUrls.push(url);
        return h('img', {
          class: 'portrait',
          src: url,
          alt: identifier === '' ? 'image' : identifier,
          'data-testid': `image-${identifier}`,
        });
      }
      const shown = v.hex.length > 96 ? `${v.hex.slice(0, 96)}…` : v.hex;
      return h('span', { class: 'v-bytes', title: `${v.length} bytes` }, `h'${shown}' (${v.length} bytes)`);
    }
    case 'full-date':
      return h('span', { class: 'v-date' }, v.value, h('small', {}, ' full-date'));
    case 'tdate':
      return h('span', { class: 'v-date' }, v.value, h('small', {}, ' tdate'));
    case 'bigint':
      return h('span', { class: 'v-scalar' }, v.value);
    case 'simple':
      return h('span', { class: 'v-scalar' }, `simple(${v.value})`);
    case 'undefined':
      return h('span', { class: 'v-null' }, 'undefined');
    case 'tag':
      return h('span', { class: 'v-tag' }, `${v.tag}(`, renderValue(v.value), ')');
    case 'array':
      return h('ol', { class: 'v-array', start: '0' }, ...v.items.map((i) => h('li', {}, renderValue(i))));
    case 'map':
      return h(
        'dl',
        { class: 'v-map' },
        ...v.entries.map(([k, val]) => [
          h('dt', {}, renderValue(k)),
          h('dd', {}, renderValue(val, typeof k === 'string' ? k : '')),
        ]),
      );
  }
}

const MARK: Readonly<Record<ViewCheck['status'], string>> = {
  passed: '✔ passed',
  failed: '✘ failed',
  skipped: '– skipped',
  undetermined: '? undetermined',
};

/** A table of checks: id, outcome, code, message. */
export function renderChecks(checks: readonly ViewCheck[], testid: string): HTMLElement {
  return h(
    'table',
    { class: 'checks', 'data-testid': testid },
    h(
      'thead',
      {},
      h('tr', {}, h('th', {}, 'check'), h('th', {}, 'outcome'), h('th', {}, 'code'), h('th', {}, 'why')),
    ),
    h(
      'tbody',
      {},
      ...checks.map((c) =>
        h(
          'tr',
          { class: `status-${c.status}`, 'data-check': c.id, 'data-status': c.status },
          h('td', {}, h('code', {}, c.id)),
          h('td', {}, MARK[c.status]),
          h('td', {}, c.code === undefined ? '' : h('code', {}, c.code)),
          h('td', {}, c.message),
        ),
      ),
    ),
  );
}

/** The failed checks of a report, as `id (code)` strings. */
export function failedChecks(report: ViewReport): string[] {
  const all = [...report.protocolChecks, ...report.documents.flatMap((d) => d.checks)];
  return all
    .filter((c) => c.status === 'failed')
    .map((c) => (c.code === undefined ? c.id : `${c.id} (${c.code})`));
}

/** The verdict banner: VERIFIED, or NOT VERIFIED with the checks that failed. */
export function renderVerdict(report: ViewReport, testid: string): HTMLElement {
  const failed = failedChecks(report);
  const why =
    report.verified || failed.length > 0
      ? failed
      : [report.documents.length === 0 ? 'the response carries no document' : 'a document did not verify'];
  return h(
    'div',
    { class: report.verified ? 'verdict verified' : 'verdict not-verified', 'data-testid': testid },
    h('strong', {}, report.verified ? 'VERIFIED' : 'NOT VERIFIED'),
    why.length === 0 ? null : h('span', { class: 'why' }, ` — failed: ${why.join(', ')}`),
  );
}

function renderDocument(doc: ViewDocument, testids: { doctype: string }): HTMLElement {
  return h(
    'section',
    { class: `document ${doc.verified ? 'verified' : 'not-verified'}` },
    h(
      'h3',
      {},
      h('span', { 'data-testid': testids.doctype }, doc.docType),
      h('span', { class: 'badge' }, doc.verified ? 'verified' : 'not verified'),
    ),
    doc.dsSubject === undefined ? null : h('p', { class: 'meta' }, `Document signer: ${doc.dsSubject}`),
    doc.validity === undefined
      ? null
      : h(
          'p',
          { class: 'meta' },
          `MSO signed ${doc.validity.signed}, valid ${doc.validity.validFrom} → ${doc.validity.validUntil}`,
        ),
    doc.deviceAuthMethod === undefined
      ? null
      : h('p', { class: 'meta' }, `Device authentication: ${doc.deviceAuthMethod}`),
    h('h4', {}, 'Disclosed elements'),
    doc.elements.length === 0
      ? h('p', {}, 'none')
      : h(
          'table',
          { class: 'elements', 'data-testid': 'elements' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, 'namespace'),
              h('th', {}, 'element'),
              h('th', {}, 'value'),
              h('th', {}, 'verified'),
            ),
          ),
          h(
            'tbody',
            {},
            ...doc.elements.map((e) =>
              h(
                'tr',
                { 'data-element': e.identifier, class: e.verified ? 'status-passed' : 'status-failed' },
                h('td', {}, h('code', {}, e.nameSpace)),
                h('td', {}, h('code', {}, e.identifier)),
                h('td', {}, renderValue(e.value, e.identifier)),
                h('td', {}, e.verified ? `✔ ${e.source}` : '✘ no'),
              ),
            ),
          ),
        ),
    doc.errors.length === 0
      ? null
      : h(
          'p',
          { class: 'meta' },
          `Not returned: ${doc.errors.map((e) => `${e.identifier} (${e.errorCode})`).join(', ')}`,
        ),
    h('h4', {}, 'Checks'),
    renderChecks(doc.checks, 'checks'),
  );
}

/** A whole report: verdict, protocol checks, then each document. */
export function renderReport(report: ViewReport, testids: { verdict: string; doctype: string }): HTMLElement {
  return h(
    'div',
    { class: 'report' },
    renderVerdict(report, testids.verdict),
    report.protocol === undefined ? null : h('p', { class: 'meta' }, `Protocol: ${report.protocol}`),
    report.protocolChecks.length === 0
      ? null
      : [h('h4', {}, 'Protocol checks'), renderChecks(report.protocolChecks, 'protocol-checks')],
    ...report.documents.map((d) => renderDocument(d, testids)),
    report.documentErrors.length === 0
      ? null
      : h(
          'p',
          {},
          `Documents not returned: ${report.documentErrors.map((e) => `${e.docType} (${e.errorCode})`).join(', ')}`,
        ),
  );
}

/** A certificate chain with each certificate's Annex B findings. */
export function renderChain(chain: readonly ChainEntry[], title: string): HTMLElement {
  return h(
    'section',
    { class: 'chain', 'data-testid': 'chain' },
    h('h4', {}, title),
    chain.length === 0 ? h('p', {}, 'no certificate found') : null,
    h(
      'ol',
      {},
      ...chain.map((c) =>
        h(
          'li',
          { class: 'cert' },
          h(
            'div',
            {},
            h('strong', {}, c.certificate.subject.text || '(empty subject)'),
            ` — ${c.profile ?? 'unknown profile'}, from ${c.from}`,
          ),
          h(
            'div',
            { class: 'meta' },
            `issuer ${c.certificate.issuer.text}; valid ${c.certificate.notBefore.toISOString()} → ${c.certificate.notAfter.toISOString()}; serial ${c.certificate.serialHex}`,
          ),
          c.findings.length === 0
            ? h('div', { class: 'lint-clean' }, 'Annex B linter: no findings')
            : h(
                'ul',
                { class: 'lint', 'data-testid': 'lint-findings' },
                ...c.findings.map((f) =>
                  h(
                    'li',
                    { class: `severity-${f.severity}` },
                    h('code', {}, f.rule),
                    ` ${f.severity}: ${f.message} (${f.clause})`,
                  ),
                ),
              ),
        ),
      ),
    ),
  );
}

/** Most nodes rendered at once; the rest of a huge tree is summarised (the inspection itself is bounded too). */
const MAX_RENDERED_NODES = 5_000;

/**
 * The tree of an inspection (`@mdlkit/reader/inspect`): label, CDDL structure, CBOR type, size,
 * the value (images shown as images), notes; containers open to the first levels.
 */
export function renderInspectNode(root: InspectNode): HTMLElement {
  let budget = MAX_RENDERED_NODES;
  const node = (n: InspectNode, depth: number): HTMLElement => {
    budget--;
    const head = h(
      'span',
      { class: 'node-head' },
      h('code', { class: 'node-label' }, n.label),
      n.structure === undefined ? null : h('span', { class: 'node-structure' }, ` ${n.structure}`),
      h(
        'small',
        { class: 'node-type' },
        ` ${n.type}${n.tag === undefined ? '' : `(${n.tag})`}${n.length === undefined ? '' : ` ×${n.length}`}${n.derived === true ? '' : `, ${n.size} B`}`,
      ),
      n.value === undefined ? null : [': ', h('span', { class: 'v-text' }, String(n.value))],
      n.media !== undefined
        ? [
            ' ',
            renderValue(
              { $: 'bytes', hex: toHexLocal(n.media.bytes), length: n.media.bytes.length },
              n.element?.identifier ?? n.label,
            ),
          ]
        : n.bytes === undefined
          ? null
          : [
              ' ',
              h(
                'span',
                { class: 'v-bytes' },
                `h'${toHexLocal(n.bytes.subarray(0, 48))}${n.bytes.length > 48 ? '…' : ''}'`,
              ),
            ],
      n.note === undefined ? null : h('em', { class: 'node-note' }, ` — ${n.note}`),
    );
    const kids = n.children ?? [];
    if (kids.length === 0) return h('li', {}, head);
    if (budget <= 0) return h('li', {}, head, h('p', { class: 'meta' }, `… ${kids.length} more not shown`));
    const shown = kids.filter(() => budget-- > 0);
    return h(
      'li',
      {},
      h(
        'details',
        { open: depth < 3 },
        h('summary', {}, head),
        h('ul', { class: 'tree' }, ...shown.map((c) => node(c, depth + 1))),
        shown.length < kids.length
          ? h('p', { class: 'meta' }, `… ${kids.length - shown.length} more not shown`)
          : null,
      ),
    );
  };
  return h('ul', { class: 'tree root' }, node(root, 0));
}

function toHexLocal(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** The inspection's findings: CDDL mismatches, certificate lint findings, lenient-decoding notes. */
export function renderFindings(findings: readonly InspectFinding[]): HTMLElement {
  return h(
    'section',
    { class: 'findings' },
    h('h4', {}, 'Findings'),
    h(
      'ul',
      { class: 'lint', 'data-testid': 'inspect-findings' },
      ...findings.map((f) =>
        h(
          'li',
          { class: `severity-${f.severity}` },
          h('code', {}, f.code),
          ` ${f.severity}: ${f.message}`,
          f.path === '' ? null : h('small', {}, ` at ${f.path}`),
          f.clause === undefined ? null : h('small', {}, ` (${f.clause})`),
        ),
      ),
    ),
  );
}

/** The inspector view: decode what was pasted or dropped, and verify it in the page. */

import { DEFAULT_CBOR_LIMITS } from '@mdlkit/core/cbor';
import { MdlError } from '@mdlkit/core/errors';
import {
  type DetectedInput,
  detectInputFormat,
  type Inspection,
  InspectKind,
  inspectMdoc,
} from '@mdlkit/reader/inspect';
import QRCode from 'qrcode';
import { byId, h, replace } from './dom.js';
import { releaseImages, renderChain, renderFindings, renderInspectNode, renderReport } from './render.js';
import { documentChains, optionalBytes, readLeniently, verifyLocally } from './verify-local.js';

/** Largest input read: the CBOR decoder's own input limit, so nothing bigger is ever decoded. */
const MAX_INPUT_BYTES: number = DEFAULT_CBOR_LIMITS.maxInputSize;

function base64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function message(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${e.message}` : e.message;
  }
  return String(e);
}

function errorCode(e: unknown): string | undefined {
  const code = e instanceof Error ? (e as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** An error shown in place of the output; its stable code (if any) is in `data-code` for tools. */
function errorBox(e: unknown, prefix = ''): HTMLElement {
  const code = errorCode(e);
  return h(
    'p',
    { class: 'error', role: 'alert', 'data-testid': 'inspect-error', 'data-code': code },
    `${prefix}${message(e)}`,
  );
}

async function engagementQr(bytes: Uint8Array): Promise<HTMLElement> {
  const uri = `mdoc:${base64url(bytes)}`;
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'L', margin: 2 });
  return h(
    'figure',
    { class: 'qr' },
    h('img', {
      src: `data:image/svg+xml;base64,${btoa(svg)}`,
      alt: 'QR code of the device engagement',
      'data-testid': 'engagement-qr',
      'data-uri': uri,
    }),
    h(
      'figcaption',
      {},
      'Scan to start a proximity presentation: ',
      h('code', {}, uri.length > 80 ? `${uri.slice(0, 80)}…` : uri),
    ),
  );
}

function readFields(): {
  trustPem: string;
  transcript: Uint8Array | null;
  eReaderKeyText: string;
  now: Date;
  policy: 'strict' | 'lenient';
  lenientCbor: boolean;
} {
  const nowText = byId<HTMLInputElement>('inspect-now').value.trim();
  const now = nowText === '' ? new Date() : new Date(nowText);
  if (Number.isNaN(now.getTime())) throw new Error('verification time: not an ISO-8601 date-time');
  let transcript: Uint8Array | null;
  try {
    transcript = optionalBytes(
      byId<HTMLTextAreaElement>('inspect-transcript').value,
      'the session transcript',
    );
  } catch (e) {
    throw new Error(`session transcript: ${message(e)}`);
  }
  return {
    trustPem: byId<HTMLTextAreaElement>('inspect-trust').value,
    transcript,
    eReaderKeyText: byId<HTMLTextAreaElement>('inspect-ereader-key').value,
    now,
    policy: byId<HTMLSelectElement>('inspect-policy').value === 'strict' ? 'strict' : 'lenient',
    lenientCbor: byId<HTMLInputElement>('inspect-lenient-cbor').checked,
  };
}

/**
 * Decodes the input with `@mdlkit/reader/inspect` (the same inspection as `mdlkit inspect`), shows
 * the tree and its findings, and for a DeviceResponse verifies it in the page.
 */
async function inspect(input: DetectedInput, out: HTMLElement): Promise<void> {
  releaseImages();
  const parts: Node[] = [];
  const fields = readFields();
  let inspection: Inspection;
  try {
    inspection = inspectMdoc(input.bytes, { now: fields.now });
  } catch (e) {
    replace(out, errorBox(e));
    return;
  }
  parts.push(
    h(
      'p',
      { class: 'meta' },
      h('strong', { 'data-testid': 'inspect-kind' }, inspection.kind),
      ` — ${inspection.byteLength} bytes, read as `,
      h('span', { 'data-testid': 'inspect-format' }, input.format),
      inspection.truncated ? ' (tree cut short)' : '',
    ),
  );
  if (inspection.kind === InspectKind.DeviceEngagement) parts.push(await engagementQr(input.bytes));
  if (inspection.kind === InspectKind.DeviceResponse) {
    try {
      const report = await verifyLocally({ response: input.bytes, ...fields, ruleset: 'iso' });
      parts.push(renderReport(report, { verdict: 'inspect-verdict', doctype: 'inspect-doctype' }));
    } catch (e) {
      // Malformed for the reader (as `mdlkit verify` would refuse it): say so as the verdict, and
      // still show which documents a lenient read finds.
      parts.push(
        h(
          'div',
          { class: 'verdict not-verified', 'data-testid': 'inspect-verdict' },
          h('strong', {}, 'NOT VERIFIED'),
          h('span', { class: 'why' }, ` — the reader refused the input: ${message(e)}`),
        ),
      );
      let docTypes: string[] = [];
      try {
        docTypes = (readLeniently(input.bytes).documents ?? []).map((d) => d.docType);
      } catch {
        // nothing more to show
      }
      for (const d of docTypes)
        parts.push(h('h3', {}, 'Document ', h('span', { 'data-testid': 'inspect-doctype' }, d)));
    }
    if (fields.trustPem.trim() === '') {
      parts.push(
        h(
          'p',
          { class: 'hint' },
          'No trust anchors given: the chain cannot be validated. Paste the IACA or DS certificate (PEM) above.',
        ),
      );
    }
    if (fields.transcript === null) {
      parts.push(
        h('p', { class: 'hint' }, 'No session transcript given: device authentication was skipped.'),
      );
    }
    try {
      documentChains(input.bytes, fields.trustPem, 'iso').forEach((chain, i) => {
        parts.push(renderChain(chain, `Certificate chain of document ${i + 1}`));
      });
    } catch (e) {
      parts.push(errorBox(e, 'certificate chain: '));
    }
  } else if (inspection.certificates.length > 0) {
    parts.push(
      h(
        'section',
        { class: 'chain', 'data-testid': 'certificates' },
        h('h4', {}, 'Certificates'),
        h(
          'ul',
          {},
          ...inspection.certificates.map((c) =>
            h(
              'li',
              {},
              h('strong', {}, c.subject),
              ` — ${c.profile ?? 'unknown profile'}; issuer ${c.issuer}; valid ${c.notBefore.toISOString()} → ${c.notAfter.toISOString()}`,
            ),
          ),
        ),
      ),
    );
  }
  if (inspection.findings.length > 0) parts.push(renderFindings(inspection.findings));
  parts.push(
    h(
      'details',
      {
        class: 'structure',
        open: inspection.kind !== InspectKind.DeviceResponse,
        'data-testid': 'inspect-structure',
      },
      h('summary', {}, 'Decoded structure'),
      renderInspectNode(inspection.root),
    ),
  );
  replace(out, parts);
}

/** Wires the inspector's input, file drop and button. */
export function setUpInspector(): void {
  const input = byId<HTMLTextAreaElement>('inspect-input');
  const file = byId<HTMLInputElement>('inspect-file');
  const out = byId('inspect-output');
  const run = async (read: () => DetectedInput | Promise<DetectedInput>) => {
    out.setAttribute('aria-busy', 'true');
    try {
      await inspect(await read(), out);
    } catch (e) {
      replace(out, errorBox(e));
    } finally {
      out.setAttribute('aria-busy', 'false');
      out.dataset['done'] = String(Number(out.dataset['done'] ?? '0') + 1);
    }
  };
  byId('inspect-run').addEventListener(
    'click',
    () =>
      void run(() => {
        // Text is at most 2 characters a byte (hex) plus white space.
        if (input.value.length > MAX_INPUT_BYTES * 3) {
          throw new MdlError(
            'ERR_LIMIT_INPUT_SIZE',
            `the input is ${input.value.length} characters; the inspector reads at most ${MAX_INPUT_BYTES} bytes`,
            {
              details: { size: input.value.length, limit: MAX_INPUT_BYTES * 3 },
            },
          );
        }
        return detectInputFormat(input.value.trim(), { name: 'the input' });
      }),
  );
  const readDropped = async (f: File) => {
    // Refused before reading: a huge file is never held in memory.
    if (f.size > MAX_INPUT_BYTES) {
      throw new MdlError(
        'ERR_LIMIT_INPUT_SIZE',
        `the file is ${f.size} bytes; the inspector reads at most ${MAX_INPUT_BYTES}`,
        {
          details: { size: f.size, limit: MAX_INPUT_BYTES },
        },
      );
    }
    return detectInputFormat(new Uint8Array(await f.arrayBuffer()), { name: f.name.slice(0, 80) });
  };
  file.addEventListener('change', () => {
    const f = file.files?.[0];
    if (f !== undefined) void run(() => readDropped(f));
  });
  input.addEventListener('dragover', (e) => {
    e.preventDefault();
    input.classList.add('dragging');
  });
  input.addEventListener('dragleave', () => input.classList.remove('dragging'));
  input.addEventListener('drop', (e) => {
    e.preventDefault();
    input.classList.remove('dragging');
    const f = e.dataTransfer?.files[0];
    if (f !== undefined) void run(() => readDropped(f));
  });
  byId('inspect-use-server-trust').addEventListener('click', async () => {
    const res = await fetch('/api/config');
    const cfg = (await res.json()) as { trust: string[] };
    byId<HTMLTextAreaElement>('inspect-trust').value = cfg.trust.join('\n');
  });
}

/** The inspector view: decode what was pasted or dropped, and verify it in the page. */
import { decodeCbor } from '@mdlkit/core/cbor';
import { decodeDeviceEngagement } from '@mdlkit/core/mdoc';
import { lintCertificate, parseCertificate } from '@mdlkit/pki';
import QRCode from 'qrcode';
import { toViewValue } from '../shared/view-model.js';
import { byId, h, replace } from './dom.js';
import { type InputBytes, readFileInput, readTextInput } from './input.js';
import { releaseImages, renderChain, renderReport, renderValue } from './render.js';
import { documentChains, optionalBytes, readLeniently, verifyLocally } from './verify-local.js';

const LENIENT = { allowNonPreferred: true, allowIndefinite: true, lenientDates: true } as const;

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

function errorBox(text: string): HTMLElement {
  return h('p', { class: 'error', role: 'alert', 'data-testid': 'inspect-error' }, text);
}

/** The kind of structure, for the heading (a DeviceResponse is verified; other kinds are shown). */
type Kind = 'DeviceResponse' | 'DeviceEngagement' | 'certificate' | 'CBOR';

function classify(input: InputBytes, decoded: unknown): Kind {
  if (input.encoding === 'mdoc-uri') return 'DeviceEngagement';
  if (decoded instanceof Map && decoded.has('version') && decoded.has('status')) return 'DeviceResponse';
  try {
    decodeDeviceEngagement(input.bytes);
    return 'DeviceEngagement';
  } catch {
    return 'CBOR';
  }
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
    transcript = optionalBytes(byId<HTMLTextAreaElement>('inspect-transcript').value);
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

/** Decodes and (for a DeviceResponse) verifies the input; renders everything into the output area. */
async function inspect(input: InputBytes, out: HTMLElement): Promise<void> {
  releaseImages();
  const parts: Node[] = [];
  const summary = (kind: string) =>
    h(
      'p',
      { class: 'meta', 'data-testid': 'inspect-kind' },
      `${kind} — ${input.bytes.length} bytes, read as ${input.encoding}`,
    );

  if (input.bytes[0] === 0x30 && (input.pemLabel === undefined || input.pemLabel === 'CERTIFICATE')) {
    try {
      const cert = parseCertificate(input.bytes);
      const lint = lintCertificate(cert);
      parts.push(
        summary('X.509 certificate'),
        renderChain(
          [{ certificate: cert, from: 'x5chain', profile: lint.profile, findings: lint.findings }],
          'Certificate',
        ),
      );
      replace(out, parts);
      return;
    } catch {
      // not a certificate: try CBOR below
    }
  }
  let decoded: unknown;
  try {
    decoded = decodeCbor(input.bytes, LENIENT);
  } catch (e) {
    replace(out, summary('unreadable'), errorBox(message(e)));
    return;
  }
  const kind = classify(input, decoded);
  parts.push(summary(kind));
  if (kind === 'DeviceEngagement') parts.push(await engagementQr(input.bytes));
  if (kind === 'DeviceResponse') {
    try {
      const fields = readFields();
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
      documentChains(input.bytes, fields.trustPem, 'iso').forEach((chain, i) => {
        parts.push(renderChain(chain, `Certificate chain of document ${i + 1}`));
      });
    } catch (e) {
      parts.push(errorBox(message(e)));
    }
  }
  parts.push(
    h(
      'details',
      { class: 'structure', open: kind !== 'DeviceResponse' },
      h('summary', {}, 'Decoded structure'),
      renderValue(toViewValue(decoded)),
    ),
  );
  replace(out, parts);
}

/** Wires the inspector's input, file drop and button. */
export function setUpInspector(): void {
  const input = byId<HTMLTextAreaElement>('inspect-input');
  const file = byId<HTMLInputElement>('inspect-file');
  const out = byId('inspect-output');
  const run = async (read: () => InputBytes | Promise<InputBytes>) => {
    out.setAttribute('aria-busy', 'true');
    try {
      await inspect(await read(), out);
    } catch (e) {
      replace(out, errorBox(message(e)));
    } finally {
      out.setAttribute('aria-busy', 'false');
      out.dataset['done'] = String(Number(out.dataset['done'] ?? '0') + 1);
    }
  };
  byId('inspect-run').addEventListener('click', () => void run(() => readTextInput(input.value)));
  const readDropped = async (f: File) => readFileInput(new Uint8Array(await f.arrayBuffer()));
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

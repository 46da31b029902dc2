/** The request view: ask the browser for a credential over the Digital Credentials API. */
import type { RequestIntent, RequestPreset } from '../shared/presets.js';
import type { ViewReport } from '../shared/view-model.js';
import { byId, h, replace } from './dom.js';
import { releaseImages, renderReport } from './render.js';

/** What `GET /api/config` answers. */
export interface PageConfig {
  readonly origin: string;
  readonly presets: readonly RequestPreset[];
  readonly online: boolean;
  readonly protocols: readonly string[];
  readonly policy: string;
  readonly trust: readonly string[];
}

interface DigitalCredentialLike {
  readonly protocol: string;
  readonly data: unknown;
}

/** Whether this browser has the Digital Credentials API (the `DigitalCredential` interface). */
export function hasDigitalCredentialsApi(): boolean {
  return (
    typeof (globalThis as { DigitalCredential?: unknown }).DigitalCredential === 'function' &&
    typeof navigator.credentials?.get === 'function'
  );
}

async function postJson(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json().catch(() => ({ error: `HTTP ${res.status}` })) };
}

function status(text: string, kind: 'info' | 'error' = 'info'): void {
  replace(
    byId('request-status'),
    h(
      'p',
      { class: kind, 'data-testid': 'request-status', ...(kind === 'error' ? { role: 'alert' } : {}) },
      text,
    ),
  );
}

function customIntent(): RequestIntent {
  const docType = byId<HTMLInputElement>('custom-doctype').value.trim();
  const nameSpace = byId<HTMLInputElement>('custom-namespace').value.trim();
  const elements = byId<HTMLInputElement>('custom-elements')
    .value.split(/[\s,]+/)
    .filter((e) => e !== '');
  return { docType, nameSpaces: { [nameSpace]: elements }, intentToRetain: false };
}

/** Runs one request: build on the server, ask the browser, post the answer back, show the report. */
async function runRequest(config: PageConfig): Promise<void> {
  releaseImages();
  const out = byId('request-report');
  replace(out);
  const preset =
    (document.querySelector('input[name="preset"]:checked') as HTMLInputElement | null)?.value ??
    'age-over-18';
  const body = preset === 'custom' ? { intent: customIntent() } : { preset };
  status('Building the request…');
  const created = await postJson('/api/requests', body);
  if (created.status !== 200) {
    status(
      `The server refused the request: ${(created.json as { error?: string }).error ?? created.status}`,
      'error',
    );
    return;
  }
  const { id, digital } = created.json as { id: string; digital: { requests: unknown[] } };
  status(`Asking your wallet (${config.protocols.join(' or ')})…`);
  let credential: DigitalCredentialLike;
  try {
    credential = (await navigator.credentials.get({
      digital,
    } as CredentialRequestOptions)) as unknown as DigitalCredentialLike;
  } catch (e) {
    status(
      `The browser or wallet did not answer: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`,
      'error',
    );
    return;
  }
  if (credential === null || typeof credential.protocol !== 'string') {
    status('The browser returned no digital credential.', 'error');
    return;
  }
  status(`Verifying the ${credential.protocol} answer…`);
  const verified = await postJson('/api/responses', {
    id,
    protocol: credential.protocol,
    data: credential.data,
  });
  const report = verified.json as ViewReport;
  if (!Array.isArray((report as { protocolChecks?: unknown }).protocolChecks)) {
    status(
      `The server could not verify the answer: ${(verified.json as { error?: string }).error ?? verified.status}`,
      'error',
    );
    return;
  }
  status(`Answer received over ${credential.protocol}.`);
  replace(out, renderReport(report, { verdict: 'verdict', doctype: 'report-doctype' }));
}

/** Fills the preset choices and wires the request button. */
export function setUpRequestFlow(config: PageConfig): void {
  const support = byId('dc-support');
  const button = byId<HTMLButtonElement>('request-run');
  const presets = byId('presets');
  replace(
    presets,
    [
      ...config.presets.map((p) => ({ id: p.id, label: p.label })),
      { id: 'custom', label: 'Custom elements' },
    ].map((p, i) =>
      h(
        'label',
        { class: 'preset' },
        h('input', {
          type: 'radio',
          name: 'preset',
          value: p.id,
          checked: i === 0,
          'data-testid': `preset-${p.id}`,
        }),
        ` ${p.label}`,
      ),
    ),
  );
  presets.addEventListener('change', () => {
    const custom =
      (document.querySelector('input[name="preset"]:checked') as HTMLInputElement | null)?.value === 'custom';
    byId('custom-fields').hidden = !custom;
  });
  if (!hasDigitalCredentialsApi()) {
    replace(
      support,
      h(
        'p',
        { class: 'error', 'data-testid': 'dc-unsupported' },
        'This browser does not support the Digital Credentials API (navigator.credentials.get with "digital"), so it cannot ask a wallet for an mDL. Use a browser that has it (Chrome 141 or later, Safari 26 or later), or use the inspector below.',
      ),
    );
    button.disabled = true;
    return;
  }
  if (!config.online) {
    replace(
      support,
      h(
        'p',
        { class: 'error', 'data-testid': 'dc-unsupported' },
        'This server has no online protocols configured, so the request flow is off.',
      ),
    );
    button.disabled = true;
    return;
  }
  replace(
    support,
    h(
      'p',
      { class: 'info', 'data-testid': 'dc-supported' },
      `The Digital Credentials API is available. The server offers ${config.protocols.join(' and ')}; the browser and wallet pick one.`,
    ),
  );
  button.addEventListener('click', () => {
    button.disabled = true;
    runRequest(config)
      .catch((e: unknown) =>
        status(`Something went wrong: ${e instanceof Error ? e.message : String(e)}`, 'error'),
      )
      .finally(() => {
        button.disabled = false;
      });
  });
}

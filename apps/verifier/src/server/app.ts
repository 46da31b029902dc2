import { isMdlError } from '@mdlkit/core/errors';
import { derToPem, type TrustStore } from '@mdlkit/pki';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { checkIntent, REQUEST_PRESETS, type RequestIntent } from '../shared/presets.js';
import { failureReport, type ViewReport } from '../shared/view-model.js';
import type { BrowserAssets } from './assets.js';
import type { OnlineRequest, OnlineVerifier } from './online.js';
import { RequestStateStore } from './request-store.js';

/** Options for {@link createVerifierApp}. */
export interface VerifierAppOptions {
  /** The page's files ({@link buildBrowserAssets}). */
  readonly assets: BrowserAssets;
  /** Trust anchors for online responses (IACAs, pinned DS certificates, VICAL IACAs). */
  readonly trust: TrustStore;
  /** The origin the page is served from, which wallets bind their answers to (`http://localhost:8418`). */
  readonly origin: string;
  /** `lenient` (default, like `mdlkit verify`) or `strict`. */
  readonly policy?: 'strict' | 'lenient';
  /** `iso` (default) or `aamva`. */
  readonly ruleset?: 'iso' | 'aamva';
  /** Builds and verifies the Digital Credentials API requests; without it the request flow is off. */
  readonly online?: OnlineVerifier;
  /** Where request state lives (default: a store with a 300 s lifetime). */
  readonly store?: RequestStateStore<OnlineRequest['state']>;
  /** Clock for verification (default: the current time). */
  readonly now?: () => Date;
}

/**
 * The Content-Security-Policy of every response: scripts, styles and connections from the page's
 * own origin only (no inline script or style, no third-party origin); images also from `data:`
 * and `blob:` (portraits and QR codes the page renders itself).
 */
export const CONTENT_SECURITY_POLICY: Readonly<Record<string, readonly string[]>> = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  connectSrc: ["'self'"],
  formAction: ["'none'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
  objectSrc: ["'none'"],
};

/** Largest JSON body the API reads (an answer carries a DeviceResponse with a portrait, encrypted). */
const MAX_BODY = 1024 * 1024;

/**
 * The verifier web app: the page, and a JSON API for the Digital Credentials API flow.
 *
 * - `GET /`, `/app.js`, `/app.css`: the page (security headers on every response).
 * - `GET /api/config`: presets, whether the request flow is on, the server's trust anchors (PEM) for
 *   the inspector to use.
 * - `POST /api/requests` `{ preset } | { intent }`: builds the requests, keeps their state under a
 *   fresh id with an expiry, answers `{ id, expiresAt, digital: { requests } }` for
 *   `navigator.credentials.get`.
 * - `POST /api/responses` `{ id, protocol, data }`: takes the state of `id` (unknown, expired or used
 *   ids are refused), verifies the answer against it, answers the report ({@link ViewReport}).
 */
export function createVerifierApp(options: VerifierAppOptions): Hono {
  const store = options.store ?? new RequestStateStore<OnlineRequest['state']>();
  const policy = options.policy ?? 'lenient';
  const ruleset = options.ruleset ?? 'iso';
  const now = options.now ?? (() => new Date());
  const app = new Hono();

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: Object.fromEntries(
        Object.entries(CONTENT_SECURITY_POLICY).map(([k, v]) => [k, [...v]]),
      ),
      crossOriginOpenerPolicy: 'same-origin',
      crossOriginResourcePolicy: 'same-origin',
      referrerPolicy: 'no-referrer',
      xFrameOptions: 'DENY',
      permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
    }),
  );
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY,
      // Refused unread. For an answer this is the verdict: NOT VERIFIED, with the reason.
      onError: (c) => {
        const message = `the body is larger than ${MAX_BODY} bytes; it was not read`;
        if (c.req.path === '/api/responses') {
          return c.json(
            failureReport({ id: 'answer-size', status: 'failed', code: 'ERR_LIMIT_INPUT_SIZE', message }),
            413,
          );
        }
        return c.json({ error: message, code: 'ERR_LIMIT_INPUT_SIZE' }, 413);
      },
    }),
  );
  app.use('/api/*', async (c, next) => {
    c.header('Cache-Control', 'no-store');
    // State-changing calls come from our own page only (a cross-site form cannot send JSON, but
    // say so anyway rather than rely on it).
    if (c.req.method === 'POST') {
      const origin = c.req.header('origin');
      if (origin !== undefined && origin !== options.origin)
        return c.json({ error: 'cross-origin call' }, 403);
      if (!(c.req.header('content-type') ?? '').startsWith('application/json')) {
        return c.json({ error: 'send application/json' }, 415);
      }
    }
    return next();
  });

  for (const [route, file] of options.assets.files) {
    app.get(route, (c) => {
      c.header('Content-Type', file.type);
      c.header('Cache-Control', 'no-cache');
      return c.body(file.body.slice());
    });
  }

  app.get('/api/config', (c) =>
    c.json({
      origin: options.origin,
      presets: REQUEST_PRESETS,
      online: options.online !== undefined,
      protocols: options.online?.protocols ?? [],
      policy,
      ruleset,
      trust: options.trust.anchors().map((a) => derToPem(a.certificate.der, 'CERTIFICATE')),
    }),
  );

  app.post('/api/requests', async (c) => {
    if (options.online === undefined) return c.json({ error: 'the request flow is not configured' }, 503);
    const body = await readJson(c.req.raw);
    const intent = intentFrom(body);
    if (typeof intent === 'string') return c.json({ error: intent }, 400);
    const built = await options.online.createRequests({ intent, origin: options.origin, now: now() });
    let created: ReturnType<typeof store.create>;
    try {
      created = store.create(built.state);
    } catch (e) {
      if (isMdlError(e, 'ERR_ONLINE_STATE_LIMIT')) return c.json({ error: e.message, code: e.code }, 503);
      throw e;
    }
    return c.json({
      id: created.id,
      expiresAt: created.expiresAt.toISOString(),
      digital: { requests: built.requests },
    });
  });

  app.post('/api/responses', async (c) => {
    if (options.online === undefined) return c.json({ error: 'the request flow is not configured' }, 503);
    const body = await readJson(c.req.raw);
    if (!isRecord(body) || typeof body['id'] !== 'string' || typeof body['protocol'] !== 'string') {
      return c.json({ error: 'send { id, protocol, data }' }, 400);
    }
    const protocol = body['protocol'];
    let state: OnlineRequest['state'];
    try {
      state = store.consume(body['id']);
    } catch (e) {
      if (isMdlError(e)) {
        const report: ViewReport = failureReport(
          { id: 'online-state', status: 'failed', code: e.code, message: e.message },
          protocol,
        );
        return c.json(report, 409);
      }
      throw e;
    }
    const report = await options.online.verifyResponse({
      protocol,
      data: body['data'],
      state,
      trust: options.trust,
      policy,
      ruleset,
      now: now(),
      origin: c.req.header('origin') ?? options.origin,
    });
    return c.json(report);
  });

  app.onError((e, c) => {
    // Never echo internals; the page shows the code when there is one.
    if (isMdlError(e)) return c.json({ error: e.message, code: e.code }, 400);
    console.error(e);
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function readJson(req: Request): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    return undefined;
  }
}

/** The intent of a `POST /api/requests` body: a preset id, or a custom `{ docType, nameSpaces }`. */
function intentFrom(body: unknown): RequestIntent | string {
  if (!isRecord(body)) return 'send { preset } or { intent }';
  if (typeof body['preset'] === 'string') {
    const preset = REQUEST_PRESETS.find((p) => p.id === body['preset']);
    return preset ?? `unknown preset "${String(body['preset']).slice(0, 40)}"`;
  }
  const raw = body['intent'];
  if (!isRecord(raw) || typeof raw['docType'] !== 'string' || !isRecord(raw['nameSpaces'])) {
    return 'an intent needs docType and nameSpaces';
  }
  const nameSpaces: Record<string, string[]> = {};
  for (const [ns, ids] of Object.entries(raw['nameSpaces'])) {
    if (!Array.isArray(ids) || !ids.every((x) => typeof x === 'string')) {
      return 'nameSpaces maps a namespace to a list of element identifiers';
    }
    nameSpaces[ns] = ids as string[];
  }
  const intent: RequestIntent = {
    docType: raw['docType'],
    nameSpaces,
    intentToRetain: raw['intentToRetain'] === true,
  };
  return checkIntent(intent) ?? intent;
}

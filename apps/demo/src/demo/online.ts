import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnyCoseSigner } from '@mdlkit/core/crypto';
import { isMdlError } from '@mdlkit/core/errors';
import type { MdocStore } from '@mdlkit/holder';
import { answerAnnexCRequest, parseAnnexCRequest } from '@mdlkit/holder/annex-c';
import { answerOpenId4VpRequest, parseOpenId4VpRequest } from '@mdlkit/holder/oid4vp';
import type { TrustStore } from '@mdlkit/pki';
import { createAnnexCRequest, verifyAnnexCResponse } from '@mdlkit/reader/annex-c';
import {
  createOpenId4VpRequest,
  type OnlineState,
  type OnlineVerificationReport,
  type PresentationIntent,
  verifyOpenId4VpResponse,
} from '@mdlkit/reader/oid4vp';

/** What the online part of the demo needs from the story. */
export interface OnlineStoryOptions {
  readonly wallet: MdocStore;
  /** Issuer trust (the IACA) for the verifier. */
  readonly trust: TrustStore;
  /** Reader trust (the reader root) for the wallet. */
  readonly readerTrust: TrustStore;
  /** The verifier's reader key and certificate chain: signs the OpenID4VP request (x509_hash) and Annex C ReaderAuth. */
  readonly readerSigner: AnyCoseSigner;
  readonly readerChain: readonly Uint8Array[];
  readonly intent: PresentationIntent;
  readonly now: Date;
  /** Writes `online/<flow>/<name>`. */
  readonly write: (name: string, data: Uint8Array | string) => void;
  readonly note: (line: string) => void;
}

/** One flow's outcome. */
export interface OnlineFlowResult {
  readonly flow: 'oid4vp-dc-api' | 'annex-c';
  readonly report: OnlineVerificationReport;
}

type Flow = 'oid4vp-dc-api' | 'annex-c';

/**
 * A relying party's verifier over real loopback HTTP: `POST /<flow>/request` makes a request and keeps
 * its state in the server's store (the state never leaves the server); `POST /<flow>/response`
 * looks the state up by id, verifies once (the state is deleted: a replay finds no state) and
 * answers with the report. The browser's Origin header is the origin the verifier compares.
 */
export class DemoVerifierServer {
  readonly #states = new Map<string, OnlineState>();
  readonly #server: Server;
  readonly #options: OnlineStoryOptions;
  readonly reports: OnlineVerificationReport[] = [];

  constructor(options: OnlineStoryOptions) {
    this.#options = options;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((error: unknown) => {
        send(res, 500, { error: 'server_error', code: isMdlError(error) ? error.code : undefined });
      });
    });
  }

  /** Listens on 127.0.0.1 (a free port); returns the base URL. */
  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/(oid4vp-dc-api|annex-c)\/(request|response)$/.exec(req.url ?? '');
    if (req.method !== 'POST' || match === null) return send(res, 404, { error: 'not_found' });
    const flow = match[1] as Flow;
    const body = await readJson(req);
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin : undefined;
    if (match[2] === 'request') {
      if (origin === undefined) return send(res, 400, { error: 'origin_required' });
      const o = this.#options;
      const created =
        flow === 'oid4vp-dc-api'
          ? await createOpenId4VpRequest({
              intent: o.intent,
              responseMode: 'dc_api.jwt',
              origin,
              signing: {
                signer: o.readerSigner,
                certificateChain: o.readerChain,
                clientIdPrefix: 'x509_hash',
              },
              now: o.now,
            })
          : await createAnnexCRequest({
              intent: o.intent,
              origin,
              readerAuth: { signer: o.readerSigner, certificateChain: o.readerChain },
              now: o.now,
            });
      this.#states.set(created.state.id, created.state);
      return send(res, 200, { id: created.state.id, request: created.dcApi });
    }
    const id = (body as { id?: unknown }).id;
    const state = typeof id === 'string' ? this.#states.get(id) : undefined;
    if (state === undefined)
      return send(res, 404, { error: 'unknown_state', code: 'ERR_ONLINE_STATE_UNKNOWN' });
    this.#states.delete(state.id);
    const data = (body as { data?: unknown }).data as Record<string, unknown>;
    const options = {
      trust: this.#options.trust,
      now: this.#options.now,
      ...(origin === undefined ? {} : { origin }),
    };
    const report =
      state.protocol === 'openid4vp'
        ? await verifyOpenId4VpResponse(data, state, options)
        : await verifyAnnexCResponse(data, state, options);
    this.reports.push(report);
    return send(res, 200, {
      verified: report.verified,
      checks: report.checks.map((c) => ({
        id: c.id,
        status: c.status,
        ...(c.code === undefined ? {} : { code: c.code }),
      })),
      documents: report.presentations.flatMap((p) =>
        p.report.documents.map((d) => ({
          docType: d.docType,
          verified: d.verified,
          elements: d.elements.filter((e) => e.verified).map((e) => `${e.nameSpace}/${e.identifier}`),
        })),
      ),
    });
  }
}

/**
 * The test wallet behind a browser page on `pageOrigin`: asks the verifier for a request, hands it
 * to the wallet with the origin the browser asserts, posts the wallet's answer back.
 */
export async function presentOnline(
  base: string,
  flow: Flow,
  pageOrigin: string,
  options: OnlineStoryOptions,
): Promise<{
  request: unknown;
  response: unknown;
  verdict: Record<string, unknown>;
  deviceResponse: Uint8Array;
}> {
  const post = async (
    url: string,
    body: unknown,
  ): Promise<{ status: number; json: Record<string, unknown> }> => {
    const r = await fetch(`${base}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: pageOrigin },
      body: JSON.stringify(body),
    });
    return { status: r.status, json: (await r.json()) as Record<string, unknown> };
  };
  const started = await post(`/${flow}/request`, {});
  if (started.status !== 200) throw new Error(`verifier refused to make a request (${started.status})`);
  const request = started.json.request as Record<string, unknown>;
  const documents = options.wallet.list();
  let response: Record<string, unknown>;
  let deviceResponse: Uint8Array;
  if (flow === 'oid4vp-dc-api') {
    const parsed = await parseOpenId4VpRequest({
      request,
      origin: pageOrigin,
      readerTrust: options.readerTrust,
      now: options.now,
    });
    options.note(
      `wallet: signed request verified (${parsed.clientId?.slice(0, 22)}…), origin in expected_origins`,
    );
    const answer = await answerOpenId4VpRequest({ request: parsed, documents });
    response = answer.response;
    deviceResponse = answer.deviceResponses.values().next().value as Uint8Array;
  } else {
    const parsed = await parseAnnexCRequest({
      request,
      origin: pageOrigin,
      readerTrust: options.readerTrust,
      requireReaderAuth: true,
      now: options.now,
    });
    options.note(
      `wallet: ReaderAuth verified over the dcapi transcript (${parsed.deviceRequest.docRequests.length} DocRequest)`,
    );
    const answer = await answerAnnexCRequest({ request: parsed, documents });
    response = answer.response;
    deviceResponse = answer.deviceResponse;
  }
  const verdict = await post(`/${flow}/response`, { id: started.json.id, data: response });
  if (verdict.status !== 200) throw new Error(`verifier answered ${verdict.status}`);
  // The same response again: the state is gone, so it is refused.
  const replay = await post(`/${flow}/response`, { id: started.json.id, data: response });
  if (replay.status !== 404 || replay.json.code !== 'ERR_ONLINE_STATE_UNKNOWN')
    throw new Error('a replayed response was not refused');
  options.note('a replay of the same response is refused (ERR_ONLINE_STATE_UNKNOWN)');
  return { request, response, verdict: verdict.json, deviceResponse };
}

/** Runs both online flows over loopback HTTP and writes their artifacts. */
export async function runOnlineStory(options: OnlineStoryOptions): Promise<OnlineFlowResult[]> {
  const server = new DemoVerifierServer(options);
  const base = await server.listen();
  // The verifier page's origin as a browser would assert it (a DC API page must be a secure context;
  // the loopback server stands in for the site's backend).
  const pageOrigin = 'https://verifier.example';
  options.note(`verifier server on ${base} (loopback), page origin ${pageOrigin}`);
  const results: OnlineFlowResult[] = [];
  try {
    for (const flow of ['oid4vp-dc-api', 'annex-c'] as const) {
      const { request, response, verdict } = await presentOnline(base, flow, pageOrigin, options);
      const report = server.reports.at(-1)!;
      options.write(`online/${flow}/request.json`, `${JSON.stringify(request, null, 2)}\n`);
      options.write(`online/${flow}/response.json`, `${JSON.stringify(response, null, 2)}\n`);
      options.write(`online/${flow}/device-response.cbor`, report.presentations[0]!.deviceResponse);
      options.write(`online/${flow}/session-transcript.cbor`, report.sessionTranscript);
      const failed = report.checks.filter((c) => c.status === 'failed').map((c) => `${c.id} ${c.code}`);
      options.note(
        `${flow === 'oid4vp-dc-api' ? 'OpenID4VP 1.0 over the DC API (signed JAR, dc_api.jwt)' : 'ISO 18013-7 Annex C (org-iso-mdoc, HPKE)'}: ` +
          `verified=${String(verdict.verified)}; protocol checks ${report.checks.map((c) => `${c.id.replace('online-', '')}:${c.status}`).join(' ')}` +
          (failed.length > 0 ? `; failed ${failed.join(', ')}` : ''),
      );
      results.push({ flow, report });
    }
  } finally {
    await server.close();
  }
  return results;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 4 * 1024 * 1024) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  if (chunks.length === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return {};
  }
}

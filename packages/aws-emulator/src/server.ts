import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PCA_OPERATIONS } from './acm-pca/operations.js';
import { createPcaState } from './acm-pca/state.js';
import type { EmulatorState, Operation, OperationContext, PcaTimingOptions, S3Options } from './context.js';
import { AwsError } from './errors.js';
import { FaultController } from './faults.js';
import type { Input } from './internal/input.js';
import { KMS_OPERATIONS } from './kms/operations.js';
import { createKmsState } from './kms/state.js';

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  readonly port?: number;
  /** Interface to listen on; default `127.0.0.1` (loopback only). */
  readonly host?: string;
  /**
   * The default Region; default `us-east-1`. ACM-PCA works in it; KMS works in the Region of each
   * request's SigV4 credential scope (the client's `region`), like one Regional KMS endpoint per
   * Region, so clients of several Regions can share one emulator (multi-Region keys).
   */
  readonly region?: string;
  /** 12-digit account id used in ARNs; default `111122223333`. */
  readonly accountId?: string;
  /** Clock for creation dates, deletion windows and certificate validity; default `new Date()`. */
  readonly now?: () => Date;
  /** ACM-PCA asynchrony (pending polls). */
  readonly pca?: PcaTimingOptions;
  /** The S3 Block Public Access setting of CRL buckets (default: every bucket blocks public ACLs). */
  readonly s3?: S3Options;
  /** Largest request body accepted, in bytes; default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** Receives one line per request (`<operation> <status> <error>`); default: silent. */
  readonly log?: (line: string) => void;
}

/** A running emulator. */
export interface Emulator {
  /** Base URL to pass as the SDK client's `endpoint`, e.g. `http://127.0.0.1:45123`. */
  readonly endpoint: string;
  /** Same as {@link Emulator.endpoint}. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  readonly region: string;
  readonly accountId: string;
  /** Fault injection and per-operation call counters. */
  readonly faults: FaultController;
  /** Live state (keys, aliases, authorities, certificates) for assertions. */
  readonly state: EmulatorState;
  /** Stops listening, releases held responses and closes every connection. */
  close(): Promise<void>;
}

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

const SERVICES: Readonly<Record<string, Readonly<Record<string, Operation>>>> = {
  TrentService: KMS_OPERATIONS,
  ACMPrivateCA: PCA_OPERATIONS,
};

function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new AwsError('RequestEntityTooLargeException', 'Request body too large', 413));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * Starts the emulator: a loopback HTTP server speaking AWS JSON 1.1 for KMS (`TrentService.*`) and
 * AWS Private CA (`ACMPrivateCA.*`), for the real `@aws-sdk/client-kms` and
 * `@aws-sdk/client-acm-pca` clients (any SigV4 signature is accepted, but the header must be there).
 *
 * @example
 * ```ts
 * const emulator = await startEmulator();
 * const kms = new KMSClient({
 *   endpoint: emulator.endpoint,
 *   region: emulator.region,
 *   credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
 * });
 * // ...
 * await emulator.close();
 * ```
 * @throws {Error} when the port cannot be bound.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '111122223333';
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const faults = new FaultController();
  const state: EmulatorState = { kms: createKmsState(region), pca: createPcaState() };
  const closing = new AbortController();
  const context: OperationContext = {
    region,
    accountId,
    state,
    faults,
    publicAclBuckets: new Set(options.s3?.publicAclBuckets ?? []),
    pcaTiming: {
      csrPendingPolls: options.pca?.csrPendingPolls ?? 0,
      certificatePendingPolls: options.pca?.certificatePendingPolls ?? 0,
    },
    now: options.now ?? (() => new Date()),
  };

  /** Resolves after `ms` (or never, when undefined) unless the emulator closes or the client leaves. */
  function wait(ms: number | undefined, response: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        if (timer !== undefined) clearTimeout(timer);
        closing.signal.removeEventListener('abort', done);
        response.off('close', done);
        resolve();
      };
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      closing.signal.addEventListener('abort', done);
      response.on('close', done);
    });
  }

  function send(response: ServerResponse, status: number, body: unknown, requestId: string): void {
    if (response.destroyed || response.writableEnded) return;
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'content-type': JSON_CONTENT_TYPE,
      'content-length': Buffer.byteLength(text),
      'x-amzn-requestid': requestId,
    });
    response.end(text);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    let operationName = '-';
    try {
      const body = await readBody(request, maxBodyBytes);
      const target = request.headers['x-amz-target'];
      const [service, operation] = typeof target === 'string' ? target.split('.', 2) : [];
      const operations = service === undefined ? undefined : SERVICES[service];
      if (request.method !== 'POST' || operations === undefined || operation === undefined) {
        throw new AwsError('UnknownOperationException', '');
      }
      operationName = operation;
      faults.calls.record(operation);
      const authorization = request.headers.authorization;
      if (authorization === undefined) {
        throw new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
      }
      const scope = /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/([^/]+)\/[^/]+\/aws4_request,/.exec(
        authorization,
      );
      if (scope === null) {
        throw new AwsError(
          'IncompleteSignatureException',
          `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.`,
        );
      }
      // KMS is Regional: the request works in the Region it was signed for (the credential scope).
      const requestRegion = service === 'TrentService' ? scope[1]! : region;
      faults.calls.recordRegion(requestRegion, operation);
      const contentType = request.headers['content-type'] ?? '';
      if (!contentType.startsWith(JSON_CONTENT_TYPE)) {
        throw new AwsError('SerializationException', `Content type must be ${JSON_CONTENT_TYPE}`);
      }
      const handler = operations[operation];
      if (handler === undefined) throw new AwsError('UnknownOperationException', '');
      let input: unknown;
      try {
        input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch {
        throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
      }

      const decision = faults.decide(operation, requestRegion);
      faults.calls.enter(operation);
      try {
        if (decision.delayMs > 0) await wait(decision.delayMs, response);
        if (decision.hold !== undefined && !decision.hold.afterProcessing)
          await wait(decision.hold.ms, response);
        if (closing.signal.aborted || response.destroyed) return;
        if (decision.reset) {
          request.socket.resetAndDestroy();
          options.log?.(`${operationName} reset`);
          return;
        }
        if (decision.throttle) throw new AwsError('ThrottlingException', 'Rate exceeded');
        const output = await handler(
          requestRegion === context.region ? context : { ...context, region: requestRegion },
          input as Input,
        );
        if (decision.hold?.afterProcessing === true) await wait(decision.hold.ms, response);
        if (closing.signal.aborted) return;
        send(response, 200, output ?? {}, requestId);
        options.log?.(`${operationName} 200`);
      } finally {
        faults.calls.leave(operation);
      }
    } catch (error) {
      if (error instanceof AwsError) {
        send(response, error.status, { __type: error.type, message: error.message }, requestId);
        options.log?.(`${operationName} ${error.status} ${error.type}`);
        return;
      }
      const type = operationName in KMS_OPERATIONS ? 'KMSInternalException' : 'InternalFailure';
      send(response, 500, { __type: type, message: 'Internal error in the emulator' }, requestId);
      options.log?.(`${operationName} 500 ${type} ${error instanceof Error ? error.stack : String(error)}`);
    }
  }

  const server = createServer((request, response) => {
    void handle(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const endpoint = `http://${urlHost}:${address.port}`;
  return {
    endpoint,
    url: endpoint,
    port: address.port,
    host,
    region,
    accountId,
    faults,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

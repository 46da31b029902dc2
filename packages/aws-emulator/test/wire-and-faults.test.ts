import {
  CreateKeyCommand,
  DescribeKeyCommand,
  DisabledException,
  type KMSClient,
  SignCommand,
} from '@aws-sdk/client-kms';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/index.js';
import { errorOf, kmsClient } from './helpers.js';

let emulator: Emulator;
let kms: KMSClient;
let keyId: string;
const message = new TextEncoder().encode('fault injection');

beforeAll(async () => {
  emulator = await startEmulator();
  kms = kmsClient(emulator);
  const created = await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }));
  keyId = created.KeyMetadata!.KeyId!;
});
afterEach(() => {
  emulator.faults.clear();
  emulator.faults.calls.reset();
});
afterAll(async () => {
  kms.destroy();
  await emulator.close();
});

function sign(client: KMSClient = kms, options?: { abortSignal?: AbortSignal }) {
  return client.send(
    new SignCommand({ KeyId: keyId, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }),
    options,
  );
}

async function post(target: string | undefined, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(emulator.endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=00',
      ...(target === undefined ? {} : { 'x-amz-target': target }),
      ...headers,
    },
    body,
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('AWS JSON 1.1 wire format', () => {
  it('answers errors as HTTP 400 {"__type","message"} with x-amzn-RequestId', async () => {
    const response = await post('TrentService.DescribeKey', JSON.stringify({ KeyId: 'alias/none' }));
    expect(response.status).toBe(400);
    expect(response.body.__type).toBe('NotFoundException');
    expect(typeof response.body.message).toBe('string');
    expect(response.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
  });

  it('requires a SigV4 Authorization header, a known target and JSON', async () => {
    const missing = await post('TrentService.ListKeys', '{}', { authorization: '' });
    expect(missing.body.__type).toBe('IncompleteSignatureException');
    const unsigned = await fetch(emulator.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.ListKeys' },
      body: '{}',
    });
    expect(unsigned.status).toBe(400);
    expect(((await unsigned.json()) as { __type: string }).__type).toBe(
      'MissingAuthenticationTokenException',
    );
    expect((await post('TrentService.NoSuchOperation', '{}')).body.__type).toBe('UnknownOperationException');
    expect((await post(undefined, '{}')).body.__type).toBe('UnknownOperationException');
    expect((await post('TrentService.ListKeys', '{not json')).body.__type).toBe('SerializationException');
    expect(
      (
        await post(
          'TrentService.Sign',
          JSON.stringify({ KeyId: keyId, Message: '***', SigningAlgorithm: 'ECDSA_SHA_256' }),
        )
      ).body.__type,
    ).toBe('SerializationException');
    const ok = await post('TrentService.ListKeys', '{}');
    expect(ok.status).toBe(200);
    expect(Array.isArray(ok.body.Keys)).toBe(true);
  });

  it('the SDK surfaces an unmodeled ThrottlingException by name with its HTTP status', async () => {
    emulator.faults.throttleNext(1);
    const throttled = await errorOf(() => sign());
    expect(throttled.name).toBe('ThrottlingException');
    expect((throttled as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(400);
  });
});

describe('fault injection', () => {
  it('throttleNext: the SDK standard retry mode retries and succeeds; calls are counted per attempt', async () => {
    const retrying = kmsClient(emulator, 3);
    try {
      emulator.faults.throttleNext(2, { operations: ['Sign'] });
      const out = await sign(retrying);
      expect(out.Signature!.length).toBeGreaterThan(60);
      expect(emulator.faults.calls.count('Sign')).toBe(3);
      emulator.faults.throttleNext(3, { operations: ['Sign'] });
      const error = await errorOf(() => sign(retrying));
      expect(error.name).toBe('ThrottlingException');
      expect(emulator.faults.calls.count('Sign')).toBe(6);
    } finally {
      retrying.destroy();
    }
  });

  it('throttleNext leaves other operations alone', async () => {
    emulator.faults.throttleNext(1, { operations: ['Sign'] });
    const described = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    expect(described.KeyMetadata?.KeyId).toBe(keyId);
    expect((await errorOf(() => sign())).name).toBe('ThrottlingException');
  });

  it('throttleRate is seeded: the same seed throttles the same calls', async () => {
    async function pattern(): Promise<string> {
      emulator.faults.throttleRate(0.5, { seed: 42 });
      let out = '';
      for (let i = 0; i < 16; i++) {
        try {
          await sign();
          out += '.';
        } catch (error) {
          expect((error as Error).name).toBe('ThrottlingException');
          out += 'T';
        }
      }
      emulator.faults.throttleRate(0);
      return out;
    }
    const first = await pattern();
    const second = await pattern();
    expect(first).toBe(second);
    expect(first).toContain('T');
    expect(first).toContain('.');
  });

  it('failKey disabled: from the k-th call on the key is really Disabled', async () => {
    const created = await kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    const id = created.KeyMetadata!.KeyId!;
    emulator.faults.failKey(id, { fromCall: 3, mode: 'disabled' });
    const results: string[] = [];
    for (let i = 0; i < 4; i++) {
      try {
        await kms.send(new SignCommand({ KeyId: id, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }));
        results.push('ok');
      } catch (error) {
        expect(error).toBeInstanceOf(DisabledException);
        results.push('disabled');
      }
    }
    expect(results).toEqual(['ok', 'ok', 'disabled', 'disabled']);
    expect(emulator.state.kms.keys.get(id)?.keyState).toBe('Disabled');
  });

  it('failKey access-denied: AccessDeniedException from call k', async () => {
    emulator.faults.failKey(keyId, { fromCall: 1, mode: 'access-denied' });
    const error = await errorOf(() => sign());
    expect(error.name).toBe('AccessDeniedException');
    emulator.faults.clear();
    expect((await sign()).Signature).toBeDefined();
  });

  it('holdNext without a duration never answers: the client gives up (abort) and the next call works', async () => {
    emulator.faults.holdNext(1, { operations: ['Sign'] });
    const controller = new AbortController();
    const pending = errorOf(() => sign(kms, { abortSignal: controller.signal }));
    // Wait until the emulator has received the held call, then abort on the client side.
    while (emulator.faults.calls.count('Sign') === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    const error = await pending;
    expect(error.name).toBe('AbortError');
    expect((await sign()).Signature).toBeDefined();
  });

  it('holdNext afterProcessing runs the operation but the answer is lost', async () => {
    const before = emulator.state.kms.keys.size;
    emulator.faults.holdNext(1, { operations: ['CreateKey'], afterProcessing: true });
    const controller = new AbortController();
    const pending = errorOf(() =>
      kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }), {
        abortSignal: controller.signal,
      }),
    );
    while (emulator.state.kms.keys.size === before) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect((await pending).name).toBe('AbortError');
    expect(emulator.state.kms.keys.size).toBe(before + 1);
  });

  it('latency delays calls without failing them (fixed + seeded jitter)', async () => {
    emulator.faults.setLatency({ fixedMs: 5, jitterMs: 5, seed: 7, operations: ['Sign'] });
    const out = await sign();
    expect(out.Signature).toBeDefined();
    expect(() => emulator.faults.setLatency({ fixedMs: -1 })).toThrow(RangeError);
  });

  it('close() releases held responses', async () => {
    const local = await startEmulator();
    const client = kmsClient(local);
    const created = await client.send(new CreateKeyCommand({}));
    local.faults.holdNext(1);
    const pending = errorOf(() =>
      client.send(new DescribeKeyCommand({ KeyId: created.KeyMetadata!.KeyId! })),
    );
    while (local.faults.calls.count('DescribeKey') === 0)
      await new Promise((resolve) => setImmediate(resolve));
    await local.close();
    const error = await pending;
    expect(error).toBeInstanceOf(Error);
    client.destroy();
  });
});

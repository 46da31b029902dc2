import { aesGcmEncrypt, generateKeyPair, importPrivateKey } from '@mdlkit/core/crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EncodedCbor, encodeCbor, toHex } from '../src/cbor/index.js';
import {
  buildSessionTranscript,
  deriveSessionKeys,
  encodeSessionData,
  encodeSessionEstablishment,
  MAX_SESSION_COUNTER,
  parseSessionData,
  parseSessionEstablishment,
  SessionEncryption,
  type SessionKeys,
  SessionStatus,
  sessionIv,
} from '../src/session/index.js';
import { rejectsWith, throwsWith } from './helpers.js';

const keys: SessionKeys = {
  skReader: new Uint8Array(32).fill(0x11),
  skDevice: new Uint8Array(32).fill(0x22),
};
const msg = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('sessionIv', () => {
  it('is identifier ‖ big-endian counter (manifest aes_gcm_ivs)', () => {
    expect(toHex(sessionIv(0, 1))).toBe('000000000000000000000001');
    expect(toHex(sessionIv(1, 1))).toBe('000000000000000100000001');
    expect(toHex(sessionIv(1, 0x01020304))).toBe('000000000000000101020304');
    expect(toHex(sessionIv(0, MAX_SESSION_COUNTER))).toBe('0000000000000000ffffffff');
  });
  it('rejects counters outside 1 … 2^32 − 1 and unknown identifiers', () => {
    for (const c of [0, -1, 1.5, MAX_SESSION_COUNTER + 1, Number.NaN])
      throwsWith(() => sessionIv(0, c), 'ERR_INVALID_ARGUMENT');
    throwsWith(() => sessionIv(2, 1), 'ERR_INVALID_ARGUMENT');
  });
});

describe('SessionEncryption', () => {
  it('reader and mdoc talk in both directions with the right keys, IVs and counters', async () => {
    const reader = new SessionEncryption({ role: 'reader', keys });
    const mdoc = new SessionEncryption({ role: 'mdoc', keys });
    for (let i = 1; i <= 3; i++) {
      const toMdoc = await reader.encrypt(msg(`request ${i}`));
      // Independently: AES-256-GCM with SKReader and IV 0…0 ‖ i.
      const expected = await aesGcmEncrypt({
        key: keys.skReader,
        iv: sessionIv(0, i),
        plaintext: msg(`request ${i}`),
      });
      expect(toHex(toMdoc)).toBe(toHex(expected));
      expect(new TextDecoder().decode(await mdoc.decrypt(toMdoc))).toBe(`request ${i}`);
      const toReader = await mdoc.encrypt(msg(`response ${i}`));
      const expectedBack = await aesGcmEncrypt({
        key: keys.skDevice,
        iv: sessionIv(1, i),
        plaintext: msg(`response ${i}`),
      });
      expect(toHex(toReader)).toBe(toHex(expectedBack));
      expect(new TextDecoder().decode(await reader.decrypt(toReader))).toBe(`response ${i}`);
    }
    expect(reader.sendCounter).toBe(4);
    expect(mdoc.receiveCounter).toBe(4);
  });

  it('never reuses a counter, also for concurrent encrypts', async () => {
    const reader = new SessionEncryption({ role: 'reader', keys });
    const outs = await Promise.all([1, 2, 3, 4].map(() => reader.encrypt(msg('same'))));
    expect(new Set(outs.map(toHex)).size).toBe(4);
    const mdoc = new SessionEncryption({ role: 'mdoc', keys });
    for (const c of outs) expect(new TextDecoder().decode(await mdoc.decrypt(c))).toBe('same');
  });

  it('round-trips any payload (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 4 }),
        async (payloads) => {
          const reader = new SessionEncryption({ role: 'reader', keys });
          const mdoc = new SessionEncryption({ role: 'mdoc', keys });
          for (const p of payloads) {
            expect(toHex(await mdoc.decrypt(await reader.encrypt(p)))).toBe(toHex(p));
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('decrypt failure → ERR_SESSION_DECRYPT_FAILED and the session ends', async () => {
    const reader = new SessionEncryption({ role: 'reader', keys });
    const ct = await reader.encrypt(msg('hello'));
    const tampered = ct.slice();
    tampered[0] = tampered[0]! ^ 1;
    const mdoc = new SessionEncryption({ role: 'mdoc', keys });
    await rejectsWith(mdoc.decrypt(tampered), 'ERR_SESSION_DECRYPT_FAILED');
    expect(mdoc.terminated).toBe(true);
    await rejectsWith(mdoc.decrypt(ct), 'ERR_SESSION_TERMINATED');
    await rejectsWith(mdoc.encrypt(msg('x')), 'ERR_SESSION_TERMINATED');
  });

  it('wrong direction, wrong counter, wrong key and truncated data all fail to decrypt', async () => {
    const reader = new SessionEncryption({ role: 'reader', keys });
    const first = await reader.encrypt(msg('one'));
    const second = await reader.encrypt(msg('two'));
    // The reader cannot decrypt its own message (wrong key and identifier).
    await rejectsWith(
      new SessionEncryption({ role: 'reader', keys }).decrypt(first),
      'ERR_SESSION_DECRYPT_FAILED',
    );
    // Out of order: the mdoc expects counter 1.
    await rejectsWith(
      new SessionEncryption({ role: 'mdoc', keys }).decrypt(second),
      'ERR_SESSION_DECRYPT_FAILED',
    );
    // Replay: the second decrypt of the same message uses counter 2.
    const mdoc = new SessionEncryption({ role: 'mdoc', keys });
    await mdoc.decrypt(first);
    await rejectsWith(mdoc.decrypt(first), 'ERR_SESSION_DECRYPT_FAILED');
    const otherKeys = { skReader: new Uint8Array(32).fill(0x33), skDevice: keys.skDevice };
    await rejectsWith(
      new SessionEncryption({ role: 'mdoc', keys: otherKeys }).decrypt(first),
      'ERR_SESSION_DECRYPT_FAILED',
    );
    for (const short of [new Uint8Array(0), first.subarray(0, 15), first.subarray(0, first.length - 1)]) {
      await rejectsWith(
        new SessionEncryption({ role: 'mdoc', keys }).decrypt(short),
        'ERR_SESSION_DECRYPT_FAILED',
      );
    }
  });

  it('counter exhaustion → ERR_SESSION_COUNTER_EXHAUSTED (never wraps to a used IV)', async () => {
    const reader = new SessionEncryption({
      role: 'reader',
      keys,
      counters: { send: MAX_SESSION_COUNTER, receive: MAX_SESSION_COUNTER },
    });
    const last = await reader.encrypt(msg('last'));
    const expected = await aesGcmEncrypt({
      key: keys.skReader,
      iv: sessionIv(0, MAX_SESSION_COUNTER),
      plaintext: msg('last'),
    });
    expect(toHex(last)).toBe(toHex(expected));
    await rejectsWith(reader.encrypt(msg('one more')), 'ERR_SESSION_COUNTER_EXHAUSTED');
    await rejectsWith(reader.encrypt(msg('and again')), 'ERR_SESSION_COUNTER_EXHAUSTED');

    const mdoc = new SessionEncryption({
      role: 'mdoc',
      keys,
      counters: { send: 1, receive: MAX_SESSION_COUNTER },
    });
    expect(new TextDecoder().decode(await mdoc.decrypt(last))).toBe('last');
    await rejectsWith(mdoc.decrypt(last), 'ERR_SESSION_COUNTER_EXHAUSTED');
  });

  it('rejects bad construction arguments', () => {
    throwsWith(() => new SessionEncryption({ role: 'verifier' as 'mdoc', keys }), 'ERR_INVALID_ARGUMENT');
    throwsWith(
      () =>
        new SessionEncryption({
          role: 'mdoc',
          keys: { skReader: new Uint8Array(16), skDevice: keys.skDevice },
        }),
      'ERR_INVALID_ARGUMENT',
    );
    throwsWith(
      () => new SessionEncryption({ role: 'mdoc', keys: undefined as unknown as SessionKeys }),
      'ERR_INVALID_ARGUMENT',
    );
    throwsWith(
      () => new SessionEncryption({ role: 'mdoc', keys, counters: { send: 0, receive: 1 } }),
      'ERR_INVALID_ARGUMENT',
    );
  });

  it('copies the keys (later mutation of the caller’s arrays has no effect)', async () => {
    const mine = { skReader: keys.skReader.slice(), skDevice: keys.skDevice.slice() };
    const reader = new SessionEncryption({ role: 'reader', keys: mine });
    mine.skReader.fill(0);
    const mdoc = new SessionEncryption({ role: 'mdoc', keys });
    expect(new TextDecoder().decode(await mdoc.decrypt(await reader.encrypt(msg('ok'))))).toBe('ok');
  });

  it('SessionData helpers: data, data + termination, status-only termination, peer errors', async () => {
    const reader = new SessionEncryption({ role: 'reader', keys });
    const mdoc = new SessionEncryption({ role: 'mdoc', keys });
    const req = await mdoc.openSessionData(await reader.sealSessionData(msg('request')));
    expect(new TextDecoder().decode(req.plaintext!)).toBe('request');
    const last = await mdoc.sealSessionData(msg('response'), { terminate: true });
    expect(mdoc.terminated).toBe(true);
    expect(parseSessionData(last).status).toBe(20);
    const opened = await reader.openSessionData(last);
    expect(new TextDecoder().decode(opened.plaintext!)).toBe('response');
    expect(opened.status).toBe(SessionStatus.SESSION_TERMINATION);
    expect(reader.terminated).toBe(true);
    await rejectsWith(reader.openSessionData(last), 'ERR_SESSION_TERMINATED');

    const r2 = new SessionEncryption({ role: 'reader', keys });
    const errorOpened = await r2.openSessionData(
      encodeSessionData({ status: SessionStatus.ENCRYPTION_ERROR }),
    );
    expect(errorOpened).toEqual({ status: 10 });
    expect(r2.terminated).toBe(true);
  });

  it('only the reader seals SessionEstablishment', async () => {
    const mdoc = new SessionEncryption({ role: 'mdoc', keys });
    await rejectsWith(
      mdoc.sealSessionEstablishment(EncodedCbor.fromValue(new Map()), msg('x')),
      'ERR_INVALID_ARGUMENT',
    );
  });

  it('end to end with fresh keys: establish on both sides from each other’s public key', async () => {
    const eDevice = generateKeyPair({ curve: 'P-256' });
    const eReader = generateKeyPair({ curve: 'P-384' });
    const sameCurveReader = generateKeyPair({ curve: 'P-256' });
    const eDeviceKeyBytes = EncodedCbor.fromValue(
      new Map<number, unknown>([
        [1, 2],
        [-1, 1],
        [-2, eDevice.publicKey.x],
        [-3, eDevice.publicKey.y],
      ]),
    );
    const eReaderKeyBytes = EncodedCbor.fromValue(
      new Map<number, unknown>([
        [1, 2],
        [-1, 1],
        [-2, sameCurveReader.publicKey.x],
        [-3, sameCurveReader.publicKey.y],
      ]),
    );
    const sessionTranscript = buildSessionTranscript({
      deviceEngagementBytes: EncodedCbor.fromValue(new Map<number, unknown>([[0, '1.0']])),
      eReaderKeyBytes,
      handover: { kind: 'qr' },
    });
    const reader = await SessionEncryption.establish({
      role: 'reader',
      privateKey: sameCurveReader.privateKey,
      publicKey: eDeviceKeyBytes,
      sessionTranscript,
    });
    const first = parseSessionEstablishment(
      await reader.sealSessionEstablishment(eReaderKeyBytes, msg('DeviceRequest')),
    );
    const mdoc = await SessionEncryption.establish({
      role: 'mdoc',
      privateKey: eDevice.privateKey,
      publicKey: first.eReaderKeyBytes,
      sessionTranscript: sessionTranscript.encoded.tagged(),
    });
    expect(new TextDecoder().decode(await mdoc.decrypt(first.data))).toBe('DeviceRequest');
    // A key on another curve is a typed error, not a crash.
    await rejectsWith(
      deriveSessionKeys({ privateKey: eReader.privateKey, publicKey: eDeviceKeyBytes, sessionTranscript }),
      'ERR_CRYPTO_INVALID_KEY',
    );
  });
});

describe('session key inputs — typed errors', () => {
  const transcript = buildSessionTranscript({
    deviceEngagementBytes: EncodedCbor.fromValue(new Map<number, unknown>([[0, '1.0']])),
    eReaderKeyBytes: EncodedCbor.fromValue(new Map()),
    handover: { kind: 'qr' },
  });
  const privateKey = importPrivateKey({ format: 'raw', curve: 'P-256', d: new Uint8Array(32).fill(7) });
  const cases: Array<[string, unknown, string]> = [
    ['COSE_Key without crv', new Map<number, unknown>([[1, 2]]), 'ERR_CRYPTO_UNSUPPORTED_CURVE'],
    [
      'COSE_Key with unknown kty',
      new Map<number, unknown>([
        [1, 3],
        [-1, 1],
      ]),
      'ERR_COSE_KEY_INVALID',
    ],
    [
      'COSE_Key with unknown crv',
      new Map<number, unknown>([
        [1, 2],
        [-1, 99],
        [-2, new Uint8Array(32)],
      ]),
      'ERR_CRYPTO_UNSUPPORTED_CURVE',
    ],
    [
      'COSE_Key x not bytes',
      new Map<number, unknown>([
        [1, 2],
        [-1, 1],
        [-2, 'x'],
        [-3, new Uint8Array(32)],
      ]),
      'ERR_COSE_KEY_INVALID',
    ],
    [
      'COSE_Key point not on the curve',
      new Map<number, unknown>([
        [1, 2],
        [-1, 1],
        [-2, new Uint8Array(32)],
        [-3, new Uint8Array(32)],
      ]),
      'ERR_COSE_KEY_INVALID',
    ],
    ['COSE_Key bytes that are not a map', EncodedCbor.fromBytes(encodeCbor([1, 2])), 'ERR_COSE_KEY_INVALID'],
    ['a string', 'key', 'ERR_INVALID_ARGUMENT'],
  ];
  for (const [name, publicKey, code] of cases) {
    it(name, async () => {
      await rejectsWith(
        deriveSessionKeys({ privateKey, publicKey: publicKey as never, sessionTranscript: transcript }),
        code,
      );
    });
  }
  it('a bad transcript or private key', async () => {
    const publicKey = privateKey.publicKey;
    await rejectsWith(
      deriveSessionKeys({ privateKey, publicKey, sessionTranscript: new Uint8Array([0x83, 0xf6]) }),
      'ERR_TRANSCRIPT_INVALID',
    );
    await rejectsWith(
      deriveSessionKeys({ privateKey: publicKey as never, publicKey, sessionTranscript: transcript }),
      'ERR_INVALID_ARGUMENT',
    );
  });
});

describe('SessionEstablishment / SessionData codecs', () => {
  const eReaderKeyBytes = EncodedCbor.fromValue(new Map<number, unknown>([[1, 2]]));
  it('round-trip and key order', () => {
    const data = new Uint8Array([1, 2, 3]);
    const det = encodeSessionEstablishment({ eReaderKeyBytes, data });
    const ins = encodeSessionEstablishment({ eReaderKeyBytes, data }, { keyOrder: 'insertion' });
    expect(toHex(det).startsWith('a26464617461')).toBe(true); // "data" sorts first
    expect(toHex(ins).startsWith('a26a655265616465724b6579')).toBe(true); // CDDL order
    for (const bytes of [det, ins]) {
      const parsed = parseSessionEstablishment(bytes);
      expect(toHex(parsed.eReaderKeyBytes.tagged())).toBe(toHex(eReaderKeyBytes.tagged()));
      expect(toHex(parsed.data)).toBe('010203');
    }
    expect(parseSessionData(encodeSessionData({ data }))).toEqual({ data });
    expect(parseSessionData(encodeSessionData({ data, status: 20 }))).toEqual({ data, status: 20 });
    expect(toHex(encodeSessionData({ status: 20 }))).toBe('a16673746174757314');
    // RFU keys are ignored.
    expect(
      parseSessionData(
        encodeCbor(
          new Map<string, unknown>([
            ['status', 11],
            ['future', 1],
          ]),
        ),
      ),
    ).toEqual({ status: 11 });
  });

  it('malformed SessionEstablishment → ERR_STRUCTURE_INVALID / ERR_CBOR_*', () => {
    const bad: Array<[unknown, string]> = [
      [[1, 2], 'ERR_STRUCTURE_INVALID'],
      [new Map<string, unknown>([['data', new Uint8Array(1)]]), 'ERR_STRUCTURE_INVALID'],
      [new Map<string, unknown>([['eReaderKey', eReaderKeyBytes]]), 'ERR_STRUCTURE_INVALID'],
      [
        new Map<string, unknown>([
          ['eReaderKey', new Uint8Array(3)],
          ['data', new Uint8Array(1)],
        ]),
        'ERR_STRUCTURE_INVALID',
      ],
      [
        new Map<string, unknown>([
          ['eReaderKey', eReaderKeyBytes],
          ['data', 'text'],
        ]),
        'ERR_STRUCTURE_INVALID',
      ],
      [
        new Map<unknown, unknown>([
          ['eReaderKey', eReaderKeyBytes],
          ['data', new Uint8Array(1)],
          [1, 2],
        ]),
        'ERR_STRUCTURE_INVALID',
      ],
    ];
    for (const [value, code] of bad) throwsWith(() => parseSessionEstablishment(encodeCbor(value)), code);
    throwsWith(() => parseSessionEstablishment(new Uint8Array([0xa2, 0x64])), 'ERR_CBOR_TRUNCATED');
  });

  it('malformed SessionData → ERR_STRUCTURE_INVALID', () => {
    const bad: unknown[] = [
      new Map(),
      new Map<string, unknown>([['status', 12]]),
      new Map<string, unknown>([['status', '20']]),
      new Map<string, unknown>([['data', 5]]),
      new Map<string, unknown>([
        ['data', new Uint8Array(1)],
        ['status', 10],
      ]),
      new Map<string, unknown>([
        ['data', new Uint8Array(1)],
        ['status', 11],
      ]),
      'SessionData',
    ];
    for (const value of bad) throwsWith(() => parseSessionData(encodeCbor(value)), 'ERR_STRUCTURE_INVALID');
  });

  it('encoders reject inconsistent messages', () => {
    throwsWith(() => encodeSessionData({}), 'ERR_INVALID_ARGUMENT');
    throwsWith(() => encodeSessionData({ data: new Uint8Array(1), status: 10 }), 'ERR_INVALID_ARGUMENT');
    throwsWith(() => encodeSessionData({ status: 21 as 20 }), 'ERR_INVALID_ARGUMENT');
    throwsWith(
      () =>
        encodeSessionEstablishment({ eReaderKeyBytes: new Uint8Array(1) as never, data: new Uint8Array(1) }),
      'ERR_INVALID_ARGUMENT',
    );
  });
});

/**
 * Every resource limit, hit exactly (accepted) and just over (its own `MdlError` code): core's
 * CBOR decoder limits (`DEFAULT_CBOR_LIMITS`) and the reader's (`DEFAULT_READER_LIMITS`), at
 * their defaults and at custom values. "Accepted" means the limit did not fire: the decoder
 * returns a value; the reader returns a report (or fails later on something that is not a limit).
 */
import {
  concatBytes,
  DEFAULT_CBOR_LIMITS,
  decodeCbor,
  EncodedCbor,
  encodeCbor,
  fromHex,
} from '@mdlkit/core/cbor';
import { importPrivateKey } from '@mdlkit/core/crypto';
import { isMdlError } from '@mdlkit/core/errors';
import { TrustStore } from '@mdlkit/pki';
import { DEFAULT_READER_LIMITS, type ReaderLimits, verifyDeviceResponse } from '@mdlkit/reader';
import { beforeAll, describe, expect, it } from 'vitest';
import { indexCbor } from '../src/fuzz/cbor-spans.js';
import { encodeHead } from '../src/fuzz/mutate.js';
import { buildSeedCorpus, type FuzzSeed } from '../src/fuzz/seeds.js';

type CborMap = Map<unknown, unknown>;

/** The code thrown by `action`, or `'none'`. Anything thrown that is not an MdlError fails the test. */
function codeOf(action: () => unknown): string {
  try {
    action();
    return 'none';
  } catch (error) {
    if (!isMdlError(error)) throw error;
    return error.code;
  }
}

async function asyncCodeOf(action: () => Promise<unknown>): Promise<string> {
  try {
    await action();
    return 'none';
  } catch (error) {
    if (!isMdlError(error)) throw error;
    return error.code;
  }
}

const nested = (depth: number): Uint8Array => {
  const out = new Uint8Array(depth + 1).fill(0x81);
  out[depth] = 0x00;
  return out;
};
/** An array of `n` zeros: `1 + n` items. */
const zeros = (n: number): Uint8Array => {
  const head = encodeHead(4, n);
  const out = new Uint8Array(head.length + n);
  out.set(head);
  return out;
};
const bstr = (n: number): Uint8Array => {
  const head = encodeHead(2, n);
  const out = new Uint8Array(head.length + n);
  out.set(head);
  return out;
};
const tstr = (n: number): Uint8Array => {
  const head = encodeHead(3, n);
  const out = new Uint8Array(head.length + n).fill(0x61);
  out.set(head);
  return out;
};
/** Exactly `total` bytes: an array of byte strings, none longer than `chunk`. */
function sized(total: number, chunk: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let left = total - 1; // the array head (≤ 23 elements)
  while (left > 0) {
    const headLen = encodeHead(2, Math.min(chunk, left)).length;
    const n = Math.min(chunk, left - headLen);
    const b = bstr(n);
    parts.push(b);
    left -= b.length;
  }
  const out = new Uint8Array(total);
  out[0] = 0x80 | parts.length;
  let at = 1;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('core CBOR limits (decodeCbor)', () => {
  const D = DEFAULT_CBOR_LIMITS;
  it('defaults are the documented ones', () => {
    expect(D).toEqual({
      maxInputSize: 16 * 1024 * 1024,
      maxDepth: 64,
      maxItems: 1024 * 1024,
      maxStringLength: 8 * 1024 * 1024,
    });
  });

  it.each([
    ['default', D.maxInputSize, undefined],
    ['custom', 1000, { maxInputSize: 1000 }],
  ] as const)(
    'maxInputSize (%s): exactly accepted, one byte over → ERR_CBOR_INPUT_TOO_LARGE',
    (_, limit, options) => {
      const exact = sized(limit, Math.min(D.maxStringLength, limit) - 16);
      expect(exact).toHaveLength(limit);
      expect(codeOf(() => decodeCbor(exact, options))).toBe('none');
      expect(
        codeOf(() => decodeCbor(sized(limit + 1, Math.min(D.maxStringLength, limit) - 16), options)),
      ).toBe('ERR_CBOR_INPUT_TOO_LARGE');
    },
  );

  it.each([
    ['default', D.maxDepth, undefined],
    ['custom', 5, { maxDepth: 5 }],
  ] as const)(
    'maxDepth (%s): arrays, maps and tags nested exactly to the limit, then one deeper → ERR_CBOR_DEPTH_EXCEEDED',
    (_, limit, options) => {
      expect(codeOf(() => decodeCbor(nested(limit), options))).toBe('none');
      expect(codeOf(() => decodeCbor(nested(limit + 1), options))).toBe('ERR_CBOR_DEPTH_EXCEEDED');
      // a tag and a map count as levels too: 24(<<1>>) is not nesting, but tag 55799 is
      const tagged = new Uint8Array([...new Uint8Array(limit - 1).fill(0x81), 0xd9, 0xd9, 0xf7, 0x00]);
      expect(codeOf(() => decodeCbor(tagged, options))).toBe('none');
      const mapped = new Uint8Array([...new Uint8Array(limit).fill(0x81), 0xa1, 0x00, 0x00]);
      expect(codeOf(() => decodeCbor(mapped, options))).toBe('ERR_CBOR_DEPTH_EXCEEDED');
    },
  );

  it.each([
    ['default', D.maxItems, undefined],
    ['custom', 100, { maxItems: 100 }],
  ] as const)(
    'maxItems (%s): exactly that many items, then one more → ERR_CBOR_ITEM_COUNT_EXCEEDED',
    (_, limit, options) => {
      expect(codeOf(() => decodeCbor(zeros(limit - 1), options))).toBe('none');
      expect(codeOf(() => decodeCbor(zeros(limit), options))).toBe('ERR_CBOR_ITEM_COUNT_EXCEEDED');
      // map keys count too: {0: 0, …} with (limit − 1) / 2 entries is within the limit, one more is not
      if (options !== undefined) {
        const map = (entries: number) =>
          concatBytes(
            encodeHead(5, entries),
            ...Array.from({ length: entries }, (_, i) => concatBytes(encodeHead(0, i), new Uint8Array(1))),
          );
        const entries = Math.floor((limit - 1) / 2);
        expect(codeOf(() => decodeCbor(map(entries), options))).toBe('none');
        expect(codeOf(() => decodeCbor(map(entries + 1), options))).toBe('ERR_CBOR_ITEM_COUNT_EXCEEDED');
      }
    },
  );

  it.each([
    ['default', D.maxStringLength, undefined],
    ['custom', 64, { maxStringLength: 64 }],
  ] as const)(
    'maxStringLength (%s): byte, text and indefinite strings of exactly the limit, one byte more → ERR_CBOR_STRING_TOO_LONG',
    (_, limit, options) => {
      expect(codeOf(() => decodeCbor(bstr(limit), options))).toBe('none');
      expect(codeOf(() => decodeCbor(bstr(limit + 1), options))).toBe('ERR_CBOR_STRING_TOO_LONG');
      expect(codeOf(() => decodeCbor(tstr(limit), options))).toBe('none');
      expect(codeOf(() => decodeCbor(tstr(limit + 1), options))).toBe('ERR_CBOR_STRING_TOO_LONG');
      const half = Math.floor(limit / 2);
      const chunks = (extra: number) =>
        concatBytes(new Uint8Array([0x5f]), bstr(half), bstr(limit - half + extra), new Uint8Array([0xff]));
      expect(codeOf(() => decodeCbor(chunks(0), { ...options, allowIndefinite: true }))).toBe('none');
      expect(codeOf(() => decodeCbor(chunks(1), { ...options, allowIndefinite: true }))).toBe(
        'ERR_CBOR_STRING_TOO_LONG',
      );
    },
  );

  it('a declared length or count far beyond the input fails before any allocation', () => {
    const huge = new Uint8Array([0x5b, 0x00, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]); // bstr of 2^53 − 1
    expect(codeOf(() => decodeCbor(huge))).toBe('ERR_CBOR_TRUNCATED');
    expect(codeOf(() => decodeCbor(new Uint8Array([0x9a, 0xff, 0xff, 0xff, 0xff])))).toBe(
      'ERR_CBOR_TRUNCATED',
    );
  });
});

describe('reader limits (verifyDeviceResponse)', () => {
  let seed: FuzzSeed;
  let response: CborMap;
  let verify: (bytes: Uint8Array, limits?: Partial<ReaderLimits>) => Promise<string>;
  let verifiedUnder: (limits: Partial<ReaderLimits>) => Promise<boolean>;
  const encode = (value: unknown): Uint8Array => encodeCbor(value, { keyOrder: 'insertion' });
  const withDocs = (docs: unknown[]): Uint8Array => encode(new Map([...response, ['documents', docs]]));
  const firstDoc = (): CborMap => (response.get('documents') as CborMap[])[0]!;
  /** doc 0 with its IssuerSigned / DeviceSigned / IssuerAuth replaced as asked. */
  function doc(change: {
    issuerNameSpaces?: unknown;
    deviceNameSpaces?: EncodedCbor;
    x5chain?: unknown;
  }): CborMap {
    const d = firstDoc();
    const issuerSigned = new Map(d.get('issuerSigned') as CborMap);
    const deviceSigned = new Map(d.get('deviceSigned') as CborMap);
    if (change.issuerNameSpaces !== undefined) issuerSigned.set('nameSpaces', change.issuerNameSpaces);
    if (change.deviceNameSpaces !== undefined) deviceSigned.set('nameSpaces', change.deviceNameSpaces);
    if (change.x5chain !== undefined) {
      const [p, u, payload, sig] = issuerSigned.get('issuerAuth') as [unknown, CborMap, unknown, unknown];
      issuerSigned.set('issuerAuth', [p, new Map([...u, [33, change.x5chain]]), payload, sig]);
    }
    return new Map([...d, ['issuerSigned', issuerSigned], ['deviceSigned', deviceSigned]]);
  }
  const firstItem = (): EncodedCbor => {
    const ns = (firstDoc().get('issuerSigned') as CborMap).get('nameSpaces') as Map<string, EncodedCbor[]>;
    return [...ns.values()][0]![0]!;
  };
  const issuerItems = (n: number) => new Map([['org.iso.18013.5.1', Array.from({ length: n }, firstItem)]]);
  const deviceNameSpaces = (namespaces: number, perNamespace: number) =>
    EncodedCbor.fromValue(
      new Map(
        Array.from({ length: namespaces }, (_, i) => [
          `org.example.ns${i}`,
          new Map(Array.from({ length: perNamespace }, (_, k) => [`e${k}`, k])),
        ]),
      ),
    );
  const dsCertificate = (): Uint8Array => {
    const issuerAuth = (firstDoc().get('issuerSigned') as CborMap).get('issuerAuth') as [unknown, CborMap];
    return issuerAuth[1].get(33) as Uint8Array;
  };
  const rfu = (value: unknown): Uint8Array => encode(new Map([...response, ['rfu', value]]));

  beforeAll(async () => {
    const corpus = await buildSeedCorpus();
    seed = corpus.seeds.find((s) => s.name === 'own/device-response')!;
    response = decodeCbor(seed.bytes) as CborMap;
    // re-encoding the decoded response in received order gives the received bytes back
    expect(encode(response)).toEqual(seed.bytes);
    const { context } = seed;
    const options = {
      trust: new TrustStore(context.trustAnchors.map((h) => fromHex(h))),
      sessionTranscript: fromHex(context.sessionTranscript!),
      eReaderKey: importPrivateKey({ format: 'raw', curve: 'P-256', d: fromHex(context.eReaderKeyD!) }),
      now: new Date(context.now),
      policy: context.policy,
    };
    verify = (bytes, limits) =>
      asyncCodeOf(async () => {
        const report = await verifyDeviceResponse(
          bytes,
          limits === undefined ? options : { ...options, limits },
        );
        expect(report.documents.length).toBeGreaterThan(0);
      });
    verifiedUnder = async (limits) =>
      (await verifyDeviceResponse(seed.bytes, { ...options, limits })).verified;
    expect((await verifyDeviceResponse(seed.bytes, options)).verified).toBe(true);
  });

  const R = DEFAULT_READER_LIMITS;
  it('defaults are the documented ones', () => {
    expect(R).toEqual({
      maxInputSize: 4 * 1024 * 1024,
      maxDocuments: 16,
      maxNameSpaces: 64,
      maxElements: 1024,
      maxX5chainLength: 4,
      maxCertificateSize: 16 * 1024,
      maxDepth: 32,
      maxItems: 100_000,
      maxStringLength: 2 * 1024 * 1024,
      maxDecodedBytes: 12 * 1024 * 1024,
    });
  });

  it('maxInputSize → ERR_LIMIT_INPUT_SIZE (custom: the response itself; default: 4 MiB)', async () => {
    expect(await verify(seed.bytes, { maxInputSize: seed.bytes.length })).toBe('none');
    expect(await verify(seed.bytes, { maxInputSize: seed.bytes.length - 1 })).toBe('ERR_LIMIT_INPUT_SIZE');
    // 4 MiB of byte strings is not a DeviceResponse (a structure error), one byte more is a limit
    expect(await verify(sized(R.maxInputSize, R.maxStringLength - 16))).toBe('ERR_STRUCTURE_INVALID');
    expect(await verify(sized(R.maxInputSize + 1, R.maxStringLength - 16))).toBe('ERR_LIMIT_INPUT_SIZE');
  });

  it('maxDocuments → ERR_LIMIT_DOCUMENTS', async () => {
    expect(await verify(seed.bytes, { maxDocuments: 2 })).toBe('none');
    expect(await verify(seed.bytes, { maxDocuments: 1 })).toBe('ERR_LIMIT_DOCUMENTS');
    const copies = (n: number) => withDocs(Array.from({ length: n }, firstDoc));
    expect(await verify(copies(R.maxDocuments))).toBe('none');
    expect(await verify(copies(R.maxDocuments + 1))).toBe('ERR_LIMIT_DOCUMENTS');
  });

  it('maxNameSpaces → ERR_LIMIT_NAMESPACES, issuer- and device-signed counted separately', async () => {
    const issuerNs = (n: number) =>
      withDocs([
        doc({
          issuerNameSpaces: new Map(
            Array.from({ length: n }, (_, i) => [`org.example.ns${i}`, [firstItem()]]),
          ),
        }),
      ]);
    expect(await verify(issuerNs(R.maxNameSpaces))).toBe('none');
    expect(await verify(issuerNs(R.maxNameSpaces + 1))).toBe('ERR_LIMIT_NAMESPACES');
    expect(await verify(issuerNs(3), { maxNameSpaces: 3 })).toBe('none');
    expect(await verify(issuerNs(4), { maxNameSpaces: 3 })).toBe('ERR_LIMIT_NAMESPACES');
    const deviceNs = (n: number) => withDocs([doc({ deviceNameSpaces: deviceNameSpaces(n, 1) })]);
    expect(await verify(deviceNs(R.maxNameSpaces))).toBe('none');
    expect(await verify(deviceNs(R.maxNameSpaces + 1))).toBe('ERR_LIMIT_NAMESPACES');
  });

  it('maxElements → ERR_LIMIT_ELEMENTS, issuer- and device-signed together', async () => {
    const issuerOnly = (n: number) => withDocs([doc({ issuerNameSpaces: issuerItems(n) })]);
    expect(await verify(issuerOnly(R.maxElements))).toBe('none');
    expect(await verify(issuerOnly(R.maxElements + 1))).toBe('ERR_LIMIT_ELEMENTS');
    const mixed = (issuer: number, device: number) =>
      withDocs([
        doc({ issuerNameSpaces: issuerItems(issuer), deviceNameSpaces: deviceNameSpaces(1, device) }),
      ]);
    expect(await verify(mixed(6, 4), { maxElements: 10 })).toBe('none');
    expect(await verify(mixed(6, 5), { maxElements: 10 })).toBe('ERR_LIMIT_ELEMENTS');
    expect(await verify(mixed(7, 4), { maxElements: 10 })).toBe('ERR_LIMIT_ELEMENTS');
  });

  it('maxX5chainLength → ERR_LIMIT_X5CHAIN_LENGTH', async () => {
    const iaca = fromHex(seed.context.trustAnchors[0]!);
    const chain = (n: number) =>
      withDocs([doc({ x5chain: [dsCertificate(), ...Array.from({ length: n - 1 }, () => iaca)] })]);
    expect(await verify(chain(R.maxX5chainLength))).toBe('none');
    expect(await verify(chain(R.maxX5chainLength + 1))).toBe('ERR_LIMIT_X5CHAIN_LENGTH');
    expect(await verify(seed.bytes, { maxX5chainLength: 1 })).toBe('none');
    expect(await verify(seed.bytes, { maxX5chainLength: 0 })).toBe('ERR_LIMIT_X5CHAIN_LENGTH');
  });

  it('maxCertificateSize → ERR_LIMIT_CERTIFICATE_SIZE', async () => {
    const ds = dsCertificate();
    expect(await verify(seed.bytes, { maxCertificateSize: ds.length })).toBe('none');
    expect(await verify(seed.bytes, { maxCertificateSize: ds.length - 1 })).toBe(
      'ERR_LIMIT_CERTIFICATE_SIZE',
    );
    const padded = (n: number) => {
      const der = new Uint8Array(n);
      der.set(ds);
      return withDocs([doc({ x5chain: der })]);
    };
    expect(await verify(padded(R.maxCertificateSize))).toBe('none');
    expect(await verify(padded(R.maxCertificateSize + 1))).toBe('ERR_LIMIT_CERTIFICATE_SIZE');
  });

  it('maxDepth → ERR_CBOR_DEPTH_EXCEEDED, in the response and inside embedded CBOR', async () => {
    const deep = (levels: number): unknown => (levels === 0 ? 0 : [deep(levels - 1)]);
    // the response map is level 1, so an RFU value nested (limit − 1) deep reaches the limit exactly
    expect(await verify(rfu(deep(R.maxDepth - 1)))).toBe('none');
    expect(await verify(rfu(deep(R.maxDepth)))).toBe('ERR_CBOR_DEPTH_EXCEEDED');
    expect(await verify(rfu(deep(9)), { maxDepth: 10 })).toBe('none');
    expect(await verify(rfu(deep(10)), { maxDepth: 10 })).toBe('ERR_CBOR_DEPTH_EXCEEDED');
    // Depth carries through tag 24: response (1) → documents (2) → Document (3) → deviceSigned (4)
    // → tag 24 (5) → DeviceNameSpaces (6) → namespace map (7) → element value nested to the limit
    const inDevice = (levels: number) =>
      withDocs([
        doc({
          deviceNameSpaces: EncodedCbor.fromValue(new Map([['org.example', new Map([['e', deep(levels)]])]])),
        }),
      ]);
    expect(await verify(inDevice(R.maxDepth - 7))).toBe('none');
    expect(await verify(inDevice(R.maxDepth - 6))).toBe('ERR_CBOR_DEPTH_EXCEEDED');
  });

  it('maxItems → ERR_CBOR_ITEM_COUNT_EXCEEDED, one budget for the whole response', async () => {
    // The smallest maxItems the response verifies under (custom limits: no MSO memo involved).
    let lo = 1;
    let hi = R.maxItems;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if ((await verify(seed.bytes, { maxItems: mid })) === 'none') hi = mid;
      else lo = mid + 1;
    }
    const total = lo;
    expect(await verify(seed.bytes, { maxItems: total })).toBe('none');
    expect(await verify(seed.bytes, { maxItems: total - 1 })).toBe('ERR_CBOR_ITEM_COUNT_EXCEEDED');
    // Every embedded level (IssuerSignedItems, MSO, DeviceNameSpaces) counts against the same budget
    // as the outer response, plus the COSE protected headers.
    const levels = indexCbor(seed.bytes);
    const outer = levels[0]!.spans.length;
    const largestEmbedded = Math.max(...levels.slice(1).map((l) => l.spans.length));
    expect(total).toBeGreaterThan(outer + largestEmbedded);
    // an RFU entry adds a key, an array head and its elements, all within the same budget
    const fill = (extra: number) => rfu(new Array(extra - 2).fill(0));
    const limits = { maxItems: R.maxItems };
    expect(await verify(fill(R.maxItems - total), limits)).toBe('none');
    expect(await verify(fill(R.maxItems - total + 1), limits)).toBe('ERR_CBOR_ITEM_COUNT_EXCEEDED');
  });

  it('maxDecodedBytes → ERR_CBOR_INPUT_TOO_LARGE, the bytes of every decode of the response together', async () => {
    // The smallest byte budget the response verifies under (custom limits: no MSO memo involved).
    let lo = 1;
    let hi = R.maxDecodedBytes;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if ((await verify(seed.bytes, { maxDecodedBytes: mid })) === 'none') hi = mid;
      else lo = mid + 1;
    }
    const total = lo;
    expect(await verify(seed.bytes, { maxDecodedBytes: total })).toBe('none');
    // …and verifies under it: the budget running out anywhere (the device signature's headers
    // too) stops the call, so no smaller budget yields a report with a failed check instead.
    expect(await verifiedUnder({ maxDecodedBytes: total })).toBe(true);
    expect(await verify(seed.bytes, { maxDecodedBytes: total - 1 })).toBe('ERR_CBOR_INPUT_TOO_LARGE');
    // The embedded levels (IssuerSignedItems, MSO, DeviceNameSpaces, COSE headers) re-read bytes of
    // their container and count too: more than the response itself.
    expect(total).toBeGreaterThan(seed.bytes.length);
  });

  it('maxStringLength → ERR_CBOR_STRING_TOO_LONG', async () => {
    // the longest byte / text string anywhere in the response, embedded levels included
    const longest = Math.max(
      ...indexCbor(seed.bytes).flatMap((l) =>
        l.spans.filter((s) => s.major === 2 || s.major === 3).map((s) => s.argument),
      ),
    );
    expect(await verify(seed.bytes, { maxStringLength: longest })).toBe('none');
    expect(await verify(seed.bytes, { maxStringLength: longest - 1 })).toBe('ERR_CBOR_STRING_TOO_LONG');
    expect(await verify(rfu(new Uint8Array(R.maxStringLength)))).toBe('none');
    expect(await verify(rfu(new Uint8Array(R.maxStringLength + 1)))).toBe('ERR_CBOR_STRING_TOO_LONG');
    expect(await verify(rfu('a'.repeat(R.maxStringLength + 1)))).toBe('ERR_CBOR_STRING_TOO_LONG');
  });

  it('limits that are not non-negative integers → ERR_INVALID_ARGUMENT', async () => {
    expect(await verify(seed.bytes, { maxDocuments: -1 })).toBe('ERR_INVALID_ARGUMENT');
    expect(await verify(seed.bytes, { maxDepth: 1.5 })).toBe('ERR_INVALID_ARGUMENT');
  });
});

import { Decoder, Encoder, Tag } from 'cbor-x';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EncodedCbor, toHex } from '../src/cbor/index.js';
import { isMdlError } from '../src/errors/index.js';
import {
  buildDeviceAuthenticationBytes,
  buildReaderAuthenticationAllBytes,
  buildReaderAuthenticationBytes,
  buildSessionTranscript,
  parseSessionTranscript,
} from '../src/session/index.js';
import { throwsWith } from './helpers.js';
import { annexD } from './session-vectors.js';

const foreign = new Encoder({ useRecords: false, mapsAsObjects: false, tagUint8Array: false });
const foreignDecoder = new Decoder({ useRecords: false, mapsAsObjects: false });
const transcriptBytes = annexD('session-transcript-bytes');
const transcript = parseSessionTranscript(transcriptBytes);

describe('DeviceAuthentication / ReaderAuthentication inputs', () => {
  const nameSpaces = EncodedCbor.fromBytes(new Uint8Array([0xa0]));
  const items = EncodedCbor.fromBytes(annexD('items-request'));

  it('embed the transcript array and the tag-24 items exactly (checked with an independent decoder)', () => {
    const device = buildDeviceAuthenticationBytes({
      sessionTranscript: transcript,
      docType: 'x',
      deviceNameSpacesBytes: nameSpaces,
    });
    const decoded = foreignDecoder.decode(device.tagged()) as Tag;
    expect(decoded.tag).toBe(24);
    const inner = foreignDecoder.decode(decoded.value as Uint8Array) as unknown[];
    expect(inner[0]).toBe('DeviceAuthentication');
    expect(toHex(foreign.encode(inner[1]))).toBe(toHex(transcript.encoded.bytes));
    expect(inner[2]).toBe('x');
    expect((inner[3] as Tag).tag).toBe(24);

    const reader = buildReaderAuthenticationBytes({
      sessionTranscript: transcriptBytes,
      itemsRequestBytes: items,
    });
    expect(toHex(reader.bytes)).toContain(toHex(items.tagged()));
  });

  it('ReaderAuthenticationAll (ed2 draft) lists every ItemsRequestBytes and DeviceRequestInfoBytes / null', () => {
    const info = EncodedCbor.fromValue(new Map([['useCases', []]]));
    const built = buildReaderAuthenticationAllBytes({
      sessionTranscript: transcript,
      itemsRequestBytes: [items, items],
      deviceRequestInfoBytes: info,
    });
    const expected = foreign.encode([
      'ReaderAuthenticationAll',
      foreignDecoder.decode(transcript.encoded.bytes),
      [new Tag(Buffer.from(items.bytes), 24), new Tag(Buffer.from(items.bytes), 24)],
      new Tag(Buffer.from(info.bytes), 24),
    ]);
    expect(toHex(built.bytes)).toBe(toHex(expected));
    const withoutInfo = buildReaderAuthenticationAllBytes({
      sessionTranscript: transcript,
      itemsRequestBytes: [],
      deviceRequestInfoBytes: null,
    });
    expect(toHex(withoutInfo.bytes).endsWith('80f6')).toBe(true);
  });

  it('wrong inputs → typed errors', () => {
    throwsWith(
      () =>
        buildDeviceAuthenticationBytes({
          sessionTranscript: new Uint8Array([0x83, 0xf6]),
          docType: 'x',
          deviceNameSpacesBytes: nameSpaces,
        }),
      'ERR_TRANSCRIPT_INVALID',
    );
    throwsWith(
      () =>
        buildDeviceAuthenticationBytes({
          sessionTranscript: {} as never,
          docType: 'x',
          deviceNameSpacesBytes: nameSpaces,
        }),
      'ERR_TRANSCRIPT_INVALID',
    );
    throwsWith(
      () =>
        buildDeviceAuthenticationBytes({
          sessionTranscript: transcript,
          docType: 1 as never,
          deviceNameSpacesBytes: nameSpaces,
        }),
      'ERR_INVALID_ARGUMENT',
    );
    throwsWith(
      () =>
        buildDeviceAuthenticationBytes({
          sessionTranscript: transcript,
          docType: 'x',
          deviceNameSpacesBytes: new Uint8Array([0xa0]) as never,
        }),
      'ERR_INVALID_ARGUMENT',
    );
    throwsWith(
      () =>
        buildReaderAuthenticationBytes({
          sessionTranscript: transcript,
          itemsRequestBytes: annexD('items-request') as never,
        }),
      'ERR_INVALID_ARGUMENT',
    );
    throwsWith(
      () =>
        buildReaderAuthenticationAllBytes({
          sessionTranscript: transcript,
          itemsRequestBytes: [items, 'x' as never],
          deviceRequestInfoBytes: null,
        }),
      'ERR_INVALID_ARGUMENT',
    );
  });
});

describe('SessionTranscript properties', () => {
  it('any NFC handover / engagement bytes round-trip exactly, tagged and bare', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.option(fc.uint8Array({ maxLength: 300 })),
        fc.uint8Array({ maxLength: 100 }),
        (select, request, engagement) => {
          const built = buildSessionTranscript({
            deviceEngagementBytes: EncodedCbor.fromBytes(engagement),
            eReaderKeyBytes: transcript.eReaderKeyBytes,
            handover: { kind: 'nfc', handoverSelect: select, handoverRequest: request },
          });
          for (const input of [built.encoded.tagged(), built.encoded.bytes]) {
            const parsed = parseSessionTranscript(input);
            expect(toHex(parsed.encoded.bytes)).toBe(toHex(built.encoded.bytes));
            expect(toHex(parsed.deviceEngagementBytes!.bytes)).toBe(toHex(engagement));
            expect(parsed.handover).toEqual({
              kind: 'nfc',
              handoverSelect: select,
              handoverRequest: request,
            });
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('random bytes never escape as anything but ERR_TRANSCRIPT_INVALID', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          parseSessionTranscript(bytes);
        } catch (e) {
          expect(isMdlError(e, 'ERR_TRANSCRIPT_INVALID')).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('single-byte mutations of the Annex D transcript are either rejected or parse to different bytes', () => {
    fc.assert(
      fc.property(fc.nat(transcriptBytes.length - 1), fc.integer({ min: 1, max: 255 }), (index, delta) => {
        const mutated = transcriptBytes.slice();
        mutated[index] = (mutated[index]! + delta) & 0xff;
        try {
          const parsed = parseSessionTranscript(mutated);
          expect(toHex(parsed.encoded.tagged())).not.toBe(toHex(transcriptBytes));
        } catch (e) {
          expect(isMdlError(e, 'ERR_TRANSCRIPT_INVALID')).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});

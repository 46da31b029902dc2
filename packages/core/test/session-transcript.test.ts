import { Encoder, Tag } from 'cbor-x';
import { describe, expect, it } from 'vitest';
import { EncodedCbor, encodeCbor, toHex } from '../src/cbor/index.js';
import { isMdlError } from '../src/errors/index.js';
import {
  buildSessionTranscript,
  type Handover,
  parseSessionEstablishment,
  parseSessionTranscript,
} from '../src/session/index.js';
import { annexD } from './session-vectors.js';

const transcriptBytes = annexD('session-transcript-bytes');
const deNfc = annexD('device-engagement-nfc');
const handoverSelect = annexD('nfc-handover-select');
const handoverRequest = annexD('nfc-handover-request');
const eReaderKeyBytes = parseSessionEstablishment(annexD('session-establishment')).eReaderKeyBytes;

// An encoder independent of ours (cbor-x defaults), used to craft malformed transcripts.
const foreign = new Encoder({ useRecords: false, mapsAsObjects: false, tagUint8Array: false });
const tag24 = (bytes: Uint8Array): Tag => new Tag(bytes, 24);

function expectCode(fn: () => unknown, code: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(isMdlError(caught), `expected MdlError ${code}, got ${String(caught)}`).toBe(true);
  expect((caught as { code: string }).code).toBe(code);
}

const t0 = () => parseSessionTranscript(transcriptBytes);

describe('SessionTranscript — Annex D (NFC negotiated handover)', () => {
  it('parses SessionTranscriptBytes and keeps every received byte', () => {
    const t = parseSessionTranscript(transcriptBytes);
    expect(toHex(t.encoded.tagged())).toBe(toHex(transcriptBytes));
    expect(toHex(t.deviceEngagementBytes!.bytes)).toBe(toHex(deNfc));
    expect(toHex(t.eReaderKeyBytes!.tagged())).toBe(toHex(eReaderKeyBytes.tagged()));
    expect(t.handover.kind).toBe('nfc');
    if (t.handover.kind !== 'nfc') return;
    expect(toHex(t.handover.handoverSelect)).toBe(toHex(handoverSelect));
    expect(toHex(t.handover.handoverRequest!)).toBe(toHex(handoverRequest));
  });

  it('keeps a private copy of untagged SessionTranscript bytes, decoded once', () => {
    const untagged = t0().encoded.bytes.slice();
    const t = parseSessionTranscript(untagged);
    expect(toHex(t.encoded.bytes)).toBe(toHex(untagged));
    expect(Array.isArray(t.encoded.value)).toBe(true);
    expect((t.encoded.value as unknown[]).length).toBe(3);
    untagged.fill(0); // the caller reusing its buffer changes nothing parsed
    expect(toHex(t.encoded.bytes)).toBe(toHex(t0().encoded.bytes));
    expect(t.handover.kind).toBe('nfc');
  });

  it('rebuilds SessionTranscriptBytes byte-exact from its parts', () => {
    const t = buildSessionTranscript({
      deviceEngagementBytes: EncodedCbor.fromBytes(deNfc),
      eReaderKeyBytes,
      handover: { kind: 'nfc', handoverSelect, handoverRequest },
    });
    expect(toHex(t.encoded.tagged())).toBe(toHex(transcriptBytes));
  });

  it('accepts the bare SessionTranscript array and an EncodedCbor', () => {
    const tagged = parseSessionTranscript(transcriptBytes);
    const bare = parseSessionTranscript(tagged.encoded.bytes);
    expect(toHex(bare.encoded.tagged())).toBe(toHex(transcriptBytes));
    expect(bare.handover).toEqual(tagged.handover);
    const fromEncoded = parseSessionTranscript(EncodedCbor.fromBytes(tagged.encoded.bytes));
    expect(toHex(fromEncoded.encoded.tagged())).toBe(toHex(transcriptBytes));
  });

  it('keeps non-preferred embedded bytes as received (no re-encoding)', () => {
    // DeviceEngagement with a non-preferred length (0x78 0x03 "1.0") inside tag 24: still kept verbatim.
    const oddEngagement = new Uint8Array([0xa1, 0x00, 0x78, 0x03, 0x31, 0x2e, 0x30]);
    const bytes = foreign.encode([tag24(oddEngagement), tag24(eReaderKeyBytes.bytes), null]);
    const t = parseSessionTranscript(bytes);
    expect(toHex(t.deviceEngagementBytes!.bytes)).toBe(toHex(oddEngagement));
    expect(toHex(t.encoded.bytes)).toBe(toHex(bytes));
  });
});

describe('SessionTranscript — every handover round-trips', () => {
  const hash = new Uint8Array(32).map((_, i) => i);
  const proximity = { deviceEngagementBytes: EncodedCbor.fromBytes(deNfc), eReaderKeyBytes };
  const online = { deviceEngagementBytes: null, eReaderKeyBytes: null };
  const cases: Array<[string, typeof proximity | typeof online, Handover, string]> = [
    ['QR', proximity, { kind: 'qr' }, 'f6'],
    ['NFC static', proximity, { kind: 'nfc', handoverSelect, handoverRequest: null }, ''],
    ['NFC negotiated', proximity, { kind: 'nfc', handoverSelect, handoverRequest }, ''],
    [
      'OpenID4VP',
      online,
      { kind: 'openid4vp', infoHash: hash },
      '82714f70656e494434565048616e646f7665725820',
    ],
    [
      'OpenID4VP DC API',
      online,
      { kind: 'openid4vp-dc-api', infoHash: hash },
      '82764f70656e4944345650444341504948616e646f7665725820',
    ],
    ['18013-7 dcapi', online, { kind: 'iso-dc-api', infoHash: hash }, '826564636170695820'],
  ];
  for (const [name, parts, handover, handoverPrefix] of cases) {
    it(name, () => {
      const built = buildSessionTranscript({ ...parts, handover });
      const tagged = built.encoded.tagged();
      expect(tagged[0]).toBe(0xd8);
      expect(tagged[1]).toBe(0x18);
      const parsed = parseSessionTranscript(tagged);
      expect(parsed.handover).toEqual(handover);
      expect(toHex(parsed.encoded.bytes)).toBe(toHex(built.encoded.bytes));
      // The handover is the last element: its encoding ends the array.
      const hex = toHex(built.encoded.bytes);
      if (handoverPrefix) expect(hex).toContain(handoverPrefix);
      if (handover.kind === 'nfc') {
        const tail = handover.handoverRequest === null ? 'f6' : toHex(handoverRequest);
        expect(hex.endsWith(tail)).toBe(true);
      }
      if (parts.deviceEngagementBytes === null) expect(hex.startsWith('83f6f6')).toBe(true);
    });
  }
});

describe('SessionTranscript — malformed input → ERR_TRANSCRIPT_INVALID', () => {
  const hash = new Uint8Array(32);
  const de = tag24(deNfc);
  const ek = tag24(eReaderKeyBytes.bytes);
  const bad: Array<[string, unknown]> = [
    ['not an array', new Map([[0, 1]])],
    ['two elements', [de, ek]],
    ['four elements', [de, ek, null, null]],
    ['DeviceEngagementBytes as bare bstr', [deNfc, ek, null]],
    ['EReaderKeyBytes as a map', [de, new Map([[1, 2]]), null]],
    ['EReaderKeyBytes as text', [de, 'key', null]],
    ['OpenID4VP with DeviceEngagementBytes', [de, null, ['OpenID4VPHandover', hash]]],
    ['OpenID4VP DC API with EReaderKeyBytes', [null, ek, ['OpenID4VPDCAPIHandover', hash]]],
    ['dcapi with both keys', [de, ek, ['dcapi', hash]]],
    ['QR without EReaderKeyBytes', [de, null, null]],
    ['NFC without DeviceEngagementBytes', [null, ek, [handoverSelect, null]]],
  ];
  for (const [name, value] of bad) {
    it(name, () => {
      const bytes = foreign.encode(value);
      expectCode(() => parseSessionTranscript(bytes), 'ERR_TRANSCRIPT_INVALID');
      expectCode(() => parseSessionTranscript(foreign.encode(tag24(bytes))), 'ERR_TRANSCRIPT_INVALID');
    });
  }

  // Handovers no catalogue entry models are taken as given (issue 16): parsed as `unrecognised`
  // with their shape, never refused; DeviceAuthenticationBytes embed the bytes unchanged.
  const unrecognised: Array<[string, unknown]> = [
    ['handover is a number', [de, ek, 5]],
    ['handover is an empty array', [de, ek, []]],
    ['handover has three elements', [de, ek, [handoverSelect, null, null]]],
    ['NFC select is empty', [de, ek, [new Uint8Array(0), null]]],
    ['NFC request is a number', [de, ek, [handoverSelect, 7]]],
    ['NFC select is text', [de, ek, ['select', null]]],
    ['unknown handover identifier', [null, null, ['AndroidHandoverv1', hash]]],
    ['OpenID4VP hash is 31 bytes', [null, null, ['OpenID4VPHandover', new Uint8Array(31)]]],
    ['OpenID4VP hash is text', [null, null, ['OpenID4VPHandover', 'hash']]],
    ['dcapi hash missing', [null, null, ['dcapi', null]]],
  ];
  for (const [name, value] of unrecognised) {
    it(`${name} → unrecognised handover, not refused`, () => {
      const bytes = foreign.encode(value);
      const parsed = parseSessionTranscript(bytes);
      expect(parsed.handover.kind).toBe('unrecognised');
      if (parsed.handover.kind === 'unrecognised') expect(parsed.handover.shape.length).toBeGreaterThan(0);
      expect(toHex(parsed.encoded.bytes)).toBe(toHex(bytes));
    });
  }

  it('undecodable bytes, trailing bytes and tag 24 around garbage', () => {
    expectCode(() => parseSessionTranscript(new Uint8Array([0x83, 0xf6])), 'ERR_TRANSCRIPT_INVALID');
    expectCode(() => parseSessionTranscript(new Uint8Array([0xf6, 0xf6])), 'ERR_TRANSCRIPT_INVALID');
    expectCode(
      () => parseSessionTranscript(new Uint8Array([0xd8, 0x18, 0x41, 0xff])),
      'ERR_TRANSCRIPT_INVALID',
    );
    expectCode(() => parseSessionTranscript(new Uint8Array(0)), 'ERR_TRANSCRIPT_INVALID');
    expectCode(() => parseSessionTranscript('83f6f6f6' as unknown as Uint8Array), 'ERR_TRANSCRIPT_INVALID');
  });

  it('the builder rejects wrong element types and handovers that do not fit', () => {
    const good = {
      deviceEngagementBytes: EncodedCbor.fromBytes(deNfc),
      eReaderKeyBytes,
      handover: { kind: 'qr' } as Handover,
    };
    expectCode(
      () => buildSessionTranscript({ ...good, deviceEngagementBytes: deNfc as unknown as EncodedCbor }),
      'ERR_TRANSCRIPT_INVALID',
    );
    expectCode(
      () => buildSessionTranscript({ ...good, eReaderKeyBytes: {} as unknown as EncodedCbor }),
      'ERR_TRANSCRIPT_INVALID',
    );
    expectCode(
      () => buildSessionTranscript({ ...good, handover: { kind: 'openid4vp', infoHash: hash } }),
      'ERR_TRANSCRIPT_INVALID',
    );
    expectCode(
      () =>
        buildSessionTranscript({
          deviceEngagementBytes: null,
          eReaderKeyBytes: null,
          handover: { kind: 'qr' },
        }),
      'ERR_TRANSCRIPT_INVALID',
    );
    expectCode(
      () =>
        buildSessionTranscript({
          deviceEngagementBytes: null,
          eReaderKeyBytes: null,
          handover: { kind: 'iso-dc-api', infoHash: new Uint8Array(16) },
        }),
      'ERR_TRANSCRIPT_INVALID',
    );
    expectCode(
      () =>
        buildSessionTranscript({
          ...good,
          handover: { kind: 'nfc', handoverSelect: new Uint8Array(0), handoverRequest: null },
        }),
      'ERR_TRANSCRIPT_INVALID',
    );
    expectCode(
      () => buildSessionTranscript({ ...good, handover: { kind: 'bogus' } as unknown as Handover }),
      'ERR_TRANSCRIPT_INVALID',
    );
  });

  it('our encoder and the foreign one agree on a built transcript (sanity for the crafted cases)', () => {
    const value = [tag24(deNfc), tag24(eReaderKeyBytes.bytes), null];
    const ours = buildSessionTranscript({
      deviceEngagementBytes: EncodedCbor.fromBytes(deNfc),
      eReaderKeyBytes,
      handover: { kind: 'qr' },
    });
    expect(toHex(ours.encoded.bytes)).toBe(toHex(foreign.encode(value)));
    expect(toHex(encodeCbor(null))).toBe('f6');
  });
});

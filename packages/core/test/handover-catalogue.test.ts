/**
 * Issue 16: the handover catalogue recognises the shapes real wallets send, transcripts are taken as
 * given (any well-formed CBOR), and a lenient decode reports what it tolerated.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type CborDeviation,
  decodeCbor,
  EncodedCbor,
  encodeCbor,
  fromHex,
  toHex,
} from '../src/cbor/index.js';
import { isMdlError } from '../src/errors/index.js';
import {
  buildDeviceAuthenticationBytes,
  HANDOVER_CATALOGUE,
  parseSessionTranscript,
  readSessionTranscript,
} from '../src/session/index.js';

const realWorld = (name: string) =>
  fromHex(
    readFileSync(new URL(`../../../../shared/vectors/real-world/${name}`, import.meta.url), 'utf8').trim(),
  );

describe('handover catalogue', () => {
  it('every entry names its CDDL, source and builder; ids are unique', () => {
    const ids = HANDOVER_CATALOGUE.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of HANDOVER_CATALOGUE) {
      expect(e.cddl.length, e.id).toBeGreaterThan(5);
      expect(e.source.length, e.id).toBeGreaterThan(5);
      expect(e.builder.length, e.id).toBeGreaterThan(3);
    }
  });

  it.each([
    ['00-google-test-mdl-android-handover.session-transcript.hex', 'android-v1'],
    ['06-payground-oid4vp-dcapi.session-transcript.hex', 'openid4vp-dc-api'],
    ['auth0-example1.session-transcript-bytes.hex', 'openid4vp-pre-standard'],
  ])('recognises the real-world transcript %s as %s', (file, id) => {
    const bytes = realWorld(file);
    const t = readSessionTranscript(bytes);
    expect(t.recognised[0]?.id).toBe(id);
    expect(t.notes).toEqual([]);
    // The transcript is taken as given: the strict parse agrees and keeps the same bytes.
    expect(toHex(parseSessionTranscript(bytes).encoded.bytes)).toBe(toHex(t.encoded.bytes));
  });

  it('the Annex B handover with an empty mdocGeneratedNonce and 4 values with an identifier', () => {
    const annexB = readSessionTranscript(
      encodeCbor([null, null, [new Uint8Array(32), new Uint8Array(32), '']]),
    );
    expect(annexB.recognised.map((e) => e.id)).toEqual(['iso-18013-7-annex-b']);
    const fourStrings = readSessionTranscript(encodeCbor([null, null, ['dcapi', 'a', 'b', 'c']]));
    expect(fourStrings.recognised).toEqual([]);
    expect(fourStrings.shape).toBe('["dcapi", tstr(1), tstr(1), tstr(1)]');
  });
});

describe('readSessionTranscript: any well-formed CBOR, bytes as given', () => {
  const docType = 'org.iso.18013.5.1.mDL';
  const deviceNameSpacesBytes = EncodedCbor.fromValue(new Map());
  const cases: Array<[string, Uint8Array]> = [
    ['a bare map', encodeCbor(new Map([[1, 2]]))],
    ['two elements', encodeCbor([null, null])],
    ['a text handover', encodeCbor([null, null, 'handover'])],
    ['non-preferred lengths', fromHex('9803f6f6f6')],
    ['indefinite-length array', fromHex('9ff6f6f6ff')],
  ];
  for (const [name, bytes] of cases) {
    it(`${name}: read with notes, DeviceAuthentication embeds exactly those bytes`, () => {
      for (const input of [bytes, EncodedCbor.fromBytes(bytes).tagged()]) {
        const t = readSessionTranscript(input);
        expect(toHex(t.encoded.bytes)).toBe(toHex(bytes));
        const da = buildDeviceAuthenticationBytes({
          sessionTranscript: input,
          docType,
          deviceNameSpacesBytes,
        });
        expect(toHex(da.bytes)).toContain(toHex(bytes));
      }
    });
  }

  it('reports the encodings it tolerated', () => {
    expect(readSessionTranscript(fromHex('9803f6f6f6')).tolerated).toEqual(['non-preferred']);
    expect(readSessionTranscript(fromHex('9ff6f6f6ff')).tolerated).toEqual(['indefinite-length']);
    expect(readSessionTranscript(encodeCbor([null, null, null])).tolerated).toEqual([]);
  });

  it.each([
    ['truncated', '83f6f6'],
    ['trailing bytes', '83f6f6f6f6'],
    ['duplicate map keys', '83f6f6a201010102'],
    ['invalid UTF-8', '83f6f661ff'],
    ['tag 24 around garbage', 'd81841ff'],
  ])('%s → ERR_TRANSCRIPT_INVALID', (_name, hex) => {
    let e: unknown;
    try {
      readSessionTranscript(fromHex(hex));
    } catch (err) {
      e = err;
    }
    expect(isMdlError(e) && e.code).toBe('ERR_TRANSCRIPT_INVALID');
  });
});

describe('decodeCbor onTolerated', () => {
  const record = (hex: string, options: object) => {
    const seen: CborDeviation[] = [];
    decodeCbor(fromHex(hex), { ...options, onTolerated: (d) => seen.push(d) });
    return seen;
  };
  it('reports each tolerated deviation and nothing for preferred input', () => {
    expect(record('b90001616101', { allowNonPreferred: true })).toEqual(['non-preferred']);
    expect(record('9f0102ff', { allowIndefinite: true })).toEqual(['indefinite-length']);
    expect(
      record('c0781b323032342d30312d30315430303a30303a30302e3132333435365a', { lenientDates: true }),
    ).toEqual(['tdate-form']);
    expect(record('c074323032342d30312d30315430303a30303a30305a', { lenientDates: true })).toEqual([]);
    expect(record('a1616101', { allowNonPreferred: true, allowIndefinite: true })).toEqual([]);
  });
  it('strict decoding still throws with the deviation code', () => {
    for (const [hex, code] of [
      ['b90001616101', 'ERR_CBOR_NON_PREFERRED'],
      ['9f0102ff', 'ERR_CBOR_INDEFINITE_LENGTH'],
    ] as const) {
      let e: unknown;
      try {
        decodeCbor(fromHex(hex), { onTolerated: () => {} });
      } catch (err) {
        e = err;
      }
      expect(isMdlError(e) && e.code).toBe(code);
    }
  });
});

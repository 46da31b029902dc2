import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isMdlError } from '../src/errors/index.js';
import {
  decodeDeviceEngagement,
  decodeDeviceRequest,
  decodeDeviceResponse,
  decodeMobileSecurityObjectBytes,
  validateMdlElements,
} from '../src/mdoc/index.js';
import { annexD } from './helpers.js';

const msoPayload = (() => {
  // the IssuerAuth COSE_Sign1 payload (encoded MobileSecurityObjectBytes)
  const sign1 = decodeDeviceResponse(annexD('device-response.hex')).documents![0]!.issuerSigned
    .issuerAuth as unknown[];
  return sign1[2] as Uint8Array;
})();

const TARGETS: ReadonlyArray<readonly [string, Uint8Array, (b: Uint8Array) => unknown]> = [
  ['DeviceResponse', annexD('device-response.hex'), decodeDeviceResponse],
  ['DeviceRequest', annexD('device-request.hex'), decodeDeviceRequest],
  ['DeviceEngagement', annexD('device-engagement.hex'), decodeDeviceEngagement],
  ['MobileSecurityObjectBytes', msoPayload, decodeMobileSecurityObjectBytes],
];

describe('mdoc parsers on mutated input', () => {
  it.each(TARGETS)('%s: any mutation yields a value or an MdlError', (_name, seed, parse) => {
    const edit = fc.record({
      kind: fc.constantFrom('set', 'insert', 'delete', 'truncate'),
      at: fc.nat(),
      byte: fc.integer({ min: 0, max: 255 }),
    });
    let rejected = 0;
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
        let out = Array.from(seed);
        for (const { kind, at, byte } of edits) {
          const i = at % (out.length + 1);
          if (kind === 'set' && i < out.length) out[i] = byte;
          else if (kind === 'insert') out.splice(i, 0, byte);
          else if (kind === 'delete') out.splice(i, 1);
          else out = out.slice(0, i);
        }
        try {
          parse(Uint8Array.from(out));
        } catch (e) {
          if (!isMdlError(e)) throw e;
          rejected++;
        }
      }),
      { numRuns: 400 },
    );
    // most single-byte edits of a strict structure are caught (a property that never rejects is broken)
    expect(rejected).toBeGreaterThan(100);
  });

  it('validateMdlElements never throws on arbitrary values without throwOnFinding', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom(
              'family_name',
              'sex',
              'portrait',
              'driving_privileges',
              'age_over_18',
              'issue_date',
              'x',
            ),
            fc.anything(),
          ),
          {
            maxLength: 6,
          },
        ),
        (entries) => {
          const findings = validateMdlElements(new Map(entries));
          for (const f of findings) expect(f.code).toMatch(/^ERR_DATA_ELEMENT_/);
        },
      ),
      { numRuns: 300 },
    );
  });
});

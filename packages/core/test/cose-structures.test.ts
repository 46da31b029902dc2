import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCbor } from '../src/cbor/index.js';
import { buildMacStructure, buildSigStructure } from '../src/cose/index.js';

// Lengths around every head-size boundary (23/24, 255/256, 65535/65536).
const sized = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  fc.constantFrom(23, 24, 255, 256, 65535, 65536).map((n) => new Uint8Array(n).fill(n & 0xff)),
);

describe('Sig_structure / MAC_structure', () => {
  it('are byte-identical to the general CBOR encoder (RFC 9052 §4.4, §6.3)', () => {
    fc.assert(
      fc.property(
        sized,
        fc.option(sized, { nil: undefined }),
        sized,
        (protectedBytes, externalAad, payload) => {
          const aad = externalAad ?? new Uint8Array(0);
          expect(buildSigStructure({ protectedBytes, externalAad, payload })).toEqual(
            encodeCbor(['Signature1', protectedBytes, aad, payload]),
          );
          expect(buildMacStructure({ protectedBytes, externalAad, payload })).toEqual(
            encodeCbor(['MAC0', protectedBytes, aad, payload]),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rejects non-byte inputs with ERR_INVALID_ARGUMENT', () => {
    expect(() =>
      buildSigStructure({ protectedBytes: 'a1' as unknown as Uint8Array, payload: new Uint8Array(0) }),
    ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
    expect(() =>
      buildMacStructure({
        protectedBytes: new Uint8Array(0),
        payload: new Uint8Array(0),
        externalAad: [] as unknown as Uint8Array,
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});

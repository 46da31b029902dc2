import { fromHex } from '@mdlkit/core/cbor';
import { isMdlError } from '@mdlkit/core/errors';
import { annexD, indexOfBytes } from '@mdlkit/test-fixtures';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifyDeviceResponse } from '../src/index.js';
import { annexDVerifyOptions } from './annex-d-options.js';

const response = annexD('device-response.hex');
const options = annexDVerifyOptions();

/** Either a report or an MdlError — never a TypeError, RangeError or other untyped exception. */
async function typedOutcome(bytes: Uint8Array): Promise<'report' | string> {
  try {
    const report = await verifyDeviceResponse(bytes, options);
    expect(typeof report.verified).toBe('boolean');
    return 'report';
  } catch (error) {
    if (!isMdlError(error)) throw error;
    return error.code;
  }
}

describe('verifyDeviceResponse never throws an untyped error', () => {
  it('random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
        await typedOutcome(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('single-byte mutations anywhere in the Annex D response', async () => {
    const codes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.nat(response.length - 1), fc.integer({ min: 1, max: 255 }), async (index, xor) => {
        const mutated = response.slice();
        mutated[index]! ^= xor;
        codes.add(await typedOutcome(mutated));
      }),
      { numRuns: 300 },
    );
    expect(codes.size).toBeGreaterThan(1);
  });

  it('no single-byte change inside IssuerAuth or the issuer-signed items still verifies', async () => {
    const issuerAuth = annexD('issuer-auth.hex');
    const start = indexOfBytes(response, issuerAuth);
    // From just after the issuer-signed "nameSpaces" key (renaming the key turns it into an ignored
    // RFU entry and leaves a response with nothing disclosed, which is legitimately verifiable).
    const itemsStart = indexOfBytes(response, fromHex('6a6e616d65537061636573')) + 11;
    expect(start).toBeGreaterThan(itemsStart);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: itemsStart, max: start + issuerAuth.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (index, xor) => {
          const mutated = response.slice();
          mutated[index]! ^= xor;
          try {
            const report = await verifyDeviceResponse(mutated, options);
            expect(report.verified).toBe(false);
          } catch (error) {
            expect(isMdlError(error)).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('truncations and insertions', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat(response.length), fc.uint8Array({ maxLength: 8 }), async (cut, extra) => {
        const mutated = new Uint8Array([...response.subarray(0, cut), ...extra, ...response.subarray(cut)]);
        await typedOutcome(mutated);
        await typedOutcome(response.subarray(0, cut));
      }),
      { numRuns: 200 },
    );
  });

  it('bad options are typed errors too', async () => {
    await expect(verifyDeviceResponse(response, {} as never)).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
    await expect(verifyDeviceResponse('x' as never, options)).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
    await expect(
      verifyDeviceResponse(response, { ...options, now: new Date(Number.NaN) }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_ARGUMENT' });
    await expect(
      verifyDeviceResponse(response, { ...options, sessionTranscript: new Uint8Array([1, 2]) }),
    ).resolves.toMatchObject({ verified: false });
  });
});

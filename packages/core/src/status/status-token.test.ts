import { describe, expect, it } from 'vitest';
import { encodeCbor, fromHex, RawCbor } from '../cbor/index.js';
import { CoseHeader, signCoseSign1, x5chainValue } from '../cose/index.js';
import { createLocalSigner, generateKeyPair } from '../crypto/index.js';
import { isMdlError } from '../errors/index.js';
import { StatusList } from './status-list.js';
import { parseStatusListToken, StatusClaim, StatusTokenType } from './status-token.js';

/*
 * `StatusList = { bits: 1 / 2 / 4 / 8, lst: bstr, ? aggregation_uri: tstr }` has no float, so the
 * claim is read with `noFloats`: `bits` 1.0 is no `uint`. `iat` / `exp` are CWT NumericDates, which
 * RFC 8392 §2 lets be floats, and keep being read so.
 */

const IAT = 1_740_787_200; // 2025-03-01T00:00:00Z
const signer = createLocalSigner({ privateKey: generateKeyPair({ curve: 'P-256' }).privateKey, alg: -7 });

async function token(p: { bits?: unknown; iat?: unknown; exp?: unknown }): Promise<Uint8Array> {
  const { lst } = await new StatusList({ bits: 1, size: 64 }).encode();
  const claims = new Map<number, unknown>([
    [StatusClaim.sub, 'https://status.example/1'],
    [StatusClaim.iat, p.iat ?? IAT],
    [StatusClaim.exp, p.exp ?? IAT + 86_400],
    [
      StatusClaim.statusList,
      new Map<string, unknown>([
        ['bits', p.bits ?? 1],
        ['lst', lst],
      ]),
    ],
  ]);
  const { bytes } = await signCoseSign1({
    signer,
    payload: encodeCbor(claims, { keyOrder: 'insertion' }),
    protectedHeaders: new Map<number, unknown>([
      [StatusTokenType.header, StatusTokenType.statusList],
      [CoseHeader.x5chain, x5chainValue([Uint8Array.of(0x30, 0x00)])],
    ]),
  });
  return bytes;
}

async function failure(bytes: Uint8Array): Promise<{ code: string; cborCode?: unknown } | 'none'> {
  try {
    await parseStatusListToken(bytes);
    return 'none';
  } catch (e) {
    if (!isMdlError(e)) throw e;
    return { code: e.code, cborCode: e.details.cborCode };
  }
}

describe('parseStatusListToken: a float where the status list has a uint', () => {
  it('bits 1 reads; bits 1.0 (f9 3c00) is ERR_STATUS_LIST_INVALID over ERR_CBOR_FLOAT_NOT_ALLOWED', async () => {
    const good = await parseStatusListToken(await token({}));
    expect(good.statusList.bits).toBe(1);
    expect(good.getStatus(63)).toBe(0);
    expect(await failure(await token({ bits: new RawCbor(fromHex('f93c00')) }))).toEqual({
      code: 'ERR_STATUS_LIST_INVALID',
      cborCode: 'ERR_CBOR_FLOAT_NOT_ALLOWED',
    });
  });

  it('an iat / exp written as an integral float still reads (RFC 8392 NumericDate)', async () => {
    // IAT and IAT + 86,400 as float32 (fa …, exact: Math.fround keeps both).
    const t = await parseStatusListToken(
      await token({ iat: new RawCbor(fromHex('fa4ecf849c')), exp: new RawCbor(fromHex('fa4ecf873f')) }),
    );
    expect(t.issuedAt.getTime()).toBe(IAT * 1000);
    expect(t.expiresAt.getTime()).toBe((IAT + 86_400) * 1000);
  });
});

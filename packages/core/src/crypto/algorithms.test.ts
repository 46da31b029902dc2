import { describe, expect, it } from 'vitest';
import { isMdlError } from '../errors/mdl-error.js';
import { assertIsoAlgCurvePair, ISO_ALG_CURVES } from './algorithms.js';
import { Curve } from './curves.js';
import { CoseAlg } from './ports.js';

/** ISO/IEC 18013-5 §9.1.5.2, cipher suite 1, as the clause lists it (alg → curves). */
const CLAUSE: ReadonlyArray<readonly [CoseAlg, readonly string[]]> = [
  [CoseAlg.ES256, ['P-256', 'brainpoolP256r1']],
  [CoseAlg.ES384, ['P-384', 'brainpoolP320r1', 'brainpoolP384r1']],
  [CoseAlg.ES512, ['P-521', 'brainpoolP512r1']],
  [CoseAlg.EdDSA, ['Ed25519', 'Ed448']],
];

const codeOf = (action: () => void): string | undefined => {
  try {
    action();
    return undefined;
  } catch (e) {
    return isMdlError(e) ? e.code : 'not an MdlError';
  }
};

describe('assertIsoAlgCurvePair (18013-5 §9.1.5.2)', () => {
  const curves = Object.values(Curve);
  for (const [alg, paired] of CLAUSE) {
    it.each(curves)(`alg ${alg} with %s`, (curve) => {
      const code = codeOf(() => assertIsoAlgCurvePair(alg, { curve }));
      expect(code).toBe(paired.includes(curve) ? undefined : 'ERR_COSE_ALG_KEY_MISMATCH');
    });
  }

  it('an alg outside cipher suite 1 is paired with no curve', () => {
    expect(codeOf(() => assertIsoAlgCurvePair(-37 as CoseAlg, { curve: 'P-256' }))).toBe(
      'ERR_COSE_ALG_KEY_MISMATCH',
    );
  });

  it('the refusal names the alg and the curve', () => {
    try {
      assertIsoAlgCurvePair(CoseAlg.ES256, { curve: 'P-384' });
      expect.unreachable();
    } catch (e) {
      expect(isMdlError(e) && e.details).toEqual({ alg: CoseAlg.ES256, curve: 'P-384' });
    }
  });

  it('the exported table cannot be changed by a caller', () => {
    expect(Object.isFrozen(ISO_ALG_CURVES)).toBe(true);
    for (const [alg] of CLAUSE) expect(Object.isFrozen(ISO_ALG_CURVES[alg])).toBe(true);
    expect(() => (ISO_ALG_CURVES[CoseAlg.ES256] as string[]).push('P-384')).toThrow(TypeError);
    expect(codeOf(() => assertIsoAlgCurvePair(CoseAlg.ES256, { curve: 'P-384' }))).toBe(
      'ERR_COSE_ALG_KEY_MISMATCH',
    );
  });
});

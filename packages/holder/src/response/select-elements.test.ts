import { describe, expect, it } from 'vitest';
import { selectElements } from './select-elements.js';

const NS = 'org.iso.18013.5.1';

function run(requested: Record<string, boolean>, held: Record<string, unknown>, extra = {}) {
  return selectElements({
    requested: new Map([[NS, new Map(Object.entries(requested))]]),
    available: new Map([[NS, new Set(Object.keys(held))]]),
    ageOverValue: (_ns, id) => held[id],
    ...extra,
  });
}

describe('selectElements', () => {
  it('releases only requested elements the document holds', () => {
    const r = run(
      { family_name: true, portrait: false, height: true },
      { family_name: 'x', portrait: 1, birth_date: 2 },
    );
    expect(r.selected.map((s) => [s.identifier, s.intentToRetain])).toEqual([
      ['family_name', true],
      ['portrait', false],
    ]);
    expect(r.unavailable).toEqual([{ nameSpace: NS, identifier: 'height' }]);
  });

  it('ignores namespaces the document does not have', () => {
    const r = selectElements({
      requested: new Map([['other.ns', new Map([['x', true]])]]),
      available: new Map([[NS, new Set(['x'])]]),
      ageOverValue: () => undefined,
    });
    expect(r.selected).toEqual([]);
    expect(r.unavailable).toEqual([{ nameSpace: 'other.ns', identifier: 'x' }]);
  });

  describe('age_over_NN (spec §1.5)', () => {
    const held = { age_over_18: true, age_over_21: true, age_over_65: false, age_over_60: false };
    const pick = (nn: string, h: Record<string, unknown> = held) =>
      run({ [nn]: false }, h).selected.map((s) => s.identifier);

    it('exact true match', () => expect(pick('age_over_18')).toEqual(['age_over_18']));
    it('smallest true above', () => expect(pick('age_over_19')).toEqual(['age_over_21']));
    it('largest false below when no true above', () => expect(pick('age_over_70')).toEqual(['age_over_65']));
    it('exact false match', () => expect(pick('age_over_60')).toEqual(['age_over_60']));
    it('nothing when neither exists', () => {
      expect(pick('age_over_16', { age_over_21: false })).toEqual([]);
      expect(pick('age_over_30', { age_over_21: true })).toEqual([]);
    });
    it('non-boolean stored values are never used', () =>
      expect(pick('age_over_18', { age_over_18: 'yes' })).toEqual([]));
    it('records what was asked for', () => {
      expect(run({ age_over_19: true }, held).selected).toEqual([
        { nameSpace: NS, identifier: 'age_over_21', requestedAs: 'age_over_19', intentToRetain: true },
      ]);
    });
    it('returns at most two age_over elements', () => {
      const r = run({ age_over_18: false, age_over_21: false, age_over_65: false }, held);
      expect(r.selected.map((s) => s.identifier)).toEqual(['age_over_18', 'age_over_21']);
      expect(r.unavailable.map((u) => u.identifier)).toEqual(['age_over_65']);
    });
    it('substitution can be switched off', () => {
      expect(run({ age_over_19: false }, held, { ageOverSubstitution: false }).selected).toEqual([]);
    });
  });
});

/**
 * The fuzzer in CI: a short seeded run (every property must hold), the replay of every saved
 * failing case under `test-vectors/fuzz/cases/`, and checks that the oracle and the mutator can
 * actually fail / reach deep structures.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeCbor } from '@mdlkit/core/cbor';
import { MdlError } from '@mdlkit/core/errors';
import { beforeAll, describe, expect, it } from 'vitest';
import { indexCbor } from '../src/fuzz/cbor-spans.js';
import { MUTATIONS, mutate } from '../src/fuzz/mutate.js';
import { FuzzRandom, inputSeed } from '../src/fuzz/prng.js';
import { type FuzzCase, replayCase, runFuzz, violationCount } from '../src/fuzz/run-fuzz.js';
import { buildSeedCorpus, type SeedCorpus } from '../src/fuzz/seeds.js';
import { classifyThrow, prepareSeed } from '../src/fuzz/targets.js';

const vectors = process.env.MDLKIT_VECTORS ?? path.resolve(process.cwd(), '../shared/vectors');
const annexD = path.join(vectors, 'iso-18013-5-annex-d');
const casesDir = path.resolve(import.meta.dirname, '../fuzz/cases');
const CI_SEED = 20_251_122;
const CI_COUNT = 2_500;

let corpus: SeedCorpus;
beforeAll(async () => {
  corpus = await buildSeedCorpus((name) => readFileSync(path.join(annexD, name), 'utf8'));
});

describe('seeded fuzz run (CI)', () => {
  it(`${CI_COUNT} mutated inputs: only MdlErrors, no false accepts, bounded heap`, async () => {
    const cases: FuzzCase[] = [];
    const stats = await runFuzz({
      corpus,
      count: CI_COUNT,
      seed: CI_SEED,
      heapUsed: () => process.memoryUsage().heapUsed,
      heapLimitBytes: 512 * 1024 * 1024,
      onCase: (c) => cases.push(c),
    });
    // a failing input is printed so it can be saved as a case (pnpm fuzz saves them itself)
    expect(cases.map((c) => `${c.seedName} #${c.index} ${c.violation.kind}: ${c.violation.detail}`)).toEqual(
      [],
    );
    expect(violationCount(stats)).toBe(0);
    expect(stats.inputs).toBe(CI_COUNT);
    const { rejected, parsed, verified } = stats.outcomes;
    expect(rejected + parsed + verified).toBe(CI_COUNT);
    // the run reaches every depth: typed rejections, parsed-but-failed reports and verified mutants
    expect(rejected).toBeGreaterThan(CI_COUNT / 4);
    expect(parsed).toBeGreaterThan(CI_COUNT / 20);
    expect(stats.verifiedMutants).toBeGreaterThan(0);
    // the oracle only means something when the unmutated seeds verify
    expect(stats.seedsVerified).toEqual(
      expect.arrayContaining([
        'own/device-response',
        'own/device-request',
        'annex-d/device-response',
        'annex-d/device-request',
      ]),
    );
    expect(Object.keys(stats.mutations).sort()).toEqual([...MUTATIONS].sort());
    expect(Object.keys(stats.targets).sort()).toEqual([
      'device-engagement',
      'device-request',
      'device-response',
      'session-data',
      'session-establishment',
    ]);
    expect(stats.codes['ERR_CBOR_DUPLICATE_KEY']).toBeGreaterThan(0);
    expect(stats.codes['ERR_LIMIT_X5CHAIN_LENGTH']).toBeGreaterThan(0);
    expect(stats.peakHeapBytes).toBeLessThan(512 * 1024 * 1024);
  });
});

describe('saved failing cases replay clean', () => {
  const files = existsSync(casesDir) ? readdirSync(casesDir).filter((f) => f.endsWith('.json')) : [];
  it.each(files.length > 0 ? files : ['(none saved)'])('%s', async (file) => {
    if (file === '(none saved)') {
      expect(files).toEqual([]);
      return;
    }
    const failure = JSON.parse(readFileSync(path.join(casesDir, file), 'utf8')) as FuzzCase;
    expect(failure.format).toBe('mdlkit-fuzz-case/1');
    const result = await replayCase(failure);
    expect(result.violation).toBeUndefined();
  });
});

describe('the oracle and the mutator can fail', () => {
  it('a verified response from another issuer is a false accept against this seed', async () => {
    const other = await buildSeedCorpus();
    const own = corpus.seeds.find((s) => s.name === 'own/device-response')!;
    const foreign = other.seeds.find((s) => s.name === 'own/device-response')!;
    // the foreign response verifies under its own context …
    expect((await prepareSeed(foreign).run(foreign.bytes)).outcome.kind).toBe('verified');
    // … and, judged against this seed's signed bytes, it is a false accept
    const judged = prepareSeed({ ...foreign, bytes: own.bytes });
    const result = await judged.run(foreign.bytes);
    expect(result.violation?.kind).toBe('false-accept');
  });

  it('untyped throws and ERR_INTERNAL are violations, other MdlErrors are not', () => {
    expect(classifyThrow(new TypeError('boom')).violation?.kind).toBe('untyped-throw');
    expect(classifyThrow('a string').violation?.kind).toBe('untyped-throw');
    const internal = new MdlError('ERR_INTERNAL', 'wrapped', { cause: new RangeError('x') });
    expect(classifyThrow(internal).violation).toEqual({ kind: 'internal-error', detail: 'RangeError: x' });
    expect(classifyThrow(new MdlError('ERR_CBOR_TRUNCATED', 'short'))).toEqual({
      outcome: { kind: 'rejected', code: 'ERR_CBOR_TRUNCATED' },
    });
  });

  it('mutations inside embedded CBOR keep the outer framing intact', () => {
    const seed = corpus.seeds.find((s) => s.name === 'own/device-response')!;
    const levels = indexCbor(seed.bytes);
    // the response, every IssuerSignedItem, the MSO payload and its tag-24 content, protected headers …
    expect(levels.length).toBeGreaterThan(10);
    const embedded = levels.filter((l) => l.path.length >= 2);
    expect(embedded.length).toBeGreaterThan(0);
    let outerIntact = 0;
    for (let i = 0; i < 200; i++) {
      const r = new FuzzRandom(inputSeed(7, i));
      const { bytes } = mutate(seed.bytes, levels, r, { donors: [], certificates: [] }, 1 << 20);
      try {
        const value = decodeCbor(bytes, { allowIndefinite: true, allowNonPreferred: true });
        if (value instanceof Map && Array.isArray(value.get('documents'))) outerIntact++;
      } catch {
        // a mutation at the top level may break the framing: that is fine
      }
    }
    expect(outerIntact).toBeGreaterThan(60);
  });

  it('the same run seed gives the same mutations', () => {
    const seed = corpus.seeds[0]!;
    const levels = indexCbor(seed.bytes);
    const pool = { donors: [levels], certificates: corpus.certificates };
    const a = mutate(seed.bytes, levels, new FuzzRandom(inputSeed(3, 99)), pool, 1 << 20);
    const b = mutate(seed.bytes, levels, new FuzzRandom(inputSeed(3, 99)), pool, 1 << 20);
    expect(b).toEqual(a);
    const c = mutate(seed.bytes, levels, new FuzzRandom(inputSeed(3, 100)), pool, 1 << 20);
    expect(c.bytes).not.toEqual(a.bytes);
  });
});

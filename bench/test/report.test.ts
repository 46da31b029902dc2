import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { carryEarlierRuns } from '../src/report/earlier-runs.js';
import { renderMarkdown } from '../src/report/markdown.js';
import type { BenchResults } from '../src/results.js';
import { isSupportedNode } from '../src/runtime.js';

// The committed results are the fixture: the report is rendered from them with the fields under
// test replaced.
const committed = JSON.parse(
  readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'results.json'), 'utf8'),
) as BenchResults;

function results(over: Partial<BenchResults>, machine: Partial<BenchResults['machine']> = {}): BenchResults {
  return {
    ...committed,
    commit: 'abc123def456',
    earlierRuns: [],
    targets: {
      readerVsLimit: { target: 0.65, met: true },
      readerFreshVsLimit: { target: 0.5, met: false },
      readerVsAuth0: { target: 15, met: true },
      issuerVsRawSign: { target: 0.4, met: true },
    },
    ...over,
    machine: { ...committed.machine, node: '22.22.0', ...machine },
    ratios: { ...committed.ratios, readerVsLimit: 0.671, readerFreshVsLimit: 0.442, issuerVsRawSign: 0.45 },
  };
}

describe('bench report', () => {
  it('knows the supported Node range (>= 22.12)', () => {
    expect(isSupportedNode('20.20.2')).toBe(false);
    expect(isSupportedNode('22.11.0')).toBe(false);
    expect(isSupportedNode('22.12.0')).toBe(true);
    expect(isSupportedNode('24.1.0')).toBe(true);
  });

  it('carries earlier runs of the same commit and Node only, newest first, at most four', () => {
    const run = (generatedAt: string, readerVsLimit: number) => ({
      generatedAt,
      ratios: { readerVsLimit, readerFreshVsLimit: 0.4, issuerVsRawSign: 0.45 },
    });
    const old = {
      commit: 'c1',
      generatedAt: 't5',
      machine: { node: '22.22.0' },
      ratios: { readerVsLimit: 0.66, readerFreshVsLimit: 0.41, issuerVsRawSign: 0.44, readerVsPeer: {} },
      earlierRuns: [run('t4', 0.64), run('t3', 0.63), run('t2', 0.62), run('t1', 0.61)],
    };
    const carried = carryEarlierRuns(old, 'c1', '22.22.0');
    expect(carried.map((e) => e.generatedAt)).toEqual(['t5', 't4', 't3', 't2']);
    expect(carried[0]!.ratios).toEqual({
      readerVsLimit: 0.66,
      readerFreshVsLimit: 0.41,
      issuerVsRawSign: 0.44,
    });
    expect(carryEarlierRuns(old, 'c2', '22.22.0')).toEqual([]);
    expect(carryEarlierRuns(old, 'c1', '20.20.2')).toEqual([]);
    expect(carryEarlierRuns(old, null, '22.22.0')).toEqual([]);
    expect(carryEarlierRuns({ ...old, ratios: undefined }, 'c1', '22.22.0')).toEqual([]);
    expect(carryEarlierRuns('not json results', 'c1', '22.22.0')).toEqual([]);
  });

  it('states the three floors with this run and the earlier ones, and marks a floor not met', () => {
    const md = renderMarkdown(
      results({
        earlierRuns: [
          {
            generatedAt: 't0',
            ratios: { readerVsLimit: 0.662, readerFreshVsLimit: 0.431, issuerVsRawSign: 0.47 },
          },
        ],
      }),
    );
    expect(md).toContain('| Target | This run | Earlier runs (same commit and Node) | |');
    expect(md).toMatch(/\| Reader ≥ 65 % of the limit [^|]*\| 67 % \([^)]*\) \| 66 % \| met \|/);
    expect(md).toMatch(
      /\| Reader, a different holder [^|]*≥ 50 % of the limit \| 44 % \| 43 % \| \*\*not met\*\* \|/,
    );
    expect(md).toMatch(/\| Issuer ≥ 40 % [^|]*\| 45 % \([^)]*\) \| 47 % \| met \|/);
    expect(md).toContain('Measured code: commit `abc123def456`.');
    expect(md).not.toContain('outside the supported range');
  });

  it('says so when the figures come from a Node outside the supported range', () => {
    const md = renderMarkdown(results({}, { node: '20.20.2' }));
    expect(md).toContain('Node 20.20.2 is outside the supported range');
    expect(md).toContain('| Target | This run | |');
  });
});

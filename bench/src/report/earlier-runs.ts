import type { BenchResults, EarlierRun } from '../results.js';

/**
 * The headline ratios of an earlier `results.json` (`old`, as parsed) and of the runs it carried,
 * when it measured the same commit on the same Node version: newest first, at most four. Anything
 * else — another commit or Node, no commit, a file of another shape — carries nothing.
 */
export function carryEarlierRuns(old: unknown, commit: string | null, node: string): EarlierRun[] {
  if (commit === null || typeof old !== 'object' || old === null) return [];
  const o = old as Partial<BenchResults>;
  if (o.commit !== commit || o.machine?.node !== node) return [];
  if (typeof o.generatedAt !== 'string' || o.ratios === undefined) return [];
  const { readerVsLimit, readerFreshVsLimit, issuerVsRawSign } = o.ratios;
  if (![readerVsLimit, readerFreshVsLimit, issuerVsRawSign].every((v) => typeof v === 'number')) return [];
  const latest: EarlierRun = {
    generatedAt: o.generatedAt,
    ratios: { readerVsLimit, readerFreshVsLimit, issuerVsRawSign },
  };
  const carried = Array.isArray(o.earlierRuns) ? o.earlierRuns : [];
  return [latest, ...carried].slice(0, 4);
}

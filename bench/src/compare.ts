/**
 * `pnpm --filter @mdlkit/bench run bench:compare`: the headline ratios only (reader and issuer vs the
 * raw node:crypto rates, measured in one alternation), as one JSON line. Run it in two checkouts
 * (e.g. a `git worktree` of an older commit) to get before/after figures for a performance change.
 */
import { makeBenchIssuer, makeReferenceResponse, REFERENCE_SHAPE } from './fixtures/reference.js';
import { measureAlternating } from './harness.js';
import { mdlkitIssue } from './suites/issuer.js';
import { RawCase, rawLimitCases } from './suites/raw-limits.js';
import { freshHolderCase, freshResponses, mdlkitVerifier } from './suites/reader.js';

async function main(): Promise<void> {
  const issuer = await makeBenchIssuer();
  const ref = await makeReferenceResponse(issuer, REFERENCE_SHAPE);
  const verify = mdlkitVerifier(issuer, ref);
  const raw = (await rawLimitCases()).filter((c) => c.id === RawCase.nodeVerify || c.id === RawCase.nodeSign);
  const result = await measureAlternating(
    [
      ...raw,
      { id: 'reader', run: () => verify(ref.deviceResponse) },
      { id: 'issuer', run: mdlkitIssue(issuer, REFERENCE_SHAPE) },
    ],
    { rounds: 7, roundMs: 300, warmupMs: 300 },
  );
  // Distinct holders in their own alternation (as in `pnpm bench`).
  const fresh = await freshResponses(issuer, REFERENCE_SHAPE, 1500);
  (globalThis as { gc?: () => void }).gc?.(); // as `pnpm bench` does between groups
  const holders = await measureAlternating(
    [
      ...raw.filter((c) => c.id === RawCase.nodeVerify),
      { ...freshHolderCase(issuer, fresh), id: 'readerFresh' },
    ],
    { rounds: 5, roundMs: 300, warmupMs: 300 },
  );
  const m = (id: string): number => result.get(id)!.perCpuSecond.median;
  const limit = m(RawCase.nodeVerify) / 2;
  console.log(
    JSON.stringify({
      nodeVerify: Math.round(m(RawCase.nodeVerify)),
      nodeSign: Math.round(m(RawCase.nodeSign)),
      reader: Math.round(m('reader')),
      readerFresh: Math.round(holders.get('readerFresh')!.perCpuSecond.median),
      issuer: Math.round(m('issuer')),
      readerVsLimit: m('reader') / limit,
      readerFreshVsLimit:
        holders.get('readerFresh')!.perCpuSecond.median /
        (holders.get(RawCase.nodeVerify)!.perCpuSecond.median / 2),
      issuerVsRawSign: m('issuer') / m(RawCase.nodeSign),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

/**
 * `pnpm --filter @mdlkit/bench run bench:profile [reader|issuer] [seconds]`: runs one mdlkit case in a
 * loop under `node --cpu-prof` (profiles land in `bench/profiles/`, open them in Chrome DevTools).
 */
import { makeBenchIssuer, makeReferenceResponse, REFERENCE_SHAPE } from './fixtures/reference.js';
import { mdlkitIssue } from './suites/issuer.js';
import { mdlkitVerifier } from './suites/reader.js';

async function main(): Promise<void> {
  const which = process.argv[2] ?? 'reader';
  const seconds = Number(process.argv[3] ?? 10);
  const issuer = await makeBenchIssuer();
  const ref = await makeReferenceResponse(issuer, REFERENCE_SHAPE);
  let run: () => Promise<boolean>;
  if (which === 'reader') {
    const verify = mdlkitVerifier(issuer, ref);
    run = () => verify(ref.deviceResponse);
  } else if (which === 'issuer') {
    run = mdlkitIssue(issuer, REFERENCE_SHAPE);
  } else {
    throw new Error('usage: profile.ts [reader|issuer] [seconds]');
  }
  const end = Date.now() + seconds * 1000;
  let calls = 0;
  const cpu = process.cpuUsage();
  while (Date.now() < end) {
    if (!(await run())) throw new Error(`${which} case failed`);
    calls++;
  }
  const used = process.cpuUsage(cpu);
  console.log(
    `${which}: ${calls} calls, ${((calls * 1e6) / (used.user + used.system)).toFixed(0)} per CPU-second`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

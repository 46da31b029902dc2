/**
 * `pnpm --filter @mdlkit/bench run bench:profile [reader|fresh|issuer] [seconds]`: runs one mdlkit case
 * in a loop under the V8 CPU profiler (through `node:inspector`, started after the fixtures are built,
 * so the profile holds the loop only). The profile lands in `bench/profiles/<case>.cpuprofile` (open
 * it in Chrome DevTools); the functions with the most self time are printed, in µs per call.
 *
 * `fresh` is the distinct-holder reader case: a pool of responses from 1,500 holders (more than the
 * key and MSO caches hold), so every call imports its device key and reads its MSO.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { type Profiler, Session } from 'node:inspector';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeBenchIssuer, makeReferenceResponse, REFERENCE_SHAPE } from './fixtures/reference.js';
import { mdlkitIssue } from './suites/issuer.js';
import { freshHolderCase, freshResponses, mdlkitVerifier } from './suites/reader.js';

const profilesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'profiles');

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T)));
  });
}

/** Self time per function (name, file and line), largest first. */
function selfTimes(profile: Profiler.Profile): { readonly where: string; readonly us: number }[] {
  const byNode = new Map<number, number>();
  const deltas = profile.timeDeltas ?? [];
  const samples = profile.samples ?? [];
  for (let i = 0; i < samples.length; i++) {
    byNode.set(samples[i]!, (byNode.get(samples[i]!) ?? 0) + (deltas[i] ?? 0));
  }
  const byWhere = new Map<string, number>();
  for (const node of profile.nodes) {
    const us = byNode.get(node.id);
    if (us === undefined) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^.*\/(packages|node_modules)\//, '$1/');
    const where = `${functionName || '(anonymous)'} ${file}${file ? `:${lineNumber + 1}` : ''}`;
    byWhere.set(where, (byWhere.get(where) ?? 0) + us);
  }
  return [...byWhere].map(([where, us]) => ({ where, us })).sort((a, b) => b.us - a.us);
}

async function main(): Promise<void> {
  const which = process.argv[2] ?? 'reader';
  const seconds = Number(process.argv[3] ?? 10);
  const issuer = await makeBenchIssuer();
  const ref = await makeReferenceResponse(issuer, REFERENCE_SHAPE);
  let run: () => Promise<boolean>;
  if (which === 'reader') {
    const verify = mdlkitVerifier(issuer, ref);
    run = () => verify(ref.deviceResponse);
  } else if (which === 'fresh') {
    const fresh = freshHolderCase(issuer, await freshResponses(issuer, REFERENCE_SHAPE, 1500));
    run = async () => fresh.run();
  } else if (which === 'issuer') {
    run = mdlkitIssue(issuer, REFERENCE_SHAPE);
  } else {
    throw new Error('usage: profile.ts [reader|fresh|issuer] [seconds]');
  }
  // Warm up (JIT, caches at their steady state) before the profiled loop.
  for (let end = Date.now() + 1000; Date.now() < end; ) await run();

  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.setSamplingInterval', {
    interval: Number(process.env.PROFILE_INTERVAL_US ?? 100),
  });
  await post(session, 'Profiler.start');
  const end = Date.now() + seconds * 1000;
  let calls = 0;
  const cpu = process.cpuUsage();
  while (Date.now() < end) {
    if (!(await run())) throw new Error(`${which} case failed`);
    calls++;
  }
  const used = process.cpuUsage(cpu);
  const { profile } = await post<{ profile: Profiler.Profile }>(session, 'Profiler.stop');
  session.disconnect();

  mkdirSync(profilesDir, { recursive: true });
  const file = path.join(profilesDir, `${which}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  const cpuUs = used.user + used.system;
  console.log(
    `${which}: ${calls} calls, ${((calls * 1e6) / cpuUs).toFixed(0)} per CPU-second (${(cpuUs / calls).toFixed(1)} µs per call, profiler on); ${path.relative(process.cwd(), file)}`,
  );
  const top = selfTimes(profile);
  const total = top.reduce((sum, t) => sum + t.us, 0);
  for (const t of top.slice(0, Number(process.env.PROFILE_TOP ?? 30))) {
    console.log(
      `${(t.us / calls).toFixed(1).padStart(7)} µs ${((100 * t.us) / total).toFixed(1).padStart(5)} %  ${t.where}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

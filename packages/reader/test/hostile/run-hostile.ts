/**
 * Child process of `../hostile.test.ts`: verifies several hostile 4 MiB responses at once (each kind
 * `COPIES` times, all in flight together, every report or error kept until the end) and prints one
 * JSON line with each outcome and the figures (peak heap, RSS, wall time).
 */
import { getHeapStatistics } from 'node:v8';
import { isMdlError } from '@mdlkit/core/errors';
import { TrustStore } from '@mdlkit/pki';
import { verifyDeviceResponse } from '../../src/index.js';
import { HOSTILE_KINDS, hostileResponse } from './hostile-responses.js';

const COPIES = Number(process.argv[2] ?? 3);
let peakHeap = 0;
const sample = () => {
  peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
};
const inputs = HOSTILE_KINDS.flatMap((kind) =>
  Array.from({ length: COPIES }, () => ({ kind, bytes: hostileResponse(kind) })),
);
sample();
const started = performance.now();
const outcomes = await Promise.all(
  inputs.map(async ({ kind, bytes }) => {
    const t0 = performance.now();
    try {
      const report = await verifyDeviceResponse(bytes, { trust: new TrustStore(), sessionTranscript: null });
      sample();
      return { kind, result: 'report', verified: report.verified, ms: performance.now() - t0, keep: report };
    } catch (error) {
      sample();
      return {
        kind,
        result: isMdlError(error) ? 'mdl-error' : 'untyped',
        code: isMdlError(error) ? error.code : String(error),
        ms: performance.now() - t0,
      };
    }
  }),
);
const wallMs = performance.now() - started;
sample();
process.stdout.write(
  `${JSON.stringify({
    outcomes: outcomes.map(({ keep: _keep, ...o }) => o),
    inputBytes: inputs.map((i) => i.bytes.length),
    peakHeapMiB: peakHeap / 2 ** 20,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    wallMs,
  })}\n`,
);

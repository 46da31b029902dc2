import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');

interface Outcome {
  readonly kind: string;
  readonly result: 'report' | 'mdl-error' | 'untyped';
  readonly code?: string;
  readonly verified?: boolean;
  readonly ms: number;
}

/** Codes a resource guard may stop a hostile response with. */
const LIMIT_CODES = [
  'ERR_CBOR_ITEM_COUNT_EXCEEDED',
  'ERR_CBOR_INPUT_TOO_LARGE',
  'ERR_CBOR_DEPTH_EXCEEDED',
  'ERR_CBOR_STRING_TOO_LONG',
];

describe('one resource budget for the whole response', () => {
  it('verifies hostile 4 MiB responses concurrently in a 256 MiB heap: typed errors, no abort', async () => {
    const copies = 3;
    const { stdout } = await run(
      process.execPath,
      [
        '--max-old-space-size=256',
        '--conditions=@mdlkit/source',
        '--import',
        'tsx',
        path.join(import.meta.dirname, 'hostile/run-hostile.ts'),
        String(copies),
      ],
      { cwd: root, maxBuffer: 1 << 20, timeout: 300_000 },
    );
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      outcomes: Outcome[];
      inputBytes: number[];
      peakHeapMiB: number;
      maxRssMiB: number;
      wallMs: number;
    };
    // The figures (stated, never asserted on: the machine is shared).
    console.log(
      `hostile: ${result.outcomes.length} responses of ≤ ${Math.max(...result.inputBytes)} bytes at once — ` +
        `peak heap ${result.peakHeapMiB.toFixed(1)} MiB, max RSS ${result.maxRssMiB.toFixed(1)} MiB, ` +
        `wall ${result.wallMs.toFixed(0)} ms; per response ${result.outcomes.map((o) => `${o.kind} ${o.ms.toFixed(0)} ms`).join(', ')}`,
    );
    expect(result.outcomes).toHaveLength(4 * copies);
    for (const size of result.inputBytes) expect(size).toBeLessThanOrEqual(4 * 1024 * 1024);
    for (const o of result.outcomes) {
      expect({ kind: o.kind, result: o.result }).toEqual({ kind: o.kind, result: 'mdl-error' });
      expect(LIMIT_CODES).toContain(o.code);
    }
  }, 320_000);
});

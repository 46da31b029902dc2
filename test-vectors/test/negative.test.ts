import path from 'node:path';
import { fromHex } from '@mdlkit/core/cbor';
import { isMdlError } from '@mdlkit/core/errors';
import { assertVerified, verifyDeviceResponse } from '@mdlkit/reader';
import { describe, expect, it } from 'vitest';
import { buildVerifierOptions, loadNegativeCases, type NegativeCase } from '../src/negative/case-format.js';

const dir = path.resolve(import.meta.dirname, '../negative');
const cases = loadNegativeCases(dir);
/** Checks that protect single elements (the element's own protection), not the whole document. */
const ELEMENT_LEVEL: ReadonlySet<string> = new Set(['value-digests', 'key-authorizations']);

async function outcome(c: NegativeCase) {
  try {
    return {
      report: await verifyDeviceResponse(fromHex(c.deviceResponse), await buildVerifierOptions(c.options)),
    };
  } catch (error) {
    return { error };
  }
}

describe('negative catalogue', () => {
  it('has at least 60 negative cases with unique ids', () => {
    const negatives = cases.filter((c) => !('verified' in c.expect));
    expect(negatives.length).toBeGreaterThanOrEqual(60);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const { report, error } = await outcome(c);
    const e = c.expect;
    if ('throws' in e) {
      expect(report).toBeUndefined();
      expect(isMdlError(error), String(error)).toBe(true);
      expect((error as { code: string }).code).toBe(e.throws);
      return;
    }
    if (error !== undefined) throw error;
    if ('verified' in e) {
      const failed = report!.documents.flatMap((d) => d.checks.filter((k) => k.status === 'failed'));
      expect(failed).toEqual([]);
      expect(report!.verified).toBe(true);
      return;
    }
    if ('assert' in e) {
      expect(report!.verified).toBe(false);
      expect(() => assertVerified(report!)).toThrow(expect.objectContaining({ code: e.assert }));
      return;
    }
    const check = report!.documents[0]!.checks.find((k) => k.id === e.check);
    expect(check, `check ${e.check} missing`).toBeDefined();
    expect({ status: check!.status, code: check!.code }).toEqual({
      status: e.status ?? 'failed',
      code: e.code,
    });
    // A failed check fails the report; an accepted `undetermined` does not.
    expect(report!.verified).toBe(e.status === 'undetermined' && report!.documents[0]!.verified);
    if ((e.status ?? 'failed') === 'failed') {
      const elements = report!.documents[0]!.elements;
      const verified = elements.filter((x) => x.verified).map((x) => `${x.nameSpace}/${x.identifier}`);
      if (ELEMENT_LEVEL.has(e.check)) {
        // The element whose own protection failed is not verified; its genuine neighbours may be.
        expect(elements.length === 0 || verified.length < elements.length).toBe(true);
      } else {
        // A document-level failure leaves no element verified.
        expect(verified).toEqual([]);
      }
    }
  });
});

import { isMdlError } from '@mdlkit/core/errors';
import { TrustStore } from '@mdlkit/pki';
import { assertVerified, type VerificationReport, verifyDeviceResponse } from '@mdlkit/reader';
import { beforeAll, describe, expect, it } from 'vitest';
import { ATTACKS } from '../src/negative/attacks.js';
import { FORGERIES } from '../src/negative/forgeries.js';
import { createWorld, T, type World } from '../src/negative/world.js';

let w: World;
beforeAll(async () => {
  w = await createWorld();
});

describe('semantic attack catalogue: forgeries from genuine responses', () => {
  it('has ids unique across both catalogue files', () => {
    const ids = [...ATTACKS, ...FORGERIES].map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(FORGERIES.map((a) => [a.id, a] as const))('%s', async (_id, forgery) => {
    const built = await forgery.build(w);
    const options = {
      trust: new TrustStore([w.iaca.der]),
      now: T.now,
      sessionTranscript: w.transcript,
      eReaderKey: w.eReader.privateKey,
      ...built.options,
    };
    let report: VerificationReport | undefined;
    let error: unknown;
    try {
      report = await verifyDeviceResponse(built.response, options);
    } catch (e) {
      error = e;
    }
    const e = forgery.expect;
    if ('throws' in e) {
      expect(report, 'verified without throwing').toBeUndefined();
      expect(isMdlError(error), String(error)).toBe(true);
      expect((error as { code: string }).code).toBe(e.throws);
      return;
    }
    if (error !== undefined) throw error;
    const r = report!;
    if ('tolerated' in e) {
      const failed = r.documents.flatMap((d) => d.checks.filter((c) => c.status === 'failed'));
      expect(failed).toEqual([]);
      expect(r.verified).toBe(true);
      expect(r.documents.flatMap((d) => d.elements).every((x) => x.verified)).toBe(true);
      if (e.warning !== undefined) {
        const codes = [...r.findings, ...r.documents.flatMap((d) => d.findings)].map((f) => f.code);
        expect(codes).toContain(e.warning);
      }
      return;
    }
    if ('assert' in e) {
      expect(r.verified).toBe(false);
      expect(() => assertVerified(r)).toThrow(expect.objectContaining({ code: e.assert }));
      expect(r.documents.every((d) => d.verified && d.elements.every((x) => x.verified))).toBe(true);
      return;
    }
    expect(r.verified).toBe(false);
    const doc = r.documents[e.document ?? 0]!;
    expect(doc.verified).toBe(false);
    const check = doc.checks.find((c) => c.id === e.check);
    expect({ status: check?.status, code: check?.code }).toEqual({
      status: e.status ?? 'failed',
      code: e.code,
    });
    const verified = doc.elements.filter((x) => x.verified).map((x) => x.identifier);
    expect(verified.sort()).toEqual([...(e.stillVerified ?? [])].sort());
  });
});

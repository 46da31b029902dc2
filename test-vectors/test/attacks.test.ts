import { isMdlError } from '@mdlkit/core/errors';
import { TrustStore } from '@mdlkit/pki';
import { verifyDeviceResponse } from '@mdlkit/reader';
import { beforeAll, describe, expect, it } from 'vitest';
import { ATTACKS } from '../src/negative/attacks.js';
import { createWorld, T, type World } from '../src/negative/world.js';

let w: World;
beforeAll(async () => {
  w = await createWorld();
});

describe('semantic attack catalogue', () => {
  it('has unique ids', () => {
    expect(new Set(ATTACKS.map((a) => a.id)).size).toBe(ATTACKS.length);
  });

  it.each(ATTACKS.map((a) => [a.id, a] as const))('%s', async (_id, attack) => {
    const built = await attack.build(w);
    const options = {
      trust: new TrustStore([w.iaca.der]),
      now: T.now,
      sessionTranscript: w.transcript,
      eReaderKey: w.eReader.privateKey,
      ...built.options,
    };
    let report: Awaited<ReturnType<typeof verifyDeviceResponse>> | undefined;
    let error: unknown;
    try {
      report = await verifyDeviceResponse(built.response, options);
    } catch (e) {
      error = e;
    }
    built.after?.();
    const e = attack.expect;
    if ('throws' in e) {
      expect(report, 'verified without throwing').toBeUndefined();
      expect(isMdlError(error), String(error)).toBe(true);
      expect((error as { code: string }).code).toBe(e.throws);
      return;
    }
    if (error !== undefined) throw error;
    expect(report!.verified).toBe(false);
    const doc = report!.documents[0]!;
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

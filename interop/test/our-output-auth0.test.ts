import { Verifier } from '@auth0/mdl';
import { describe, expect, it } from 'vitest';
import { makeOurResponse, NS, ONLINE_KINDS, REQUESTED } from './our-output-fixtures.js';

// @auth0/mdl 3.0.1 verifies against the real clock and validates the chain itself (IACA PEM).
describe('our DeviceResponse verifies in @auth0/mdl', () => {
  for (const kind of ['qr', 'openid4vp', ...ONLINE_KINDS] as const) {
    it(`selective disclosure + device signature, ${kind} transcript`, async () => {
      const ours = await makeOurResponse(kind);
      const verifier = new Verifier([ours.iacaPem]);
      const checks: { status: string; check: string; reason?: string }[] = [];
      const mdoc = await verifier.verify(ours.deviceResponse, {
        encodedSessionTranscript: ours.sessionTranscriptBytes,
        onCheck: (c) => checks.push(c),
      });
      const failed = checks.filter((c) => c.status === 'FAILED');
      expect(failed).toEqual([]);
      expect(
        checks.some((c) => /Device signature must be valid/.test(c.check) && c.status === 'PASSED'),
      ).toBe(true);
      const doc = mdoc.documents[0]!;
      const disclosed = doc.getIssuerNameSpace(NS) as Record<string, unknown>;
      expect(Object.keys(disclosed).sort()).toEqual(Object.keys(REQUESTED).sort());
      expect(disclosed.family_name).toBe('Doe');
    });
  }

  it('a tampered response fails', async () => {
    const ours = await makeOurResponse('qr');
    const verifier = new Verifier([ours.iacaPem]);
    const other = await makeOurResponse('qr');
    // Right response, wrong session: the device signature must not verify.
    const checks: { status: string; check: string }[] = [];
    await verifier
      .verify(ours.deviceResponse, {
        encodedSessionTranscript: other.sessionTranscriptBytes,
        onCheck: (c) => checks.push(c),
      })
      .catch(() => undefined);
    expect(checks.some((c) => c.status === 'FAILED' && /Device signature/.test(c.check))).toBe(true);
  });
});

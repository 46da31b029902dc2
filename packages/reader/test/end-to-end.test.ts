import { FullDate } from '@mdlkit/core/cbor';
import { openId4VpTranscript } from '@mdlkit/test-utils/mdoc';
import { describe, expect, it } from 'vitest';
import { assertVerified, CheckId, verifyDeviceResponse } from '../src/index.js';
import { issueAndPresent, makePki, NOW } from './fixtures.js';

describe('issuer → holder → reader', () => {
  it('verifies a selective-disclosure response with a device signature and reports only what was disclosed', async () => {
    const pki = await makePki();
    const transcript = openId4VpTranscript('abc');
    const response = await issueAndPresent(pki, transcript);
    const report = await verifyDeviceResponse(response, {
      trust: pki.trust,
      now: NOW,
      sessionTranscript: transcript,
    });
    expect(() => assertVerified(report)).not.toThrow();
    const doc = report.documents[0]!;
    expect(doc.deviceAuthMethod).toBe('signature');
    const status = Object.fromEntries(doc.checks.map((c) => [c.id, c.status]));
    expect(status[CheckId.ISSUING_COUNTRY]).toBe('passed');
    expect(status[CheckId.ISSUING_JURISDICTION]).toBe('passed');
    expect(status[CheckId.DS_REVOCATION]).toBe('skipped');
    expect(doc.elements.map((e) => e.identifier).sort()).toEqual(
      ['birth_date', 'family_name', 'issuing_country', 'issuing_jurisdiction', 'portrait'].sort(),
    );
    expect(doc.elements.every((e) => e.source === 'issuer' && e.verified)).toBe(true);
    expect(doc.elements.find((e) => e.identifier === 'birth_date')?.value).toEqual(
      new FullDate('1971-09-01'),
    );
    expect(doc.dsSubject).toContain('reader test DS');
    expect(doc.deviceAuthenticated).toBe(true);
    expect(report.deviceAuthenticated).toBe(true);
  });

  it('says the holder was not authenticated when the caller skips device authentication', async () => {
    const pki = await makePki();
    const transcript = openId4VpTranscript('n');
    const response = await issueAndPresent(pki, transcript);
    const report = await verifyDeviceResponse(response, {
      trust: pki.trust,
      now: NOW,
      sessionTranscript: null,
    });
    const doc = report.documents[0]!;
    expect(doc.checks.find((c) => c.id === CheckId.DEVICE_AUTH)?.status).toBe('skipped');
    expect(report.verified).toBe(true);
    expect(doc.deviceAuthenticated).toBe(false);
    expect(report.deviceAuthenticated).toBe(false);
  });
});

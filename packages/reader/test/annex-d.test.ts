import { FullDate, TDate } from '@mdlkit/core/cbor';
import { importPrivateKey } from '@mdlkit/core/crypto';
import { TrustStore } from '@mdlkit/pki';
import { annexD, annexDText } from '@mdlkit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { assertVerified, CheckId, verifyDeviceResponse } from '../src/index.js';

const deviceResponse = annexD('device-response.hex');
const sessionTranscript = annexD('session-transcript-bytes.hex');
const eReaderKey = importPrivateKey({ format: 'raw', curve: 'P-256', d: annexD('e-reader-key-d.hex') });
const trust = new TrustStore([annexDText('iaca-cert.pem')]);
const base = { trust, sessionTranscript, eReaderKey, policy: 'lenient' } as const;

describe('Annex D DeviceResponse', () => {
  it('verifies at 2021-01-01 with the Annex D IACA: every check passes, DeviceMac included', async () => {
    const report = await verifyDeviceResponse(deviceResponse, {
      ...base,
      now: new Date('2021-01-01T00:00:00Z'),
    });
    expect(report.verified).toBe(true);
    expect(report.responseStatus).toBe(0);
    const [doc] = report.documents;
    expect(doc?.docType).toBe('org.iso.18013.5.1.mDL');
    expect(doc?.deviceAuthMethod).toBe('mac');
    const status = Object.fromEntries(doc!.checks.map((c) => [c.id, c.status]));
    expect(status).toMatchObject({
      [CheckId.DS_CERTIFICATE_PATH]: 'passed',
      [CheckId.DS_CERTIFICATE_VALIDITY]: 'passed',
      [CheckId.ISSUER_AUTH_SIGNATURE]: 'passed',
      [CheckId.VALUE_DIGESTS]: 'passed',
      [CheckId.DOC_TYPE]: 'passed',
      [CheckId.MSO_VALIDITY]: 'passed',
      [CheckId.MSO_SIGNED_WITHIN_DS_VALIDITY]: 'passed',
      [CheckId.DEVICE_AUTH]: 'passed',
      [CheckId.KEY_AUTHORIZATIONS]: 'passed',
    });
    expect(doc!.checks.filter((c) => c.status === 'failed')).toEqual([]);
    expect(() => assertVerified(report)).not.toThrow();
  });

  it('reports the six disclosed elements with decoded values', async () => {
    const report = await verifyDeviceResponse(deviceResponse, {
      ...base,
      now: new Date('2021-01-01T00:00:00Z'),
    });
    const elements = report.documents[0]!.elements;
    expect(elements.map((e) => e.identifier)).toEqual([
      'family_name',
      'issue_date',
      'expiry_date',
      'document_number',
      'portrait',
      'driving_privileges',
    ]);
    expect(elements.every((e) => e.source === 'issuer' && e.verified)).toBe(true);
    const byId = new Map(elements.map((e) => [e.identifier, e.value]));
    expect(byId.get('family_name')).toBe('Doe');
    expect(byId.get('issue_date')).toBeInstanceOf(FullDate);
    expect((byId.get('portrait') as Uint8Array).length).toBe(annexD('portrait.hex').length);
    expect(report.documents[0]!.validity).toEqual({
      signed: '2020-10-01T13:30:02Z',
      validFrom: '2020-10-01T13:30:02Z',
      validUntil: '2021-10-01T13:30:02Z',
    });
    expect(TDate).toBeDefined();
  });

  it('fails at today’s date on exactly the DS validity and MSO validity checks', async () => {
    const report = await verifyDeviceResponse(deviceResponse, { ...base, now: new Date() });
    expect(report.verified).toBe(false);
    const failed = report.documents[0]!.checks.filter((c) => c.status === 'failed');
    expect(failed.map((c) => [c.id, c.code])).toEqual([
      [CheckId.DS_CERTIFICATE_VALIDITY, 'ERR_X509_EXPIRED'],
      [CheckId.MSO_VALIDITY, 'ERR_MSO_EXPIRED'],
    ]);
    expect(() => assertVerified(report)).toThrow(expect.objectContaining({ code: 'ERR_X509_EXPIRED' }));
  });

  it('fails the DS path under the strict policy (Annex D certificates break Annex B)', async () => {
    const report = await verifyDeviceResponse(deviceResponse, {
      ...base,
      policy: 'strict',
      now: new Date('2021-01-01T00:00:00Z'),
    });
    const check = report.documents[0]!.checks.find((c) => c.id === CheckId.DS_CERTIFICATE_PATH);
    expect(check).toMatchObject({ status: 'failed', code: 'ERR_X509_PROFILE_VIOLATION' });
  });

  it('fails DeviceMac without the reader key and with the wrong transcript', async () => {
    const now = new Date('2021-01-01T00:00:00Z');
    const noKey = await verifyDeviceResponse(deviceResponse, {
      trust,
      sessionTranscript,
      policy: 'lenient',
      now,
    });
    expect(noKey.documents[0]!.checks.find((c) => c.id === CheckId.DEVICE_AUTH)).toMatchObject({
      status: 'failed',
      code: 'ERR_DEVICE_MAC_KEY_UNAVAILABLE',
    });
    const other = importPrivateKey({ format: 'raw', curve: 'P-256', d: annexD('e-device-key-d.hex') });
    const wrongKey = await verifyDeviceResponse(deviceResponse, { ...base, eReaderKey: other, now });
    expect(wrongKey.documents[0]!.checks.find((c) => c.id === CheckId.DEVICE_AUTH)).toMatchObject({
      status: 'failed',
      code: 'ERR_DEVICE_MAC_INVALID',
    });
  });
});

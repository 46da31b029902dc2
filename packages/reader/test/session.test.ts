import { bytesEqual, toBase64Url, toHex } from '@mdlkit/core/cbor';
import { importPrivateKey } from '@mdlkit/core/crypto';
import { annexD } from '@mdlkit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { ReaderSession, readDeviceEngagement } from '../src/index.js';

describe('reader session on Annex D (NFC negotiated handover)', () => {
  const eReaderKey = importPrivateKey({ format: 'raw', curve: 'P-256', d: annexD('e-reader-key-d.hex') });
  const engagement = {
    handoverSelect: annexD('nfc-handover-select.hex'),
    handoverRequest: annexD('nfc-handover-request.hex'),
  };

  it('reads the DeviceEngagement out of the Handover Select message', () => {
    const read = readDeviceEngagement(engagement);
    expect(toHex(read.bytes.bytes)).toBe(toHex(annexD('device-engagement-nfc.hex')));
    expect(read.handover.kind).toBe('nfc');
  });

  it('rebuilds SessionTranscriptBytes, SessionEstablishment and decrypts SessionData byte for byte', async () => {
    const session = await ReaderSession.start({ engagement, eReaderKey, keyOrder: 'insertion' });
    expect(toHex(session.sessionTranscript.encoded.tagged())).toBe(
      toHex(annexD('session-transcript-bytes.hex')),
    );
    const establishment = await session.establish(annexD('device-request.hex'));
    expect(toHex(establishment)).toBe(toHex(annexD('session-establishment.hex')));
    const { deviceResponse } = await session.receive(annexD('session-data.hex'));
    expect(bytesEqual(deviceResponse!, annexD('device-response.hex'))).toBe(true);
    expect(toHex(session.terminate())).toBe(toHex(annexD('session-termination.hex')));
  });

  it('reads a QR engagement and makes a fresh ephemeral key on the device curve', async () => {
    const qr = `mdoc:${toBase64Url(annexD('device-engagement.hex'))}`;
    const session = await ReaderSession.start({ engagement: { qr } });
    expect(session.eReaderKey.curve).toBe('P-256');
    expect(session.sessionTranscript.handover.kind).toBe('qr');
    await expect(session.establish(new Uint8Array([0xa0]))).resolves.toBeInstanceOf(Uint8Array);
    await expect(session.establish(new Uint8Array([0xa0]))).rejects.toMatchObject({
      code: 'ERR_INVALID_ARGUMENT',
    });
  });

  it('rejects engagements that are not engagements', () => {
    expect(() => readDeviceEngagement({ qr: 'https://example.com' })).toThrow(
      expect.objectContaining({ code: 'ERR_ENGAGEMENT_INVALID' }),
    );
    expect(() => readDeviceEngagement({ handoverSelect: annexD('nfc-handover-request.hex') })).toThrow(
      expect.objectContaining({ code: 'ERR_ENGAGEMENT_INVALID' }),
    );
    const truncated = annexD('nfc-handover-select.hex').subarray(0, 40);
    expect(() => readDeviceEngagement({ handoverSelect: truncated })).toThrow(
      expect.objectContaining({ code: 'ERR_ENGAGEMENT_INVALID' }),
    );
  });
});

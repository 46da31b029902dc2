import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EncodedCbor, fromBase64Url, toHex } from '@mdlkit/core/cbor';
import { importPrivateKey } from '@mdlkit/core/crypto';
import { annexD, VECTORS } from '@mdlkit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { createQrEngagement } from '../src/engagement/create-qr-engagement.js';
import { MdocSession } from '../src/session/mdoc-session.js';

const manifest = JSON.parse(readFileSync(path.join(VECTORS, 'iso-18013-5-annex-d/manifest.json'), 'utf8'));

function annexDEDeviceKey() {
  const privateKey = importPrivateKey({ format: 'raw', curve: 'P-256', d: annexD('e-device-key-d.hex') });
  return { privateKey, publicKey: privateKey.publicKey };
}

describe('QR device engagement', () => {
  it('reproduces the Annex D QR engagement and its mdoc: URI (D.3.1)', () => {
    const qr = createQrEngagement({
      eDeviceKey: annexDEDeviceKey(),
      ble: {
        peripheralServerMode: false,
        centralClientMode: true,
        centralClientUuid: annexD('device-engagement.hex').slice(-16),
      },
    });
    expect(toHex(qr.deviceEngagementBytes.bytes)).toBe(toHex(annexD('device-engagement.hex')));
    expect(qr.uri).toBe(manifest.derived_values.qr_device_engagement_uri.value);
  });

  it('makes a fresh ephemeral key per engagement', () => {
    const a = createQrEngagement();
    const b = createQrEngagement();
    expect(a.uri.startsWith('mdoc:')).toBe(true);
    expect(a.uri).not.toContain('=');
    expect(toHex(fromBase64Url(a.uri.slice(5)))).toBe(toHex(a.deviceEngagementBytes.bytes));
    expect(toHex(a.eDeviceKey.publicKey.x)).not.toBe(toHex(b.eDeviceKey.publicKey.x));
    expect(() =>
      createQrEngagement({
        ble: {
          peripheralServerMode: true,
          centralClientMode: false,
          peripheralServerUuid: new Uint8Array(3),
        },
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_INVALID_ARGUMENT' }));
  });
});

describe('MdocSession (D.5.1)', () => {
  const nfcSession = () =>
    new MdocSession({
      eDeviceKey: annexDEDeviceKey(),
      deviceEngagementBytes: EncodedCbor.fromBytes(annexD('device-engagement-nfc.hex')),
      handover: {
        kind: 'nfc',
        handoverSelect: annexD('nfc-handover-select.hex'),
        handoverRequest: annexD('nfc-handover-request.hex'),
      },
    });

  it('decrypts the Annex D SessionEstablishment and encrypts the response to the Annex D SessionData', async () => {
    const session = nfcSession();
    const { deviceRequest, sessionTranscript } = await session.receiveEstablishment(
      annexD('session-establishment.hex'),
    );
    expect(toHex(deviceRequest)).toBe(toHex(annexD('device-request.hex')));
    expect(toHex(sessionTranscript.encoded.tagged())).toBe(toHex(annexD('session-transcript-bytes.hex')));
    expect(toHex(await session.sendResponse(annexD('device-response.hex')))).toBe(
      toHex(annexD('session-data.hex')),
    );
    expect(toHex(session.terminate())).toBe(toHex(annexD('session-termination.hex')));
  });

  it('refuses out-of-order use and tampered messages', async () => {
    await expect(nfcSession().sendResponse(new Uint8Array(1))).rejects.toMatchObject({
      code: 'ERR_SESSION_STATUS',
    });
    const tampered = annexD('session-establishment.hex');
    tampered[tampered.length - 1]! ^= 1;
    await expect(nfcSession().receiveEstablishment(tampered)).rejects.toMatchObject({
      code: 'ERR_SESSION_DECRYPT_FAILED',
    });
    const session = nfcSession();
    await session.receiveEstablishment(annexD('session-establishment.hex'));
    await expect(session.receiveEstablishment(annexD('session-establishment.hex'))).rejects.toMatchObject({
      code: 'ERR_SESSION_STATUS',
    });
  });
});

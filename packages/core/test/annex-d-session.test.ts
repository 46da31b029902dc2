/**
 * ISO/IEC 18013-5 Annex D (D.5.1 session establishment, D.5.3 DeviceMac, D.5.4 reader
 * authentication) reproduced byte-for-byte through the public session API.
 */
import {
  ecdh,
  hmac,
  importPrivateKey,
  importPublicKey,
  type PrivateKey,
  type PublicKey,
} from '@mdlkit/core/crypto';
import { describe, expect, it } from 'vitest';
import { decodeCbor, type EncodedCbor, toHex } from '../src/cbor/index.js';
import { buildMacStructure } from '../src/cose/index.js';
import {
  buildDeviceAuthenticationBytes,
  buildReaderAuthenticationBytes,
  buildSessionTranscript,
  deriveEMacKey,
  deriveSessionKeys,
  parseSessionData,
  parseSessionEstablishment,
  parseSessionTranscript,
  SessionEncryption,
  SessionStatus,
} from '../src/session/index.js';
import { annexD } from './session-vectors.js';

const hex = (name: string): string => toHex(annexD(name));
const priv = (name: string): PrivateKey =>
  importPrivateKey({ format: 'raw', curve: 'P-256', d: annexD(`${name}-d`) });
const pub = (name: string): PublicKey =>
  importPublicKey({ format: 'coordinates', curve: 'P-256', x: annexD(`${name}-x`), y: annexD(`${name}-y`) });

const eReaderPriv = priv('e-reader-key');
const eDevicePriv = priv('e-device-key');
const sDevicePriv = priv('s-device-key');
const eReaderPub = pub('e-reader-key');
const eDevicePub = pub('e-device-key');
const sDevicePub = pub('s-device-key');

const transcriptBytes = annexD('session-transcript-bytes');
const establishmentBytes = annexD('session-establishment');
const establishment = parseSessionEstablishment(establishmentBytes);
const eDeviceKeyBytes = decodeCbor(annexD('e-device-key-bytes')) as EncodedCbor;
const transcript = parseSessionTranscript(transcriptBytes);

const deviceRequest = decodeCbor(annexD('device-request')) as Map<string, unknown>;
const docRequest = (deviceRequest.get('docRequests') as Map<string, unknown>[])[0]!;
const itemsRequestBytes = docRequest.get('itemsRequest') as EncodedCbor;
const deviceResponse = decodeCbor(annexD('device-response')) as Map<string, unknown>;
const document = (deviceResponse.get('documents') as Map<string, unknown>[])[0]!;
const deviceSigned = document.get('deviceSigned') as Map<string, unknown>;
const deviceNameSpacesBytes = deviceSigned.get('nameSpaces') as EncodedCbor;
const docType = document.get('docType') as string;

describe('Annex D D.5.1 — session keys', () => {
  it('ECDH Z_AB matches session-zab.hex from both sides', async () => {
    expect(toHex(await ecdh({ privateKey: eReaderPriv, publicKey: eDevicePub }))).toBe(hex('session-zab'));
    expect(toHex(await ecdh({ privateKey: eDevicePriv, publicKey: eReaderPub }))).toBe(hex('session-zab'));
  });

  it('the transcript is the NFC engagement + negotiated handover', () => {
    expect(toHex(transcript.deviceEngagementBytes!.bytes)).toBe(hex('device-engagement-nfc'));
    expect(transcript.handover.kind).toBe('nfc');
    // The EReaderKeyBytes inside the transcript are the ones the reader sent in SessionEstablishment.
    expect(toHex(transcript.eReaderKeyBytes!.tagged())).toBe(toHex(establishment.eReaderKeyBytes.tagged()));
  });

  it('reader side: SKReader / SKDevice from EReaderKey.priv × EDeviceKeyBytes', async () => {
    const keys = await deriveSessionKeys({
      privateKey: eReaderPriv,
      publicKey: eDeviceKeyBytes,
      sessionTranscript: transcriptBytes,
    });
    expect(toHex(keys.skReader)).toBe(hex('sk-reader'));
    expect(toHex(keys.skDevice)).toBe(hex('sk-device'));
  });

  it('mdoc side: the same keys from EDeviceKey.priv × EReaderKeyBytes (and from a handle / COSE_Key map)', async () => {
    for (const publicKey of [
      establishment.eReaderKeyBytes,
      eReaderPub,
      establishment.eReaderKeyBytes.value as Map<number, unknown>,
    ]) {
      const keys = await deriveSessionKeys({
        privateKey: eDevicePriv,
        publicKey,
        sessionTranscript: transcript,
      });
      expect(toHex(keys.skReader)).toBe(hex('sk-reader'));
      expect(toHex(keys.skDevice)).toBe(hex('sk-device'));
    }
  });

  it('a transcript that differs in one byte gives different keys', async () => {
    const other = buildSessionTranscript({
      deviceEngagementBytes: transcript.deviceEngagementBytes,
      eReaderKeyBytes: transcript.eReaderKeyBytes,
      handover: { kind: 'qr' },
    });
    const keys = await deriveSessionKeys({
      privateKey: eReaderPriv,
      publicKey: eDevicePub,
      sessionTranscript: other,
    });
    expect(toHex(keys.skReader)).not.toBe(hex('sk-reader'));
  });
});

describe('Annex D D.5.1 — session encryption', () => {
  it('mdoc decrypts SessionEstablishment.data to device-request.hex; the reader re-seals the exact message', async () => {
    const mdoc = await SessionEncryption.establish({
      role: 'mdoc',
      privateKey: eDevicePriv,
      publicKey: establishment.eReaderKeyBytes,
      sessionTranscript: transcript,
    });
    expect(toHex(await mdoc.decrypt(establishment.data))).toBe(hex('device-request'));
    expect(mdoc.receiveCounter).toBe(2);

    const reader = await SessionEncryption.establish({
      role: 'reader',
      privateKey: eReaderPriv,
      publicKey: eDeviceKeyBytes,
      sessionTranscript: transcript,
    });
    expect(reader.sendCounter).toBe(1);
    const sealed = await reader.sealSessionEstablishment(
      establishment.eReaderKeyBytes,
      annexD('device-request'),
      {
        keyOrder: 'insertion',
      },
    );
    expect(toHex(sealed)).toBe(toHex(establishmentBytes));
    expect(reader.sendCounter).toBe(2);
  });

  it('reader opens SessionData to device-response.hex; the mdoc re-seals the exact message', async () => {
    const keys = await deriveSessionKeys({
      privateKey: eReaderPriv,
      publicKey: eDevicePub,
      sessionTranscript: transcript,
    });
    const reader = new SessionEncryption({ role: 'reader', keys });
    await reader.sealSessionEstablishment(establishment.eReaderKeyBytes, annexD('device-request'));
    const opened = await reader.openSessionData(annexD('session-data'));
    expect(toHex(opened.plaintext!)).toBe(hex('device-response'));
    expect(opened.status).toBeUndefined();
    expect(reader.terminated).toBe(false);

    const mdoc = new SessionEncryption({ role: 'mdoc', keys });
    await mdoc.decrypt(establishment.data);
    const sealed = await mdoc.sealSessionData(annexD('device-response'));
    expect(toHex(sealed)).toBe(hex('session-data'));
    // The raw ciphertext alone equals SessionData.data (first mdoc message, counter 1).
    const again = new SessionEncryption({ role: 'mdoc', keys });
    expect(toHex(await again.encrypt(annexD('device-response')))).toBe(
      toHex(parseSessionData(annexD('session-data')).data!),
    );
  });

  it('session termination is {"status": 20} both ways', async () => {
    const keys = await deriveSessionKeys({
      privateKey: eReaderPriv,
      publicKey: eDevicePub,
      sessionTranscript: transcript,
    });
    const mdoc = new SessionEncryption({ role: 'mdoc', keys });
    expect(toHex(mdoc.terminate())).toBe(hex('session-termination'));
    expect(mdoc.terminated).toBe(true);
    const reader = new SessionEncryption({ role: 'reader', keys });
    const opened = await reader.openSessionData(annexD('session-termination'));
    expect(opened).toEqual({ status: SessionStatus.SESSION_TERMINATION });
    expect(reader.terminated).toBe(true);
  });
});

describe('Annex D D.5.3 / D.5.4 — authentication bytes and EMacKey', () => {
  it('DeviceAuthenticationBytes rebuilt from the received parts', () => {
    expect(toHex(deviceNameSpacesBytes.tagged())).toBe('d81841a0');
    const built = buildDeviceAuthenticationBytes({
      sessionTranscript: transcript,
      docType,
      deviceNameSpacesBytes,
    });
    expect(toHex(built.tagged())).toBe(hex('device-authentication-bytes'));
  });

  it('ReaderAuthenticationBytes rebuilt from the received parts', () => {
    expect(toHex(itemsRequestBytes.bytes)).toBe(hex('items-request'));
    const built = buildReaderAuthenticationBytes({ sessionTranscript: transcriptBytes, itemsRequestBytes });
    expect(toHex(built.tagged())).toBe(hex('reader-authentication-bytes'));
  });

  it('EMacKey from both sides, and the DeviceMac tag over the MAC_structure', async () => {
    expect(toHex(await ecdh({ privateKey: sDevicePriv, publicKey: eReaderPub }))).toBe(hex('emac-zab'));
    expect(toHex(await ecdh({ privateKey: eReaderPriv, publicKey: sDevicePub }))).toBe(hex('emac-zab'));
    const onReader = await deriveEMacKey({
      privateKey: eReaderPriv,
      publicKey: sDevicePub,
      sessionTranscript: transcript,
    });
    const onMdoc = await deriveEMacKey({
      privateKey: sDevicePriv,
      publicKey: establishment.eReaderKeyBytes,
      sessionTranscript: transcriptBytes,
    });
    expect(toHex(onReader)).toBe(hex('emac-key'));
    expect(toHex(onMdoc)).toBe(hex('emac-key'));

    const deviceAuthenticationBytes = buildDeviceAuthenticationBytes({
      sessionTranscript: transcript,
      docType,
      deviceNameSpacesBytes,
    }).tagged();
    const macStructure = buildMacStructure({
      protectedBytes: new Uint8Array([0xa1, 0x01, 0x05]),
      payload: deviceAuthenticationBytes,
    });
    expect(toHex(macStructure)).toBe(hex('mac-structure'));
    expect(toHex(hmac('SHA-256', onReader, macStructure))).toBe(hex('mac-tag'));
    // And the tag is the one carried in DeviceAuth.deviceMac.
    const deviceMac = (deviceSigned.get('deviceAuth') as Map<string, unknown>).get('deviceMac') as unknown[];
    expect(toHex(deviceMac[3] as Uint8Array)).toBe(hex('mac-tag'));
  });
});

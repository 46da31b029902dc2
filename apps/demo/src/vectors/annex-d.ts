import { readFileSync } from 'node:fs';
import path from 'node:path';
import { concatBytes, decodeCbor, EncodedCbor, fromHex, toBase64Url } from '@mdlkit/core/cbor';
import { buildMacStructure, buildSigStructure, decodeCoseSign1, parseCoseMac0 } from '@mdlkit/core/cose';
import { hmac, importPrivateKey, type PrivateKey } from '@mdlkit/core/crypto';
import {
  buildDeviceAuthenticationBytes,
  buildReaderAuthenticationBytes,
  deriveEMacKey,
  deriveSessionKeys,
  parseSessionTranscript,
} from '@mdlkit/core/session';
import { createQrEngagement, MdocSession, parseDeviceRequest } from '@mdlkit/holder';
import { buildMso, createIssuerSignedItems } from '@mdlkit/issuer';
import { lintCertificate, pemToDer, TrustStore, validateCertificatePath } from '@mdlkit/pki';
import { CheckId, verifyDeviceResponse } from '@mdlkit/reader';
import { expectBytes, expectThat, type VectorCheck } from './check.js';

type CborMap = Map<unknown, unknown>;
const NS = 'org.iso.18013.5.1';
const MDL = 'org.iso.18013.5.1.mDL';

/** The validation time the Annex D manifest names (DS valid 2020-10-01..2021-10-01). */
export const ANNEX_D_VALIDATION_TIME: Date = new Date('2021-01-01T00:00:00Z');

/** Reads the Annex D folder of the shared vectors. */
export class AnnexDFiles {
  readonly dir: string;
  constructor(vectorsDir: string) {
    this.dir = path.join(vectorsDir, 'iso-18013-5-annex-d');
  }
  hex(name: string): Uint8Array {
    return fromHex(readFileSync(path.join(this.dir, name), 'utf8').trim());
  }
  pem(name: string): Uint8Array {
    return pemToDer(readFileSync(path.join(this.dir, name), 'utf8'));
  }
  key(name: string): PrivateKey {
    return importPrivateKey({ format: 'raw', curve: 'P-256', d: this.hex(name) });
  }
  manifest(): { derived_values?: { qr_device_engagement_uri?: { value?: string } } } {
    return JSON.parse(readFileSync(path.join(this.dir, 'manifest.json'), 'utf8'));
  }
}

function firstDocument(response: Uint8Array): CborMap {
  const doc = ((decodeCbor(response) as CborMap).get('documents') as CborMap[] | undefined)?.[0];
  expectThat(doc !== undefined, 'DeviceResponse has no document');
  return doc;
}

/**
 * Every Annex D check the libraries can run: engagement, transcript, session keys and messages,
 * reader authentication, IssuerSignedItems and MSO rebuilt byte-for-byte, Sig_structure,
 * DeviceAuthentication, EMacKey / MAC, certificate paths, the linter's view of the Annex D
 * certificates, and the full DeviceResponse verification (accepted at the validation time,
 * rejected today for exactly the expired checks).
 */
export function annexDChecks(vectorsDir: string): VectorCheck[] {
  const f = new AnnexDFiles(vectorsDir);
  const suite = 'annex-d';
  const transcript = (): Uint8Array => f.hex('session-transcript-bytes.hex');
  const sessionKeyPair = () => {
    const privateKey = f.key('e-device-key-d.hex');
    return { privateKey, publicKey: privateKey.publicKey };
  };
  const nfcSession = () =>
    new MdocSession({
      eDeviceKey: sessionKeyPair(),
      deviceEngagementBytes: EncodedCbor.fromBytes(f.hex('device-engagement-nfc.hex')),
      handover: {
        kind: 'nfc',
        handoverSelect: f.hex('nfc-handover-select.hex'),
        handoverRequest: f.hex('nfc-handover-request.hex'),
      },
    });
  const issuerSigned = () => firstDocument(f.hex('device-response.hex')).get('issuerSigned') as CborMap;
  const readerTrust = () => new TrustStore([f.pem('reader-root-cert.pem')]);

  return [
    {
      suite,
      id: 'qr-engagement',
      clause: 'D.3.1, 8.2.2.3',
      title: 'QR DeviceEngagement and mdoc: URI rebuilt byte-for-byte',
      run: () => {
        const de = f.hex('device-engagement.hex');
        const qr = createQrEngagement({
          eDeviceKey: sessionKeyPair(),
          ble: { peripheralServerMode: false, centralClientMode: true, centralClientUuid: de.slice(-16) },
        });
        expectBytes(qr.deviceEngagementBytes.bytes, de, 'DeviceEngagement');
        const uri = f.manifest().derived_values?.qr_device_engagement_uri?.value ?? `mdoc:${toBase64Url(de)}`;
        expectThat(qr.uri === uri, 'mdoc: URI differs from the manifest');
      },
    },
    {
      suite,
      id: 'session-transcript',
      clause: 'D.5.1, 9.1.5.1',
      title: 'SessionTranscript parses: NFC engagement, EReaderKey, NFC handover',
      run: () => {
        const st = parseSessionTranscript(transcript());
        expectThat(st.handover.kind === 'nfc', `handover is ${st.handover.kind}, expected nfc`);
        expectThat(st.deviceEngagementBytes !== null, 'no DeviceEngagementBytes');
        expectBytes(st.deviceEngagementBytes.bytes, f.hex('device-engagement-nfc.hex'), 'DeviceEngagement');
        expectBytes(st.encoded.tagged(), transcript(), 'SessionTranscriptBytes round trip');
      },
    },
    {
      suite,
      id: 'session-keys',
      clause: 'D.5.1, 9.1.1.5',
      title: 'SKReader / SKDevice from ECDH + HKDF, both sides',
      run: async () => {
        const st = parseSessionTranscript(transcript());
        expectThat(st.eReaderKeyBytes !== null, 'no EReaderKeyBytes');
        const reader = await deriveSessionKeys({
          privateKey: f.key('e-reader-key-d.hex'),
          publicKey: f.key('e-device-key-d.hex').publicKey,
          sessionTranscript: transcript(),
        });
        expectBytes(reader.skReader, f.hex('sk-reader.hex'), 'SKReader (reader side)');
        expectBytes(reader.skDevice, f.hex('sk-device.hex'), 'SKDevice (reader side)');
        const mdoc = await deriveSessionKeys({
          privateKey: f.key('e-device-key-d.hex'),
          publicKey: st.eReaderKeyBytes,
          sessionTranscript: transcript(),
        });
        expectBytes(mdoc.skReader, f.hex('sk-reader.hex'), 'SKReader (mdoc side)');
      },
    },
    {
      suite,
      id: 'session-messages',
      clause: 'D.5.1, 9.1.1.4',
      title: 'SessionEstablishment decrypts to the DeviceRequest; response encrypts to SessionData',
      run: async () => {
        const session = nfcSession();
        const { deviceRequest, sessionTranscript } = await session.receiveEstablishment(
          f.hex('session-establishment.hex'),
        );
        expectBytes(deviceRequest, f.hex('device-request.hex'), 'decrypted DeviceRequest');
        expectBytes(sessionTranscript.encoded.tagged(), transcript(), 'SessionTranscriptBytes');
        expectBytes(
          await session.sendResponse(f.hex('device-response.hex')),
          f.hex('session-data.hex'),
          'SessionData',
        );
        expectBytes(session.terminate(), f.hex('session-termination.hex'), 'session termination');
      },
    },
    {
      suite,
      id: 'reader-authentication-bytes',
      clause: 'D.4.1.1, 9.1.4',
      title: 'ReaderAuthenticationBytes and its Sig_structure rebuilt',
      run: async () => {
        const request = await parseDeviceRequest(f.hex('device-request.hex'));
        const doc = request.docRequests[0];
        expectThat(doc !== undefined, 'no DocRequest');
        const rab = buildReaderAuthenticationBytes({
          sessionTranscript: transcript(),
          itemsRequestBytes: doc.itemsRequestBytes,
        });
        expectBytes(rab.tagged(), f.hex('reader-authentication-bytes.hex'), 'ReaderAuthenticationBytes');
        const readerAuth = decodeCoseSign1(f.hex('reader-auth.hex'));
        const tbs = buildSigStructure({ protectedBytes: readerAuth.protectedBytes, payload: rab.tagged() });
        expectBytes(tbs, f.hex('reader-auth-sig-structure.hex'), 'ReaderAuth Sig_structure');
      },
    },
    {
      suite,
      id: 'reader-auth',
      clause: 'D.4.1.1, 9.1.4, B.1.7',
      title: 'DeviceRequest ReaderAuth verifies to the reader root (lenient profile)',
      run: async () => {
        const request = await parseDeviceRequest(f.hex('device-request.hex'), {
          sessionTranscript: transcript(),
          trustStore: readerTrust(),
          now: ANNEX_D_VALIDATION_TIME,
          policy: 'lenient',
        });
        const auth = request.docRequests[0]?.readerAuth;
        expectThat(
          auth?.status === 'verified',
          `reader auth ${auth?.status}${auth?.status === 'failed' ? ` (${auth.code})` : ''}`,
        );
      },
    },
    {
      suite,
      id: 'issuer-signed-items',
      clause: 'D.4.1.2, 9.1.2.4',
      title: 'IssuerSignedItemBytes and the MSO rebuilt byte-for-byte (salts replayed)',
      run: () => {
        const items = (issuerSigned().get('nameSpaces') as CborMap).get(NS) as EncodedCbor[];
        const msoBytes = decodeCbor(decodeCoseSign1(f.hex('issuer-auth.hex')).payload!) as EncodedCbor;
        const mso = msoBytes.value as CborMap;
        const values = new Map<string, unknown>(
          items.map((i) => {
            const m = i.value as CborMap;
            return [m.get('elementIdentifier') as string, m.get('elementValue')];
          }),
        );
        expectBytes(values.get('portrait') as Uint8Array, f.hex('portrait.hex'), 'portrait');
        // Replay the Annex D salts as the random source, however the issuer draws them.
        const saltStream = concatBytes(...items.map((i) => (i.value as CborMap).get('random') as Uint8Array));
        let offset = 0;
        const replay = (n: number): Uint8Array => {
          const out = saltStream.slice(offset, offset + n);
          offset += n;
          return out;
        };
        const ids = items.map((i) => (i.value as CborMap).get('digestID') as number);
        const built = createIssuerSignedItems({
          nameSpaces: new Map([[NS, values]]),
          randomBytes: replay,
          digestIdStrategy: () => ids,
          keyOrder: 'insertion',
        });
        const rebuilt = built.get(NS) ?? [];
        expectThat(
          rebuilt.length === items.length,
          `${rebuilt.length} items rebuilt, expected ${items.length}`,
        );
        for (const [i, b] of rebuilt.entries())
          expectBytes(b.bytes.tagged(), items[i]!.tagged(), `item ${i}`);
        const vd = mso.get('valueDigests') as Map<string, Map<number, Uint8Array>>;
        const disclosed = new Set(ids);
        const additional = new Map<string, Map<number, Uint8Array>>();
        for (const [ns, m] of vd)
          additional.set(ns, new Map([...m].filter(([id]) => ns !== NS || !disclosed.has(id))));
        const out = buildMso({
          docType: MDL,
          nameSpaces: built,
          additionalDigests: additional,
          deviceKey: (mso.get('deviceKeyInfo') as CborMap).get('deviceKey') as Map<number, unknown>,
          validity: {
            signed: new Date('2020-10-01T13:30:02Z'),
            validFrom: new Date('2020-10-01T13:30:02Z'),
            validUntil: new Date('2021-10-01T13:30:02Z'),
          },
          keyOrder: 'insertion',
        });
        expectBytes(out.bytes.tagged(), msoBytes.tagged(), 'MobileSecurityObjectBytes');
      },
    },
    {
      suite,
      id: 'issuer-auth-sig-structure',
      clause: 'D.5.2, 9.1.2.4',
      title: 'IssuerAuth Sig_structure over the MSO bytes as received',
      run: () => {
        const ia = decodeCoseSign1(f.hex('issuer-auth.hex'));
        const tbs = buildSigStructure({ protectedBytes: ia.protectedBytes, payload: ia.payload! });
        expectBytes(tbs, f.hex('issuer-auth-sig-structure.hex'), 'Sig_structure');
      },
    },
    {
      suite,
      id: 'device-mac',
      clause: 'D.5.3, 9.1.3.5',
      title: 'DeviceAuthenticationBytes, EMacKey, MAC_structure and tag',
      run: async () => {
        const doc = firstDocument(f.hex('device-response.hex'));
        const deviceSigned = doc.get('deviceSigned') as CborMap;
        const dab = buildDeviceAuthenticationBytes({
          sessionTranscript: transcript(),
          docType: MDL,
          deviceNameSpacesBytes: deviceSigned.get('nameSpaces') as EncodedCbor,
        });
        expectBytes(dab.tagged(), f.hex('device-authentication-bytes.hex'), 'DeviceAuthenticationBytes');
        const emac = await deriveEMacKey({
          privateKey: f.key('e-reader-key-d.hex'),
          publicKey: f.key('s-device-key-d.hex').publicKey,
          sessionTranscript: transcript(),
        });
        expectBytes(emac, f.hex('emac-key.hex'), 'EMacKey');
        const mac0 = parseCoseMac0((deviceSigned.get('deviceAuth') as CborMap).get('deviceMac'));
        const macStructure = buildMacStructure({
          protectedBytes: mac0.protectedBytes,
          payload: dab.tagged(),
        });
        expectBytes(macStructure, f.hex('mac-structure.hex'), 'MAC_structure');
        expectBytes(hmac('SHA-256', emac, macStructure), f.hex('mac-tag.hex'), 'MAC tag');
      },
    },
    {
      suite,
      id: 'ds-path',
      clause: '9.3.3, B.1.3',
      title: 'DS certificate chains to the Annex D IACA (lenient profile)',
      run: async () => {
        const r = await validateCertificatePath({
          chain: [f.pem('ds-cert.pem')],
          trustStore: new TrustStore([f.pem('iaca-cert.pem')]),
          now: ANNEX_D_VALIDATION_TIME,
          profile: 'ds',
          policy: 'lenient',
        });
        expectThat(r.valid, `path invalid: ${r.findings.map((x) => x.code).join(', ')}`);
      },
    },
    {
      suite,
      id: 'reader-path',
      clause: '9.1.4, B.1.7',
      title: 'Reader certificate chains to the reader root (lenient profile)',
      run: async () => {
        const r = await validateCertificatePath({
          chain: [f.pem('reader-cert.pem')],
          trustStore: readerTrust(),
          now: ANNEX_D_VALIDATION_TIME,
          profile: 'reader-auth',
          policy: 'lenient',
        });
        expectThat(r.valid, `path invalid: ${r.findings.map((x) => x.code).join(', ')}`);
      },
    },
    {
      suite,
      id: 'lint-strict',
      clause: 'Annex B',
      title: 'strict linter flags the Annex D DS (CRL DP is a dNSName, not a URI)',
      run: () => {
        const r = lintCertificate(f.pem('ds-cert.pem'), { profile: 'ds', issuer: f.pem('iaca-cert.pem') });
        expectThat(!r.ok, 'expected the strict Annex B linter to report the DS');
        expectThat(
          r.findings.some((x) => x.rule.startsWith('crldp')),
          `expected a crldp finding, got ${r.findings.map((x) => x.rule).join(', ')}`,
        );
      },
    },
    {
      suite,
      id: 'device-response-accept',
      clause: 'D.4.1.2, 9.3',
      title: 'DeviceResponse verifies at 2021-01-01 (chain, signature, 6 digests, validity, DeviceMac)',
      run: async () => {
        const report = await verifyDeviceResponse(f.hex('device-response.hex'), {
          trust: new TrustStore([f.pem('iaca-cert.pem')]),
          sessionTranscript: transcript(),
          eReaderKey: f.key('e-reader-key-d.hex'),
          now: ANNEX_D_VALIDATION_TIME,
          policy: 'lenient',
        });
        const failed = report.documents.flatMap((d) => d.checks.filter((c) => c.status === 'failed'));
        expectThat(report.verified, `not verified: ${failed.map((c) => `${c.id} ${c.code}`).join(', ')}`);
        expectThat(report.documents[0]?.elements.length === 6, 'expected 6 disclosed elements');
        expectThat(report.documents[0]?.deviceAuthMethod === 'mac', 'expected DeviceMac');
      },
    },
    {
      suite,
      id: 'device-response-reject-today',
      clause: '9.3.1 step 5, B.1.3',
      title: 'DeviceResponse rejected today: DS certificate and MSO expired, nothing else',
      run: async () => {
        const report = await verifyDeviceResponse(f.hex('device-response.hex'), {
          trust: new TrustStore([f.pem('iaca-cert.pem')]),
          sessionTranscript: transcript(),
          eReaderKey: f.key('e-reader-key-d.hex'),
          now: new Date(),
          policy: 'lenient',
        });
        const failed =
          report.documents[0]?.checks.filter((c) => c.status === 'failed').map((c) => c.id) ?? [];
        expectThat(!report.verified, 'expected the expired response to be rejected');
        expectThat(
          failed.length === 2 &&
            failed.includes(CheckId.DS_CERTIFICATE_VALIDITY) &&
            failed.includes(CheckId.MSO_VALIDITY),
          `failed checks: ${failed.join(', ')}`,
        );
      },
    },
  ];
}

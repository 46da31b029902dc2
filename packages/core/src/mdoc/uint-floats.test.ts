import { describe, expect, it } from 'vitest';
import { EncodedCbor, encodeCbor, fromHex, RawCbor } from '../cbor/index.js';
import { isMdlError } from '../errors/index.js';
import { parseSessionData, parseSessionEstablishment } from '../session/index.js';
import {
  bleOptions,
  DEVICE_REQUEST_CBOR,
  type DeviceEngagement,
  type DeviceRetrievalMethod,
  decodeDeviceEngagement,
  decodeDeviceRequest,
  MDL_DOCTYPE,
  MDL_NAMESPACE,
  nfcOptions,
  parseDeviceRequestInfo,
  wifiOptions,
} from './index.js';

/*
 * Every `uint` / `int` of the DeviceEngagement, DeviceRequest, SessionEstablishment and SessionData
 * CDDL (digest §2.7–§2.9) is CBOR major type 0 / 1: an integral float such as 1.0 (`f9 3c00`) is
 * ERR_CBOR_FLOAT_NOT_ALLOWED, as in the MSO. Each case first reads the genuine integer, so the
 * structure is otherwise valid and the float alone fails it.
 */

const HALF = (hex: string) => new RawCbor(fromHex(hex));
const ONE = HALF('f93c00'); // 1.0
const TWO = HALF('f94000'); // 2.0

interface Failure {
  readonly code: string;
  readonly cborCode?: unknown;
}

function failure(fn: () => unknown): Failure {
  try {
    fn();
  } catch (e) {
    if (!isMdlError(e)) throw e;
    return e.details.cborCode === undefined
      ? { code: e.code }
      : { code: e.code, cborCode: e.details.cborCode };
  }
  return { code: 'none' };
}

const FLOAT = { code: 'ERR_CBOR_FLOAT_NOT_ALLOWED' };
const EDEVICE_KEY = new Map<number, unknown>([
  [1, 2],
  [-1, 1],
  [-2, new Uint8Array(32).fill(1)],
  [-3, new Uint8Array(32).fill(2)],
]);

describe('DeviceEngagement: every uint / int is an integer (digest §2.8)', () => {
  // A BLE retrieval method (central client mode off, peripheral server on) with the given type and version.
  const bleMethod = (type: unknown = 2, version: unknown = 1, options = new Map<number, unknown>()) => [
    type,
    version,
    new Map<number, unknown>([[0, true], [1, false], ...options]),
  ];
  const engagement = (p: {
    cipherSuite?: unknown;
    method?: unknown[];
    origins?: unknown[];
    server?: unknown;
    key?: Map<number, unknown>;
  }) =>
    encodeCbor(
      new Map<number, unknown>([
        [0, '1.1'],
        [1, [p.cipherSuite ?? 1, EncodedCbor.fromValue(p.key ?? EDEVICE_KEY)]],
        [2, [p.method ?? bleMethod()]],
        ...(p.server === undefined ? [] : [[3, p.server] as [number, unknown]]),
        [5, p.origins ?? []],
      ]),
      { keyOrder: 'insertion' },
    );
  const ble = (psm: unknown) => bleMethod(2, 1, new Map([[21, psm]]));
  const nfc = (max: unknown) => [
    1,
    1,
    new Map<number, unknown>([
      [0, max],
      [1, 255],
    ]),
  ];
  const wifi = (channel: unknown) => [
    3,
    1,
    new Map<number, unknown>([
      [1, 81],
      [2, channel],
    ]),
  ];
  const origin = (cat: unknown) => [
    new Map<string, unknown>([
      ['cat', cat],
      ['type', 1],
      ['details', new Map([['baseUrl', 'https://rp.example']])],
    ]),
  ];
  const webApi = (version: unknown) => new Map([['webApi', [version, 'https://mdoc.example', 'token']]]);

  type Read = (e: DeviceEngagement) => unknown;
  const method = (e: DeviceEngagement) => e.deviceRetrievalMethods?.[0] as DeviceRetrievalMethod;
  const cases: [string, (v: unknown) => Uint8Array, Read, number, RawCbor][] = [
    [
      'the cipher suite identifier (Security[0], int)',
      (v) => engagement({ cipherSuite: v }),
      (e) => e.security.cipherSuite,
      1,
      ONE,
    ],
    [
      'a retrieval method type (uint)',
      (v) => engagement({ method: bleMethod(v, 1) }),
      (e) => method(e).type,
      2,
      TWO,
    ],
    [
      'a retrieval method version (uint)',
      (v) => engagement({ method: bleMethod(2, v) }),
      (e) => method(e).version,
      1,
      ONE,
    ],
    [
      'the BLE L2CAP PSM (BleOptions 21, uint)',
      (v) => engagement({ method: ble(v) }),
      (e) => bleOptions(method(e)).l2capPsm,
      192,
      HALF('f95a00'),
    ],
    [
      'the NFC max command data length (NfcOptions 0, uint)',
      (v) => engagement({ method: nfc(v) }),
      (e) => nfcOptions(method(e)).maxCommandDataLength,
      255,
      HALF('f95bf8'),
    ],
    [
      'the Wi-Fi Aware channel (WifiOptions 2, uint)',
      (v) => engagement({ method: wifi(v) }),
      (e) => wifiOptions(method(e)).channelNumber,
      6,
      HALF('f94600'),
    ],
    [
      'an OriginInfo cat (uint)',
      (v) => engagement({ origins: origin(v) }),
      (e) => (e.originInfos?.[0] as Map<string, unknown> | undefined)?.get('cat'),
      1,
      ONE,
    ],
    [
      'a 2021 ServerRetrievalMethods version (uint)',
      (v) => engagement({ server: webApi(v) }),
      (e) => (e.serverRetrievalMethods?.get('webApi') as unknown[] | undefined)?.[0],
      1,
      ONE,
    ],
  ];

  it.each(cases)(
    '%s: the integer reads, the integral float is ERR_CBOR_FLOAT_NOT_ALLOWED',
    (_what, build, read, good, float) => {
      expect(read(decodeDeviceEngagement(build(good)).engagement)).toBe(good);
      expect(failure(() => decodeDeviceEngagement(build(float)))).toEqual(FLOAT);
    },
  );

  it('a float in EDeviceKeyBytes (the COSE_Key kty 2.0) is ERR_STRUCTURE_INVALID with the CBOR code', () => {
    const key = new Map(EDEVICE_KEY);
    key.set(1, TWO);
    expect(failure(() => decodeDeviceEngagement(engagement({ key })))).toEqual({
      code: 'ERR_STRUCTURE_INVALID',
      cborCode: 'ERR_CBOR_FLOAT_NOT_ALLOWED',
    });
  });
});

describe('DeviceRequest: every uint / int is an integer (digest §2.7)', () => {
  const itemsRequest = (requestInfo?: Map<string, unknown>) =>
    EncodedCbor.fromValue(
      new Map<string, unknown>([
        ['docType', MDL_DOCTYPE],
        ['nameSpaces', new Map([[MDL_NAMESPACE, new Map([['family_name', false]])]])],
        ...(requestInfo === undefined ? [] : [['requestInfo', requestInfo] as [string, unknown]]),
      ]),
    );
  const request = (p: { info?: Map<string, unknown>; requestInfo?: Map<string, unknown> }) =>
    encodeCbor(
      new Map<string, unknown>([
        ['version', '1.1'],
        ['docRequests', [new Map([['itemsRequest', itemsRequest(p.requestInfo)]])]],
        ...(p.info === undefined
          ? []
          : [['deviceRequestInfo', EncodedCbor.fromValue(p.info)] as [string, unknown]]),
      ]),
    );
  const useCases = (index: unknown, hint: unknown = 1) =>
    new Map([
      [
        'useCases',
        [
          new Map<string, unknown>([
            ['mandatory', true],
            ['documentSets', [[index]]],
            ['purposeHints', new Map([['org.iso.jtc1.sc17', hint]])],
          ]),
        ],
      ],
    ]);
  const readInfo = (bytes: Uint8Array) => {
    const r = decodeDeviceRequest(bytes);
    return parseDeviceRequestInfo(r.deviceRequestInfo?.value, { docRequestCount: r.docRequests.length });
  };

  it('a useCases document-set index 0.0 (uint) is ERR_CBOR_FLOAT_NOT_ALLOWED; 0 reads', () => {
    expect(readInfo(request({ info: useCases(0) })).useCases?.[0]?.documentSets).toEqual([[0]]);
    expect(failure(() => readInfo(request({ info: useCases(HALF('f90000')) })))).toEqual(FLOAT);
  });

  it('a purpose hint 1.0 (int) is ERR_CBOR_FLOAT_NOT_ALLOWED; 1 reads', () => {
    expect(
      readInfo(request({ info: useCases(0, 1) })).useCases?.[0]?.purposeHints?.get('org.iso.jtc1.sc17'),
    ).toBe(1);
    expect(failure(() => readInfo(request({ info: useCases(0, ONE) })))).toEqual(FLOAT);
  });

  it('an ItemsRequest maximumResponseSize 1024.0 (uint) is ERR_STRUCTURE_INVALID with the CBOR code; 1024 reads', () => {
    const info = (size: unknown) => new Map([['maximumResponseSize', size]]);
    const ok = decodeDeviceRequest(request({ requestInfo: info(1024) }));
    expect(ok.docRequests[0]?.itemsRequest.requestInfo?.get('maximumResponseSize')).toBe(1024);
    expect(failure(() => decodeDeviceRequest(request({ requestInfo: info(HALF('f96400')) })))).toEqual({
      code: 'ERR_STRUCTURE_INVALID',
      cborCode: 'ERR_CBOR_FLOAT_NOT_ALLOWED',
    });
  });

  it('DEVICE_REQUEST_CBOR is the noFloats profile decodeDeviceRequest uses', () => {
    expect(DEVICE_REQUEST_CBOR).toEqual({ noFloats: true });
    expect(Object.isFrozen(DEVICE_REQUEST_CBOR)).toBe(true);
  });
});

describe('SessionEstablishment / SessionData: no float (digest §2.9)', () => {
  const sessionData = (status: unknown) => encodeCbor(new Map([['status', status]]));

  it('a SessionData status 20.0, 10.0 or 11.0 is ERR_CBOR_FLOAT_NOT_ALLOWED; 20, 10 and 11 read', () => {
    for (const [int, float] of [
      [20, HALF('f94d00')],
      [10, HALF('f94900')],
      [11, HALF('f94980')],
    ] as const) {
      expect(parseSessionData(sessionData(int)).status).toBe(int);
      expect(failure(() => parseSessionData(sessionData(float)))).toEqual(FLOAT);
    }
  });

  it('a SessionEstablishment with a float (an RFU value) is ERR_CBOR_FLOAT_NOT_ALLOWED', () => {
    const establishment = (extra: unknown) =>
      encodeCbor(
        new Map<string, unknown>([
          ['eReaderKey', EncodedCbor.fromValue(EDEVICE_KEY)],
          ['data', new Uint8Array(17)],
          ['rfu', extra],
        ]),
      );
    expect(parseSessionEstablishment(establishment(1)).data).toHaveLength(17);
    expect(failure(() => parseSessionEstablishment(establishment(ONE)))).toEqual(FLOAT);
  });
});

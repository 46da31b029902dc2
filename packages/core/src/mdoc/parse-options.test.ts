import { describe, expect, it } from 'vitest';
import { CborBudget, decodeCbor, EncodedCbor, encodeCbor, fromHex, RawCbor, TDate } from '../cbor/index.js';
import { isMdlError } from '../errors/index.js';
import {
  DEFAULT_MDOC_LIMITS,
  decodeDeviceResponse,
  decodeMobileSecurityObjectBytes,
  MDL_DOCTYPE,
  MDL_NAMESPACE,
  type MdocDecodeOptions,
  parseDeviceResponse,
} from './index.js';

/*
 * The parse options of core/mdoc: count limits, the `verifier` rules (what a reader checks before it
 * judges each document) and one CborBudget across the response and every tag-24 item in it.
 */

const SIGN1 = [new Uint8Array([0xa1, 0x01, 0x26]), new Map(), new Uint8Array(0), new Uint8Array(64)];
const MAC0 = [new Uint8Array([0xa1, 0x01, 0x05]), new Map(), null, new Uint8Array(32)];

function failure(fn: () => unknown): { code: string; path: unknown } {
  try {
    fn();
  } catch (e) {
    if (isMdlError(e)) return { code: e.code, path: e.details.path };
    throw e;
  }
  return { code: 'no error', path: undefined };
}

const code = (fn: () => unknown): string => failure(fn).code;

function item(digestID: unknown, identifier = `e${String(digestID)}`): EncodedCbor {
  return EncodedCbor.fromValue(
    new Map<string, unknown>([
      ['digestID', digestID],
      ['random', new Uint8Array(16).fill(7)],
      ['elementIdentifier', identifier],
      ['elementValue', 'value'],
    ]),
  );
}

interface DocParts {
  readonly issuerNameSpaces?: Map<string, unknown[]>;
  readonly deviceNameSpaces?: Map<string, Map<string, unknown>>;
  readonly deviceNameSpacesBytes?: unknown;
  readonly deviceAuth?: Map<string, unknown>;
  readonly issuerAuth?: unknown;
}

function doc(parts: DocParts = {}): Map<string, unknown> {
  const issuerSigned = new Map<string, unknown>([
    ['nameSpaces', parts.issuerNameSpaces ?? new Map([[MDL_NAMESPACE, [item(0), item(1)]]])],
    ['issuerAuth', parts.issuerAuth ?? SIGN1],
  ]);
  const dns = parts.deviceNameSpacesBytes ?? EncodedCbor.fromValue(parts.deviceNameSpaces ?? new Map());
  return new Map<string, unknown>([
    ['docType', MDL_DOCTYPE],
    ['issuerSigned', issuerSigned],
    [
      'deviceSigned',
      new Map<string, unknown>([
        ['nameSpaces', dns],
        ['deviceAuth', parts.deviceAuth ?? new Map([['deviceSignature', SIGN1]])],
      ]),
    ],
  ]);
}

function response(docs: unknown[], extra: [string, unknown][] = []): Uint8Array {
  return encodeCbor(
    new Map<string, unknown>([['version', '1.0'], ['documents', docs], ['status', 0], ...extra]),
  );
}

const VERIFIER: MdocDecodeOptions = { rules: 'verifier' };

describe('count limits (both rules)', () => {
  it('holds the documents, namespaces and elements of a response to their limits, each with its code', () => {
    const two = response([doc(), doc()]);
    expect(code(() => decodeDeviceResponse(two, { limits: { maxDocuments: 1 } }))).toBe(
      'ERR_LIMIT_DOCUMENTS',
    );
    expect(code(() => decodeDeviceResponse(two, { ...VERIFIER, limits: { maxDocuments: 1 } }))).toBe(
      'ERR_LIMIT_DOCUMENTS',
    );
    expect(decodeDeviceResponse(two, { limits: { maxDocuments: 2 } }).documents).toHaveLength(2);

    const issuerNs = response([
      doc({
        issuerNameSpaces: new Map([
          ['a', [item(0)]],
          ['b', [item(1)]],
        ]),
      }),
    ]);
    expect(code(() => decodeDeviceResponse(issuerNs, { ...VERIFIER, limits: { maxNameSpaces: 1 } }))).toBe(
      'ERR_LIMIT_NAMESPACES',
    );
    const deviceNs = response([
      doc({
        deviceNameSpaces: new Map([
          ['a', new Map([['x', 1]])],
          ['b', new Map([['y', 2]])],
        ]),
      }),
    ]);
    expect(code(() => decodeDeviceResponse(deviceNs, { limits: { maxNameSpaces: 1 } }))).toBe(
      'ERR_LIMIT_NAMESPACES',
    );
    expect(decodeDeviceResponse(deviceNs, { limits: { maxNameSpaces: 2 } }).documents).toHaveLength(1);
  });

  it('counts issuer- and device-signed elements of one document together, per document', () => {
    // Two issuer-signed and one device-signed element: 3 in the document.
    const bytes = response([doc({ deviceNameSpaces: new Map([['d', new Map([['x', 1]])]]) }), doc()]);
    expect(code(() => decodeDeviceResponse(bytes, { ...VERIFIER, limits: { maxElements: 2 } }))).toBe(
      'ERR_LIMIT_ELEMENTS',
    );
    // The count restarts for each document: 3 and 2 both fit a limit of 3.
    expect(decodeDeviceResponse(bytes, { ...VERIFIER, limits: { maxElements: 3 } }).documents).toHaveLength(
      2,
    );
  });

  it('applies the defaults when no limits are given, and rejects limits that are not counts', () => {
    const many = response(Array.from({ length: DEFAULT_MDOC_LIMITS.maxDocuments + 1 }, () => doc()));
    expect(code(() => decodeDeviceResponse(many))).toBe('ERR_LIMIT_DOCUMENTS');
    expect(code(() => decodeDeviceResponse(response([doc()]), { limits: { maxElements: -1 } }))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
    expect(code(() => parseDeviceResponse(new Map(), { limits: { maxDocuments: 1.5 } }))).toBe(
      'ERR_INVALID_ARGUMENT',
    );
  });
});

describe('one budget across the response and its embedded items', () => {
  it('charges every tag-24 item decoded from the response to the budget it was decoded under', () => {
    const bytes = response([doc()]);
    const alone = new CborBudget();
    decodeCbor(bytes, { budget: alone }); // tag-24 items stay undecoded
    const budget = new CborBudget();
    decodeDeviceResponse(bytes, { ...VERIFIER, budget });
    // The items and DeviceNameSpacesBytes are re-read on top of the outer decode.
    expect(budget.bytesUsed).toBeGreaterThan(alone.bytesUsed);
    expect(budget.itemsUsed).toBeGreaterThan(alone.itemsUsed);
  });

  it('decodes a failing item or a response that is no map once: the budget is charged once', () => {
    const notMap = EncodedCbor.fromBytes(fromHex('83010203')); // [1, 2, 3]
    const broken = EncodedCbor.fromBytes(fromHex('a2616101')); // a map of two entries that has one
    for (const [bad, cbor] of [
      [notMap, undefined],
      [broken, 'ERR_CBOR_TRUNCATED'],
    ] as const) {
      const bytes = response([doc({ issuerNameSpaces: new Map([[MDL_NAMESPACE, [bad]]]) })]);
      for (const rules of ['verifier', 'model'] as const) {
        const budget = new CborBudget();
        let error: unknown;
        try {
          decodeDeviceResponse(bytes, { rules, budget });
        } catch (e) {
          error = e;
        }
        const expected = cbor === undefined || rules === 'model' ? 'ERR_STRUCTURE_INVALID' : cbor;
        expect(isMdlError(error) && error.code, rules).toBe(expected);
        // the response, then the item's 4 content bytes once
        expect(budget.bytesUsed, `${rules} ${String(cbor)}`).toBe(bytes.length + 4);
      }
    }
    const array = encodeCbor([1, 2]);
    for (const rules of ['verifier', 'model'] as const) {
      const budget = new CborBudget();
      expect(code(() => decodeDeviceResponse(array, { rules, budget }))).toBe('ERR_STRUCTURE_INVALID');
      expect(budget.bytesUsed, rules).toBe(array.length);
    }
  });

  it('fails with the CBOR limit code when the embedded items exceed a budget the outer input fits', () => {
    const bytes = response([doc()]);
    const outer = new CborBudget();
    decodeCbor(bytes, { budget: outer });
    for (const rules of ['verifier', 'model'] as const) {
      expect(
        code(() =>
          decodeDeviceResponse(bytes, { rules, budget: new CborBudget({ maxBytes: outer.bytesUsed }) }),
        ),
      ).toBe(rules === 'verifier' ? 'ERR_CBOR_INPUT_TOO_LARGE' : 'ERR_STRUCTURE_INVALID');
      expect(
        code(() =>
          decodeDeviceResponse(bytes, { rules, maxItems: outer.itemsUsed, budget: new CborBudget() }),
        ),
      ).toBe(rules === 'verifier' ? 'ERR_CBOR_ITEM_COUNT_EXCEEDED' : 'ERR_STRUCTURE_INVALID');
    }
    expect(
      code(() => decodeDeviceResponse(bytes, { ...VERIFIER, budget: new CborBudget({ maxBytes: 10_000 }) })),
    ).toBe('no error');
  });
});

describe('verifier rules', () => {
  it('keeps the CBOR code of a broken embedded item and names its path; the model rules say structure', () => {
    const broken = EncodedCbor.fromBytes(fromHex('a1')); // a map head with no entries
    const bytes = response([doc({ issuerNameSpaces: new Map([[MDL_NAMESPACE, [item(0), broken]]]) })]);
    const v = failure(() => decodeDeviceResponse(bytes, VERIFIER));
    expect(v.code).toMatch(/^ERR_CBOR_/);
    expect(v.path).toBe(`documents[0].issuerSigned.nameSpaces["${MDL_NAMESPACE}"][1]`);
    expect(code(() => decodeDeviceResponse(bytes))).toBe('ERR_STRUCTURE_INVALID');

    const dns = response([doc({ deviceNameSpacesBytes: EncodedCbor.fromBytes(fromHex('a1')) })]);
    expect(code(() => decodeDeviceResponse(dns, VERIFIER))).toMatch(/^ERR_CBOR_/);
    expect(code(() => decodeDeviceResponse(dns))).toBe('ERR_STRUCTURE_INVALID');
  });

  it('holds the version to major version 1 (model: any "major.minor")', () => {
    const v2 = encodeCbor(
      new Map<string, unknown>([
        ['version', '2.0'],
        ['status', 0],
      ]),
    );
    expect(code(() => decodeDeviceResponse(v2, VERIFIER))).toBe('ERR_VERSION_UNSUPPORTED');
    expect(decodeDeviceResponse(v2).version).toBe('2.0');
    const v11 = encodeCbor(
      new Map<string, unknown>([
        ['version', '1.1'],
        ['status', 0],
      ]),
    );
    expect(decodeDeviceResponse(v11, VERIFIER).version).toBe('1.1');
  });

  it('reads a status or digestID that is an integral float as ERR_CBOR_FLOAT_NOT_ALLOWED, a negative one as no uint', () => {
    const withStatus = (status: unknown) =>
      encodeCbor(
        new Map<string, unknown>([
          ['version', '1.0'],
          ['status', status],
        ]),
      );
    for (const options of [VERIFIER, {}]) {
      expect(decodeDeviceResponse(withStatus(0), options).status).toBe(0);
      // 0.0, −0.0 (half precision) and 0.0 (single precision): never the uint 0, under both rules
      for (const float of ['f90000', 'f98000', 'fa00000000']) {
        expect(code(() => decodeDeviceResponse(withStatus(new RawCbor(fromHex(float))), options))).toBe(
          'ERR_CBOR_FLOAT_NOT_ALLOWED',
        );
      }
      expect(failure(() => decodeDeviceResponse(withStatus(-1), options))).toEqual({
        code: 'ERR_STRUCTURE_INVALID',
        path: 'status',
      });
    }
    const itemPath = `documents[0].issuerSigned.nameSpaces["${MDL_NAMESPACE}"][0]`;
    const withItem = (digestID: unknown) =>
      response([doc({ issuerNameSpaces: new Map([[MDL_NAMESPACE, [item(digestID)]]]) })]);
    const half1 = withItem(new RawCbor(fromHex('f93c00'))); // half-precision 1.0
    // The item is a tag-24 item: the verifier rules keep the CBOR code, the model rules say structure.
    expect(failure(() => decodeDeviceResponse(half1, VERIFIER))).toEqual({
      code: 'ERR_CBOR_FLOAT_NOT_ALLOWED',
      path: itemPath,
    });
    try {
      decodeDeviceResponse(half1);
      expect.unreachable();
    } catch (e) {
      expect(isMdlError(e) && { code: e.code, ...e.details }).toEqual({
        code: 'ERR_STRUCTURE_INVALID',
        path: itemPath,
        cborCode: 'ERR_CBOR_FLOAT_NOT_ALLOWED',
      });
    }
    for (const options of [VERIFIER, {}]) {
      expect(decodeDeviceResponse(withItem(1), options).documents?.[0]).toBeDefined();
      expect(failure(() => decodeDeviceResponse(withItem(-1), options))).toEqual({
        code: 'ERR_STRUCTURE_INVALID',
        path: `${itemPath}.digestID`,
      });
    }
  });

  it('keeps DeviceAuth and IssuerAuth as they arrived, for the verifier to judge per document', () => {
    const neither = response([doc({ deviceAuth: new Map() })]);
    const both = response([
      doc({
        deviceAuth: new Map<string, unknown>([
          ['deviceSignature', SIGN1],
          ['deviceMac', MAC0],
        ]),
      }),
    ]);
    const badAuth = response([doc({ issuerAuth: 'not a COSE_Sign1' })]);
    for (const bytes of [neither, both, badAuth]) {
      expect(code(() => decodeDeviceResponse(bytes))).toBe('ERR_STRUCTURE_INVALID');
      expect(decodeDeviceResponse(bytes, VERIFIER).documents).toHaveLength(1);
    }
    const parsed = decodeDeviceResponse(both, VERIFIER).documents![0]!;
    expect(Object.keys(parsed.deviceSigned.deviceAuth).sort()).toEqual(['deviceMac', 'deviceSignature']);
    expect(decodeDeviceResponse(badAuth, VERIFIER).documents![0]!.issuerSigned.issuerAuth).toBe(
      'not a COSE_Sign1',
    );
  });

  it('reads only the known fields and keeps every item as the bytes that arrived', () => {
    const original = item(0);
    const bytes = response(
      [doc({ issuerNameSpaces: new Map([[MDL_NAMESPACE, [original]]]) })],
      [['zkDocuments', [1, 2]]],
    );
    const parsed = decodeDeviceResponse(bytes, VERIFIER);
    const received = parsed.documents![0]!.issuerSigned.nameSpaces!.get(MDL_NAMESPACE)![0]!;
    expect(received.bytes.tagged()).toEqual(original.tagged());
    expect(received.digestID).toBe(0);
    // The received item's bytes are the very bytes of the response, not a re-encoding.
    const offset = indexOf(bytes, original.tagged());
    expect(offset).toBeGreaterThan(0);
  });

  it('holds the model rules to text keys without a second read (the verifier rules ignore others)', () => {
    const bytes = response([doc()], [[7 as unknown as string, 'an int key']]);
    expect(failure(() => decodeDeviceResponse(bytes))).toEqual({ code: 'ERR_STRUCTURE_INVALID', path: '' });
    expect(decodeDeviceResponse(bytes, VERIFIER).documents).toHaveLength(1);
  });

  it('reads an MSO with an unknown digest algorithm as ERR_MSO_INVALID (model: any text)', () => {
    const mso = new Map<string, unknown>([
      ['version', '1.0'],
      ['digestAlgorithm', 'MD5'],
      ['valueDigests', new Map([[MDL_NAMESPACE, new Map([[0, new Uint8Array(32)]])]])],
      ['deviceKeyInfo', new Map([['deviceKey', new Map<number, unknown>([[1, 2]])]])],
      ['docType', MDL_DOCTYPE],
      [
        'validityInfo',
        new Map([
          ['signed', new TDate('2026-01-01T00:00:00Z')],
          ['validFrom', new TDate('2026-01-01T00:00:00Z')],
          ['validUntil', new TDate('2027-01-01T00:00:00Z')],
        ]),
      ],
    ]);
    const payload = EncodedCbor.fromValue(mso).tagged();
    expect(code(() => decodeMobileSecurityObjectBytes(payload, VERIFIER))).toBe('ERR_MSO_INVALID');
    expect(decodeMobileSecurityObjectBytes(payload).mso.digestAlgorithm).toBe('MD5');
    mso.set('version', '2.0');
    expect(code(() => decodeMobileSecurityObjectBytes(EncodedCbor.fromValue(mso).tagged(), VERIFIER))).toBe(
      'ERR_VERSION_UNSUPPORTED',
    );
  });
});

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

describe('MSO status: every uint is major type 0, the entries hold to their CDDL', () => {
  const HALF_ONE = new RawCbor(fromHex('f93c00')); // half-precision 1.0
  const mso = (status: unknown, digestId: unknown = 0): Map<string, unknown> =>
    new Map<string, unknown>([
      ['version', '1.0'],
      ['digestAlgorithm', 'SHA-256'],
      ['valueDigests', new Map([[MDL_NAMESPACE, new Map([[digestId, new Uint8Array(32)]])]])],
      ['deviceKeyInfo', new Map([['deviceKey', new Map<number, unknown>([[1, 2]])]])],
      ['docType', MDL_DOCTYPE],
      [
        'validityInfo',
        new Map([
          ['signed', new TDate('2026-01-01T00:00:00Z')],
          ['validFrom', new TDate('2026-01-01T00:00:00Z')],
          ['validUntil', new TDate('2027-01-01T00:00:00Z')],
        ]),
      ],
      ['status', status],
    ]);
  const payload = (m: Map<string, unknown>) => EncodedCbor.fromValue(m, { keyOrder: 'insertion' }).tagged();
  const statusList = (entries: [string, unknown][]) => new Map([['status_list', new Map(entries)]]);
  const URI = 'https://status.example/list/1';

  function mdlFailure(fn: () => unknown): { code: string; path: unknown; cborCode: unknown } {
    try {
      fn();
    } catch (e) {
      if (isMdlError(e)) return { code: e.code, path: e.details.path, cborCode: e.details.cborCode };
      throw e;
    }
    return { code: 'no error', path: undefined, cborCode: undefined };
  }

  it('reads a status list idx of 1 (uint) and a float 1.0 as no uint, under both rules', () => {
    const good = payload(
      mso(
        statusList([
          ['idx', 1],
          ['uri', URI],
        ]),
      ),
    );
    for (const options of [VERIFIER, {}]) {
      expect(decodeMobileSecurityObjectBytes(good, options).mso.status?.statusList?.get('idx')).toBe(1);
    }
    const float = payload(
      mso(
        statusList([
          ['idx', HALF_ONE],
          ['uri', URI],
        ]),
      ),
    );
    expect(mdlFailure(() => decodeMobileSecurityObjectBytes(float, VERIFIER))).toEqual({
      code: 'ERR_CBOR_FLOAT_NOT_ALLOWED',
      path: 'MobileSecurityObjectBytes',
      cborCode: undefined,
    });
    expect(mdlFailure(() => decodeMobileSecurityObjectBytes(float))).toEqual({
      code: 'ERR_STRUCTURE_INVALID',
      path: 'MobileSecurityObjectBytes',
      cborCode: 'ERR_CBOR_FLOAT_NOT_ALLOWED',
    });
  });

  it('reads a DigestID key 1.0 in valueDigests as no uint under both rules', () => {
    const float = payload(
      mso(
        statusList([
          ['idx', 1],
          ['uri', URI],
        ]),
        HALF_ONE,
      ),
    );
    expect(code(() => decodeMobileSecurityObjectBytes(float, VERIFIER))).toBe('ERR_CBOR_FLOAT_NOT_ALLOWED');
    expect(mdlFailure(() => decodeMobileSecurityObjectBytes(float)).cborCode).toBe(
      'ERR_CBOR_FLOAT_NOT_ALLOWED',
    );
  });

  it.each([
    ['no mechanism', new Map()],
    [
      'both mechanisms',
      new Map<string, unknown>([
        [
          'identifier_list',
          new Map<string, unknown>([
            ['id', new Uint8Array(4)],
            ['uri', URI],
          ]),
        ],
        [
          'status_list',
          new Map<string, unknown>([
            ['idx', 1],
            ['uri', URI],
          ]),
        ],
      ]),
    ],
  ])(
    'model rules: a status with %s is ERR_STRUCTURE_INVALID (exactly one, digest §5.3); verifier rules keep it',
    (_what, status) => {
      const bytes = payload(mso(status));
      expect(failure(() => decodeMobileSecurityObjectBytes(bytes))).toEqual({
        code: 'ERR_STRUCTURE_INVALID',
        path: 'MobileSecurityObject.status',
      });
      const kept = decodeMobileSecurityObjectBytes(bytes, VERIFIER).mso.status;
      expect([kept?.identifierList !== undefined, kept?.statusList !== undefined]).toEqual([
        status.size === 2,
        status.size === 2,
      ]);
    },
  );

  it.each([
    [
      'a negative idx',
      statusList([
        ['idx', -1],
        ['uri', URI],
      ]),
      'status.status_list.idx',
    ],
    [
      'a text idx',
      statusList([
        ['idx', '1'],
        ['uri', URI],
      ]),
      'status.status_list.idx',
    ],
    ['no idx', statusList([['uri', URI]]), 'status.status_list.idx'],
    ['no uri', statusList([['idx', 1]]), 'status.status_list.uri'],
    [
      'a certificate that is text',
      statusList([
        ['idx', 1],
        ['uri', URI],
        ['certificate', 'x'],
      ]),
      'status.status_list.certificate',
    ],
    [
      'an identifier list id that is text',
      new Map([
        [
          'identifier_list',
          new Map<string, unknown>([
            ['id', 'x'],
            ['uri', URI],
          ]),
        ],
      ]),
      'status.identifier_list.id',
    ],
    [
      'an identifier list uri that is bytes',
      new Map([
        [
          'identifier_list',
          new Map<string, unknown>([
            ['id', new Uint8Array(4)],
            ['uri', new Uint8Array(1)],
          ]),
        ],
      ]),
      'status.identifier_list.uri',
    ],
  ])(
    'model rules: %s is ERR_STRUCTURE_INVALID (verifier rules: kept for the revocation check)',
    (_what, status, path) => {
      const bytes = payload(mso(status));
      expect(failure(() => decodeMobileSecurityObjectBytes(bytes))).toEqual({
        code: 'ERR_STRUCTURE_INVALID',
        path: `MobileSecurityObject.${path}`,
      });
      expect(decodeMobileSecurityObjectBytes(bytes, VERIFIER).mso.status).toBeDefined();
    },
  );
});

describe('ErrorCode in documentErrors and a Document’s errors: an int, never a float (both rules)', () => {
  const HALF_ZERO = new RawCbor(fromHex('f90000')); // half-precision 0.0
  const withErrors = (errorCode: unknown) =>
    new Map<string, unknown>([
      ...doc(),
      ['errors', new Map([[MDL_NAMESPACE, new Map([['portrait', errorCode]])]])],
    ]);
  const docErrors = (errorCode: unknown): [string, unknown][] => [
    ['documentErrors', [new Map([['org.example.other', errorCode]])]],
  ];

  it.each([
    ['documentErrors', (c: unknown) => response([doc()], docErrors(c))],
    ['documents[0].errors', (c: unknown) => response([withErrors(c)])],
  ])('reads %s 0 and −1 as ErrorCodes and 0.0 as ERR_CBOR_FLOAT_NOT_ALLOWED', (_where, build) => {
    for (const options of [VERIFIER, {}]) {
      const ok = decodeDeviceResponse(build(0), options);
      const neg = decodeDeviceResponse(build(-1), options);
      const read = (r: typeof ok) =>
        r.documentErrors?.[0]?.get('org.example.other') ??
        r.documents?.[0]?.errors?.get(MDL_NAMESPACE)?.get('portrait');
      expect([read(ok), read(neg)]).toEqual([0, -1]);
      expect(code(() => decodeDeviceResponse(build(HALF_ZERO), options))).toBe('ERR_CBOR_FLOAT_NOT_ALLOWED');
      expect(code(() => decodeDeviceResponse(build(1.5), options))).toBe('ERR_CBOR_FLOAT_NOT_ALLOWED');
    }
  });

  it('keeps a float element value (DataElementValue = any) in IssuerSignedItemBytes and DeviceNameSpacesBytes', () => {
    const floatItem = EncodedCbor.fromValue(
      new Map<string, unknown>([
        ['digestID', 0],
        ['random', new Uint8Array(16).fill(7)],
        ['elementIdentifier', 'height_m'],
        ['elementValue', 1.5],
      ]),
    );
    const bytes = response([
      doc({
        issuerNameSpaces: new Map([[MDL_NAMESPACE, [floatItem]]]),
        deviceNameSpaces: new Map([['org.example.device', new Map([['ratio', 0.5]])]]),
      }),
    ]);
    for (const options of [VERIFIER, {}]) {
      const d = decodeDeviceResponse(bytes, options).documents?.[0];
      expect(d?.issuerSigned.nameSpaces?.get(MDL_NAMESPACE)?.[0]?.elementValue).toBe(1.5);
      expect(d?.deviceSigned.nameSpaces.get('org.example.device')?.get('ratio')).toBe(0.5);
    }
  });
});

/**
 * Hostile DeviceResponses near the 4 MiB input limit that need no valid signature: each aims at a
 * place where a decode could restart its limits (every tag-24 item, the COSE protected header, the
 * MSO payload, DeviceNameSpacesBytes). Used by the child-process test in `../hostile.test.ts`.
 */
import { EncodedCbor, encodeCbor, RawCbor } from '@mdlkit/core/cbor';

/** `n` copies of `byte` behind an array head: `[n × byte]` (0xa0: an empty map each). */
function arrayOf(n: number, byte: number): Uint8Array {
  const head = arrayHead(n);
  const out = new Uint8Array(head.length + n);
  out.set(head, 0);
  out.fill(byte, head.length);
  return out;
}

function arrayHead(n: number): Uint8Array {
  if (n < 24) return Uint8Array.of(0x80 | n);
  if (n < 0x100) return Uint8Array.of(0x98, n);
  if (n < 0x10000) return Uint8Array.of(0x99, n >> 8, n & 0xff);
  return Uint8Array.of(0x9a, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

const DOC_TYPE = 'org.iso.18013.5.1.mDL';
const NS = 'org.iso.18013.5.1';

function item(digestId: number, value: Uint8Array): EncodedCbor {
  return EncodedCbor.fromValue(
    new Map<string, unknown>([
      ['digestID', digestId],
      ['random', new Uint8Array(16)],
      ['elementIdentifier', `e${digestId}`],
      ['elementValue', new RawCbor(value)],
    ]),
    { keyOrder: 'insertion' },
  );
}

interface DocumentParts {
  readonly items?: readonly EncodedCbor[];
  readonly issuerAuth?: unknown;
  readonly deviceNameSpaces?: EncodedCbor;
}

function document(parts: DocumentParts): Map<string, unknown> {
  const issuerAuth = parts.issuerAuth ?? [new Uint8Array(0), new Map(), null, new Uint8Array(64)];
  return new Map<string, unknown>([
    ['docType', DOC_TYPE],
    [
      'issuerSigned',
      new Map<string, unknown>([
        ['nameSpaces', new Map([[NS, parts.items ?? [item(0, Uint8Array.of(0x01))]]])],
        ['issuerAuth', issuerAuth],
      ]),
    ],
    [
      'deviceSigned',
      new Map<string, unknown>([
        ['nameSpaces', parts.deviceNameSpaces ?? EncodedCbor.fromBytes(Uint8Array.of(0xa0))],
        [
          'deviceAuth',
          new Map([['deviceSignature', [new Uint8Array(0), new Map(), null, new Uint8Array(64)]]]),
        ],
      ]),
    ],
  ]);
}

function response(documents: readonly DocumentParts[]): Uint8Array {
  return encodeCbor(
    new Map<string, unknown>([
      ['version', '1.0'],
      ['documents', documents.map(document)],
      ['status', 0],
    ]),
    { keyOrder: 'insertion' },
  );
}

/** `{ 0: {}, 1: {}, … }` with `n` entries: a well-formed COSE header map of 2n + 1 items. */
function headerMapOf(n: number): Uint8Array {
  const parts: Uint8Array[] = [Uint8Array.of(0xba, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff)];
  for (let i = 0; i < n; i++) parts.push(encodeCbor(i), Uint8Array.of(0xa0));
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The kinds of hostile response, each just under 4 MiB. */
export const HOSTILE_KINDS = [
  'items-flood',
  'protected-header-flood',
  'mso-payload-flood',
  'device-namespaces-flood',
] as const;
export type HostileKind = (typeof HOSTILE_KINDS)[number];

/** Builds one hostile response of `kind`. */
export function hostileResponse(kind: HostileKind): Uint8Array {
  const docs = (n: number, parts: () => DocumentParts) => Array.from({ length: n }, parts);
  switch (kind) {
    case 'items-flood': {
      // 40 items of 99,000 empty maps each: under 100,000 items per item, 3.96 M in total.
      const items: EncodedCbor[] = [];
      for (let i = 0; i < 40; i++) items.push(item(i, arrayOf(99_000, 0xa0)));
      return response([{ items }]);
    }
    case 'protected-header-flood': {
      // Four documents whose IssuerAuth protected header is a map of 180,000 entries (core's
      // default limits allow a million items per decode).
      const header = headerMapOf(180_000);
      return response(docs(4, () => ({ issuerAuth: [header, new Map(), null, new Uint8Array(64)] })));
    }
    case 'mso-payload-flood': {
      // Sixteen documents whose MSO payload is #6.24(bstr) around 99,000 empty maps each.
      const payload = encodeCbor(EncodedCbor.fromBytes(arrayOf(99_000, 0xa0)));
      return response(
        docs(16, () => ({
          issuerAuth: [Uint8Array.of(0xa1, 0x01, 0x26), new Map(), payload, new Uint8Array(64)],
        })),
      );
    }
    case 'device-namespaces-flood': {
      // Two documents, each with 20 device-signed elements of 99,000 empty maps inside
      // DeviceNameSpacesBytes.
      const elements = new Map<string, unknown>();
      for (let i = 0; i < 20; i++) elements.set(`d${i}`, new RawCbor(arrayOf(99_000, 0xa0)));
      const deviceNameSpaces = EncodedCbor.fromValue(new Map([['org.example', elements]]), {
        keyOrder: 'insertion',
      });
      return response(docs(2, () => ({ deviceNameSpaces })));
    }
  }
}

/**
 * @module
 * A DeviceRequest and a proximity SessionTranscript built by hand over core's CBOR, with no holder
 * or reader code: what the holder's tests parse, what the interop tests send, and what the reader's
 * builder tests alter (issue #20: these were three copies).
 */
import { EncodedCbor, encodeCbor } from '@mdlkit/core/cbor';
import { publicKeyToCoseKey } from '@mdlkit/core/cose';
import { generateKeyPair, type KeyPair } from '@mdlkit/core/crypto';
import { buildSessionTranscript, type SessionTranscript } from '@mdlkit/core/session';

/** One DocRequest: its ItemsRequest's docType, nameSpaces and optional requestInfo. */
export interface TestDocRequest {
  readonly docType: string;
  /** Namespace → element identifier → IntentToRetain. */
  readonly nameSpaces: Readonly<Record<string, Readonly<Record<string, boolean>>>>;
  /** The ItemsRequest's `requestInfo`, written as given (a test may put a float or a wrong type in it). */
  readonly requestInfo?: Map<string, unknown>;
}

/** What {@link encodeTestDeviceRequest} writes. */
export interface TestDeviceRequest {
  /** Default `'1.0'`. */
  readonly version?: string;
  readonly docRequests: readonly TestDocRequest[];
  /** Written as DeviceRequestInfoBytes (tag 24) when given; see {@link useCasesInfo}. */
  readonly deviceRequestInfo?: Map<string, unknown>;
}

/**
 * DeviceRequest bytes (18013-5 §8.3.2.1.2.1: each ItemsRequest as ItemsRequestBytes, no
 * readerAuth), encoded by hand with `encodeCbor`'s defaults (maps in length-first key order) so
 * that a test of the holder does not depend on the reader's builder; values are written as given.
 */
export function encodeTestDeviceRequest(request: TestDeviceRequest): Uint8Array {
  const docRequests = request.docRequests.map((doc) => {
    const items = new Map<string, unknown>([
      ['docType', doc.docType],
      [
        'nameSpaces',
        new Map(
          Object.entries(doc.nameSpaces).map(([ns, elements]) => [ns, new Map(Object.entries(elements))]),
        ),
      ],
    ]);
    if (doc.requestInfo !== undefined) items.set('requestInfo', doc.requestInfo);
    return new Map([['itemsRequest', EncodedCbor.fromValue(items)]]);
  });
  const out = new Map<string, unknown>([
    ['version', request.version ?? '1.0'],
    ['docRequests', docRequests],
  ]);
  if (request.deviceRequestInfo !== undefined) {
    out.set('deviceRequestInfo', EncodedCbor.fromValue(request.deviceRequestInfo));
  }
  return encodeCbor(out);
}

/** One UseCase of a DeviceRequestInfo; every value is written as given. */
export interface TestUseCase {
  readonly mandatory: unknown;
  readonly documentSets: unknown;
  readonly purposeHints?: Map<string, unknown>;
}

/** A DeviceRequestInfo (18013-5 ed2 §8.3.2.1.2.1) holding only `useCases`, each as given. */
export function useCasesInfo(useCases: readonly TestUseCase[]): Map<string, unknown> {
  return new Map([
    [
      'useCases',
      useCases.map((useCase) => {
        const entry = new Map<string, unknown>([
          ['mandatory', useCase.mandatory],
          ['documentSets', useCase.documentSets],
        ]);
        if (useCase.purposeHints !== undefined) entry.set('purposeHints', useCase.purposeHints);
        return entry;
      }),
    ],
  ]);
}

/**
 * A proximity SessionTranscript (QR engagement, handover null) with a fresh P-256 EReaderKey, and
 * that key pair. Over the given DeviceEngagementBytes (the holder's own engagement, say); without
 * them, over a minimal engagement (version 1.0, a fresh P-256 EDeviceKey, no retrieval methods).
 */
export function qrSessionTranscript(deviceEngagementBytes?: EncodedCbor): {
  transcript: SessionTranscript;
  eReader: KeyPair;
} {
  const eReader = generateKeyPair({ curve: 'P-256' });
  const transcript = buildSessionTranscript({
    deviceEngagementBytes: deviceEngagementBytes ?? minimalEngagement(),
    eReaderKeyBytes: EncodedCbor.fromValue(publicKeyToCoseKey(eReader.publicKey)),
    handover: { kind: 'qr' },
  });
  return { transcript, eReader };
}

function minimalEngagement(): EncodedCbor {
  const eDevice = generateKeyPair({ curve: 'P-256' });
  return EncodedCbor.fromValue(
    new Map<number, unknown>([
      [0, '1.0'],
      [1, [1, EncodedCbor.fromValue(publicKeyToCoseKey(eDevice.publicKey))]],
    ]),
  );
}

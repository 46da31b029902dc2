import { generateKeyPair } from '@mdlkit/core/crypto';
import { type AnswerDeviceRequestOptions, answerDeviceRequest, parseDeviceRequest } from '@mdlkit/holder';
import { issueStoredMdl, MDL_ELEMENTS } from '@mdlkit/test-utils/mdoc';
import { buildTestPki, type TestPki } from '@mdlkit/test-utils/pki';
import { buildDeviceRequest } from '../src/index.js';

export const NOW: Date = new Date('2025-06-01T12:00:00Z');

export type Pki = TestPki;

/** An IACA and a DS built with @mdlkit/pki (fresh keys). */
export const makePki = (): Promise<Pki> =>
  buildTestPki({ iacaName: 'reader test IACA', dsName: 'reader test DS', stateOrProvince: 'US-NY' });

export const ELEMENTS: Readonly<Record<string, unknown>> = MDL_ELEMENTS;

/** Issue with @mdlkit/issuer, store and answer with @mdlkit/holder, for a request built by the reader. */
export async function issueAndPresent(
  pki: Pki,
  sessionTranscript: AnswerDeviceRequestOptions['sessionTranscript'],
  requested: readonly string[] = [
    'family_name',
    'birth_date',
    'issuing_country',
    'issuing_jurisdiction',
    'portrait',
  ],
): Promise<Uint8Array> {
  const stored = await issueStoredMdl({ pki, device: generateKeyPair({ curve: 'P-256' }) });
  const { bytes: requestBytes } = await buildDeviceRequest({
    docRequests: [
      {
        docType: 'org.iso.18013.5.1.mDL',
        nameSpaces: { 'org.iso.18013.5.1': Object.fromEntries(requested.map((id) => [id, false])) },
      },
    ],
  });
  const request = await parseDeviceRequest(requestBytes, {});
  const answer = await answerDeviceRequest({ request, documents: [stored], sessionTranscript });
  return answer.bytes;
}

import { decodeCbor, EncodedCbor, toHex } from '@mdlkit/core/cbor';
import { parseCoseSign1, verifyCoseSign1 } from '@mdlkit/core/cose';
import { CoseAlg, createLocalSigner, generateKeyPair } from '@mdlkit/core/crypto';
import { buildReaderAuthenticationBytes } from '@mdlkit/core/session';
import { ANNEX_D_REQUESTED, annexD } from '@mdlkit/test-fixtures';
import { describe, expect, it } from 'vitest';
import { buildDeviceRequest } from '../src/index.js';

const annexDRequest = { docType: 'org.iso.18013.5.1.mDL', nameSpaces: ANNEX_D_REQUESTED };

describe('buildDeviceRequest', () => {
  it('encodes the Annex D ItemsRequest byte for byte (CDDL key order)', async () => {
    const { itemsRequests } = await buildDeviceRequest({
      docRequests: [annexDRequest],
      keyOrder: 'insertion',
    });
    expect(toHex(itemsRequests[0]!.bytes)).toBe(toHex(annexD('items-request.hex')));
  });

  it('signs ReaderAuth over ReaderAuthenticationBytes with the reader certificate in x5chain', async () => {
    const { privateKey, publicKey } = generateKeyPair({ curve: 'P-256' });
    const signer = createLocalSigner({ privateKey, alg: CoseAlg.ES256 });
    const sessionTranscript = annexD('session-transcript-bytes.hex');
    const readerCert = new Uint8Array([0x30, 0x00]);
    const { bytes, itemsRequests } = await buildDeviceRequest({
      docRequests: [annexDRequest],
      readerAuth: { signer, certificateChain: [readerCert], sessionTranscript },
    });
    const request = decodeCbor(bytes) as Map<string, unknown>;
    expect(request.get('version')).toBe('1.0');
    const docRequest = (request.get('docRequests') as Map<string, unknown>[])[0]!;
    expect(docRequest.get('itemsRequest')).toBeInstanceOf(EncodedCbor);
    const readerAuth = parseCoseSign1(docRequest.get('readerAuth'));
    expect(readerAuth.payload).toBeNull();
    expect(readerAuth.unprotected.get(33)).toEqual(readerCert);
    const detachedPayload = buildReaderAuthenticationBytes({
      sessionTranscript,
      itemsRequestBytes: itemsRequests[0]!,
    }).tagged();
    await expect(verifyCoseSign1({ message: readerAuth, key: publicKey, detachedPayload })).resolves.toBe(
      true,
    );
    const other = new Uint8Array(detachedPayload);
    other[other.length - 1]! ^= 1;
    await expect(
      verifyCoseSign1({ message: readerAuth, key: publicKey, detachedPayload: other }),
    ).resolves.toBe(false);
  });

  it('rejects empty requests with ERR_REQUEST_INVALID', async () => {
    await expect(buildDeviceRequest({ docRequests: [] })).rejects.toMatchObject({
      code: 'ERR_REQUEST_INVALID',
    });
    await expect(
      buildDeviceRequest({ docRequests: [{ docType: 'x', nameSpaces: { ns: {} } }] }),
    ).rejects.toMatchObject({ code: 'ERR_REQUEST_INVALID' });
  });
});

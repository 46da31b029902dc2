/**
 * OpenID4VP 1.0 (Appendix B.2.6) and ISO/IEC 18013-7 Annex C handovers, checked against values
 * computed here independently from the CDDL (cbor-x + node:crypto) and against the non-normative
 * worked example printed in OpenID4VP 1.0 B.2.6.1 / B.2.6.2.
 */
import { createHash } from 'node:crypto';
import { Encoder } from 'cbor-x';
import { describe, expect, it } from 'vitest';
import { toBase64Url, toHex } from '../src/cbor/index.js';
import {
  buildIsoDcApiHandover,
  buildOpenId4VpDcApiHandover,
  buildOpenId4VpHandover,
  buildSessionTranscript,
  type Handover,
  jwkSha256Thumbprint,
  parseSessionTranscript,
} from '../src/session/index.js';
import { throwsWith } from './helpers.js';

const foreign = new Encoder({ useRecords: false, mapsAsObjects: false, tagUint8Array: false });
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

const online = (handover: Handover) =>
  buildSessionTranscript({ deviceEngagementBytes: null, eReaderKeyBytes: null, handover });

// OpenID4VP 1.0 B.2.6 example inputs.
const exampleJwk = {
  kty: 'EC',
  crv: 'P-256',
  x: 'DxiH5Q4Yx3UrukE2lWCErq8N8bqC9CHLLrAwLz5BmE0',
  y: 'XtLM4-3h5o3HUH0MHVJV0kyq0iBlrBwlh8qEDMZ4-Pc',
  use: 'enc',
  alg: 'ECDH-ES',
  kid: '1',
};
const exampleNonce = 'exc7gBkxjx1rdc9udRrveKvSsJIq80avlXeLHhGwqtA';

describe('JWK thumbprint (RFC 7638)', () => {
  it('hashes the required members in order, ignoring the rest', () => {
    const canonical = `{"crv":"P-256","kty":"EC","x":"${exampleJwk.x}","y":"${exampleJwk.y}"}`;
    expect(toHex(jwkSha256Thumbprint(exampleJwk))).toBe(sha256(Buffer.from(canonical)));
    // The value printed in OpenID4VP B.2.6.1 inside OpenID4VPHandoverInfo.
    expect(toHex(jwkSha256Thumbprint(exampleJwk))).toBe(
      '4283ec927ae0f208daaa2d026a814f2b22dca52cf85ffa8f3f8626c6bd669047',
    );
    // RFC 7638 §3.1 example (RSA).
    const rsa = {
      kty: 'RSA',
      n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
      e: 'AQAB',
      alg: 'RS256',
      kid: '2011-04-29',
    };
    expect(toBase64Url(jwkSha256Thumbprint(rsa))).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('rejects unsupported or incomplete keys', () => {
    throwsWith(() => jwkSha256Thumbprint({ kty: 'oct', k: 'abc' }), 'ERR_INVALID_ARGUMENT');
    throwsWith(() => jwkSha256Thumbprint({ kty: 'EC', crv: 'P-256', x: 'abc' }), 'ERR_INVALID_ARGUMENT');
  });
});

describe('OpenID4VPHandover (redirects, OpenID4VP 1.0 B.2.6.1)', () => {
  const info = {
    clientId: 'x509_san_dns:example.com',
    nonce: exampleNonce,
    jwkThumbprint: jwkSha256Thumbprint(exampleJwk),
    responseUri: 'https://example.com/response',
  };

  it('matches an independent computation from the CDDL', () => {
    const infoBytes = foreign.encode([info.clientId, info.nonce, info.jwkThumbprint, info.responseUri]);
    const handover = buildOpenId4VpHandover(info);
    expect(toHex(handover.infoHash)).toBe(sha256(infoBytes));
    // Without response encryption the thumbprint is CBOR null.
    const plain = { ...info, jwkThumbprint: null };
    const plainBytes = foreign.encode([info.clientId, info.nonce, null, info.responseUri]);
    expect(toHex(buildOpenId4VpHandover(plain).infoHash)).toBe(sha256(plainBytes));
    expect(toHex(buildOpenId4VpHandover(plain).infoHash)).not.toBe(toHex(handover.infoHash));
  });

  it('matches the OpenID4VP 1.0 worked example byte-for-byte', () => {
    const infoHex =
      '847818783530395f73616e5f646e733a6578616d706c652e636f6d782b6578633767' +
      '426b786a7831726463397564527276654b7653734a4971383061766c58654c486847' +
      '7771744158204283ec927ae0f208daaa2d026a814f2b22dca52cf85ffa8f3f8626c6' +
      'bd669047781c68747470733a2f2f6578616d706c652e636f6d2f726573706f6e7365';
    expect(toHex(foreign.encode([info.clientId, info.nonce, info.jwkThumbprint, info.responseUri]))).toBe(
      infoHex,
    );
    const transcript = online(buildOpenId4VpHandover(info));
    expect(toHex(transcript.encoded.bytes)).toBe(
      '83f6f682714f70656e494434565048616e646f7665725820048bc053c00442af9b8e' +
        'ed494cefdd9d95240d254b046b11b68013722aad38ac',
    );
    const parsed = parseSessionTranscript(transcript.encoded.tagged());
    expect(parsed.handover).toEqual(transcript.handover);
    expect(parsed.handover.kind).toBe('openid4vp');
  });

  it('rejects bad parameters', () => {
    // An empty nonce is a value (tstr), not a missing one: it hashes like any other string.
    expect(toHex(buildOpenId4VpHandover({ ...info, nonce: '' }).infoHash)).toBe(
      sha256(foreign.encode([info.clientId, '', info.jwkThumbprint, info.responseUri])),
    );
    throwsWith(
      () => buildOpenId4VpHandover({ ...info, clientId: 5 as unknown as string }),
      'ERR_INVALID_ARGUMENT',
    );
    // A base64url text thumbprint is a known interop bug: the spec wants the bstr.
    throwsWith(
      () =>
        buildOpenId4VpHandover({
          ...info,
          jwkThumbprint: toBase64Url(info.jwkThumbprint) as unknown as Uint8Array,
        }),
      'ERR_INVALID_ARGUMENT',
    );
    throwsWith(
      () => buildOpenId4VpHandover({ ...info, jwkThumbprint: new Uint8Array(20) }),
      'ERR_INVALID_ARGUMENT',
    );
    throwsWith(() => buildOpenId4VpHandover(undefined as never), 'ERR_INVALID_ARGUMENT');
  });
});

describe('OpenID4VPDCAPIHandover (DC API, OpenID4VP 1.0 B.2.6.2)', () => {
  const info = {
    origin: 'https://example.com',
    nonce: exampleNonce,
    jwkThumbprint: jwkSha256Thumbprint(exampleJwk),
  };

  it('matches an independent computation and the worked example', () => {
    const infoBytes = foreign.encode([info.origin, info.nonce, info.jwkThumbprint]);
    expect(toHex(infoBytes)).toBe(
      '837368747470733a2f2f6578616d706c652e636f6d782b6578633767426b786a7831' +
        '726463397564527276654b7653734a4971383061766c58654c486847777174415820' +
        '4283ec927ae0f208daaa2d026a814f2b22dca52cf85ffa8f3f8626c6bd669047',
    );
    const handover = buildOpenId4VpDcApiHandover(info);
    expect(toHex(handover.infoHash)).toBe(sha256(infoBytes));
    expect(toHex(online(handover).encoded.bytes)).toBe(
      '83f6f682764f70656e4944345650444341504948616e646f7665725820fbece366f4' +
        '212f9762c74cfdbf83b8c69e371d5d68cea09cb4c48ca6daab761a',
    );
    const plain = buildOpenId4VpDcApiHandover({ ...info, jwkThumbprint: null });
    expect(toHex(plain.infoHash)).toBe(sha256(foreign.encode([info.origin, info.nonce, null])));
  });

  it('rejects an "origin:"-prefixed origin; empty values are values', () => {
    throwsWith(
      () => buildOpenId4VpDcApiHandover({ ...info, origin: 'origin:https://example.com' }),
      'ERR_INVALID_ARGUMENT',
    );
    expect(toHex(buildOpenId4VpDcApiHandover({ ...info, nonce: '' }).infoHash)).toBe(
      sha256(foreign.encode([info.origin, '', info.jwkThumbprint])),
    );
  });
});

describe('18013-7 Annex C dcapi handover', () => {
  // EncryptionInfo = ["dcapi", {"nonce": bstr, "recipientPublicKey": COSE_Key}], sent base64url.
  const encryptionInfo = toBase64Url(
    foreign.encode([
      'dcapi',
      new Map<string, unknown>([
        ['nonce', new Uint8Array(16).fill(9)],
        [
          'recipientPublicKey',
          new Map<number, unknown>([
            [1, 2],
            [-1, 1],
            [-2, new Uint8Array(32).fill(1)],
            [-3, new Uint8Array(32).fill(2)],
          ]),
        ],
      ]),
    ]),
  );
  const origin = 'https://verifier.example.org';

  it('hashes [Base64EncryptionInfo, SerializedOrigin] as computed independently', () => {
    const handover = buildIsoDcApiHandover({ encryptionInfo, origin });
    expect(toHex(handover.infoHash)).toBe(sha256(foreign.encode([encryptionInfo, origin])));
    const transcript = online(handover);
    expect(toHex(transcript.encoded.bytes)).toBe(
      toHex(foreign.encode([null, null, ['dcapi', Buffer.from(handover.infoHash)]])),
    );
    expect(parseSessionTranscript(transcript.encoded.tagged()).handover).toEqual(handover);
  });

  it('rejects padded / standard base64; an empty origin is a value', () => {
    throwsWith(
      () => buildIsoDcApiHandover({ encryptionInfo: `${encryptionInfo}=`, origin }),
      'ERR_INVALID_ARGUMENT',
    );
    throwsWith(() => buildIsoDcApiHandover({ encryptionInfo: 'a+b/', origin }), 'ERR_INVALID_ARGUMENT');
    expect(toHex(buildIsoDcApiHandover({ encryptionInfo, origin: '' }).infoHash)).toBe(
      sha256(foreign.encode([encryptionInfo, ''])),
    );
  });
});

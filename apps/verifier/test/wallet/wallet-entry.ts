/**
 * A test wallet for the browser tests, bundled with esbuild and injected with `addInitScript`: it
 * implements `navigator.credentials.get({ digital })` with the holder package (WebCrypto), answering
 * OpenID4VP (`openid4vp-v1-*`) or ISO 18013-7 Annex C (`org-iso-mdoc`) for one held mDL.
 *
 * What it does on each call is read from `globalThis.__mdlkitWalletConfig` (set by the test), so one
 * injected wallet serves every case: the protocol to answer, the origin it binds the answer to
 * (normally the page's, as a browser asserts it), and replaying its previous answer.
 */
import { CoseAlg, createLocalSigner, importPrivateKey, type Jwk } from '@mdlkit/core/crypto';
import { parseIssuedMdoc } from '@mdlkit/holder';
import { answerAnnexCRequest, parseAnnexCRequest } from '@mdlkit/holder/annex-c';
import { answerOpenId4VpRequest, parseOpenId4VpRequest } from '@mdlkit/holder/oid4vp';
import { pemToDer, TrustStore } from '@mdlkit/pki';

/** How the wallet answers the next call. */
export interface WalletConfig {
  /** IssuerSigned of the held mDL, hex. */
  readonly issuerSignedHex: string;
  /** The device private key (JWK, P-256). */
  readonly deviceJwk: Jwk;
  /** Which of the offered protocols to answer. */
  readonly prefer: 'openid4vp' | 'annex-c';
  /** Bind the answer to this origin instead of the page's (a phishing relay, or a confused wallet). */
  readonly origin?: string;
  /** Return the previous answer again instead of answering this request. */
  readonly replayLast?: boolean;
  /**
   * Reader roots (PEM) the wallet trusts: when given, it refuses any request that is not signed by a
   * reader certificate chaining to one of them (OpenID4VP JAR signature and chain, Annex C ReaderAuth).
   */
  readonly readerTrustPem?: readonly string[];
  /** Change one byte of the request's signature on the way in (a request altered in transit). */
  readonly tamperRequest?: boolean;
  /** Add a `padding` member of this many characters to the answer (an oversized answer). */
  readonly padAnswer?: number;
}

/** What the wallet made of the last request (read by the tests). */
export interface WalletSeen {
  readonly protocol: string;
  /** `unsigned`, `verified`, `not-checked`, … — the request's signature as the holder package judged it. */
  readonly readerAuth: string;
  /** The verified reader certificate's commonName. */
  readonly readerName?: string;
  /** The code the wallet refused the request with. */
  readonly refused?: string;
}

interface Offered {
  readonly protocol: string;
  readonly data: unknown;
}

const g = globalThis as unknown as {
  __mdlkitWalletConfig?: WalletConfig;
  __mdlkitWalletLast?: { protocol: string; data: unknown };
  __mdlkitWalletCalls?: number;
  __mdlkitWalletSeen?: WalletSeen;
  DigitalCredential?: unknown;
};

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

async function answer(requests: readonly Offered[]): Promise<{ protocol: string; data: unknown }> {
  const cfg = g.__mdlkitWalletConfig;
  if (cfg === undefined) throw new DOMException('no wallet configured', 'NotAllowedError');
  const request = requests.find((r) =>
    cfg.prefer === 'annex-c' ? r.protocol === 'org-iso-mdoc' : r.protocol.startsWith('openid4vp'),
  );
  if (request === undefined)
    throw new DOMException('no request in a protocol the wallet speaks', 'NotSupportedError');
  if (cfg.replayLast === true && g.__mdlkitWalletLast !== undefined) return g.__mdlkitWalletLast;
  const origin = cfg.origin ?? location.origin;
  const mdl = parseIssuedMdoc({
    id: 'mdl',
    issuerSigned: fromHex(cfg.issuerSignedHex),
    deviceKeyReference: {
      kind: 'signature',
      signer: createLocalSigner({
        privateKey: importPrivateKey({ format: 'jwk', jwk: cfg.deviceJwk }),
        alg: CoseAlg.ES256,
      }),
    },
  });
  const check =
    cfg.readerTrustPem === undefined
      ? {}
      : { readerTrust: new TrustStore(cfg.readerTrustPem.map((p) => pemToDer(p))) };
  const offered = cfg.tamperRequest === true ? tamper(request) : request;
  let data: unknown;
  try {
    if (request.protocol === 'org-iso-mdoc') {
      const parsed = await parseAnnexCRequest({
        request: offered,
        origin,
        ...check,
      });
      const auth = parsed.deviceRequest.docRequests[0]?.readerAuth;
      // Refuse with the reason ReaderAuth failed (signature or chain), as a wallet's consent screen would.
      if (cfg.readerTrustPem !== undefined && auth?.status !== 'verified') {
        throw Object.assign(new Error('reader authentication failed'), {
          code: auth?.status === 'failed' ? auth.code : `ReaderAuth ${auth?.status ?? 'absent'}`,
        });
      }
      g.__mdlkitWalletSeen = {
        protocol: request.protocol,
        readerAuth: auth?.status ?? 'absent',
        ...(auth?.status === 'verified' && auth.readerName !== undefined
          ? { readerName: auth.readerName }
          : {}),
      };
      data = (await answerAnnexCRequest({ request: parsed, documents: [mdl] })).response;
    } else {
      const parsed = await parseOpenId4VpRequest({
        request: offered,
        origin,
        ...check,
        requireSigned: cfg.readerTrustPem !== undefined,
      });
      const v = parsed.verifier;
      g.__mdlkitWalletSeen = {
        protocol: request.protocol,
        readerAuth: v.status,
        ...(v.status === 'verified' && v.name !== undefined ? { readerName: v.name } : {}),
      };
      data = (await answerOpenId4VpRequest({ request: parsed, documents: [mdl] })).response;
    }
  } catch (e) {
    // A wallet that refuses a request does not answer it; the code is kept for the test to read.
    const code = (e as { code?: unknown }).code;
    g.__mdlkitWalletSeen = { protocol: request.protocol, readerAuth: 'refused', refused: String(code) };
    throw new DOMException(`the wallet refused the request (${String(code)})`, 'NotAllowedError');
  }
  const plain = JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
  if (cfg.padAnswer !== undefined) plain['padding'] = 'A'.repeat(cfg.padAnswer);
  const credential = { protocol: request.protocol, data: plain as unknown };
  g.__mdlkitWalletLast = credential;
  return credential;
}

function b64urlToBytes(text: string): Uint8Array {
  const bin = atob(
    text
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(text.length / 4) * 4, '='),
  );
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function bytesToB64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The request with one signature byte changed: the last byte of the JWS signature (OpenID4VP), or
 * the DeviceRequest's last byte — the end of its last DocRequest's ReaderAuth signature (Annex C).
 */
function tamper(request: Offered): Offered {
  const data = { ...(request.data as Record<string, unknown>) };
  if (typeof data['request'] === 'string') {
    const [h, p, sig] = data['request'].split('.');
    const bytes = b64urlToBytes(sig ?? '');
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x01;
    data['request'] = `${h}.${p}.${bytesToB64url(bytes)}`;
  } else if (typeof data['deviceRequest'] === 'string') {
    const bytes = b64urlToBytes(data['deviceRequest']);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0x01;
    data['deviceRequest'] = bytesToB64url(bytes);
  }
  return { protocol: request.protocol, data };
}

/** Replaces `navigator.credentials.get` (and makes sure `DigitalCredential` exists). */
export function installTestWallet(): void {
  if (typeof g.DigitalCredential !== 'function') g.DigitalCredential = class DigitalCredential {};
  const original = navigator.credentials?.get?.bind(navigator.credentials);
  const get = async (
    options?: CredentialRequestOptions & { digital?: { requests?: readonly Offered[] } },
  ) => {
    if (options?.digital === undefined) {
      if (original === undefined) throw new DOMException('no credentials', 'NotSupportedError');
      return original(options);
    }
    g.__mdlkitWalletCalls = (g.__mdlkitWalletCalls ?? 0) + 1;
    return answer(options.digital.requests ?? []);
  };
  Object.defineProperty(navigator, 'credentials', { value: { get }, configurable: true });
}

installTestWallet();

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
}

interface Offered {
  readonly protocol: string;
  readonly data: unknown;
}

const g = globalThis as unknown as {
  __mdlkitWalletConfig?: WalletConfig;
  __mdlkitWalletLast?: { protocol: string; data: unknown };
  __mdlkitWalletCalls?: number;
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
  let data: unknown;
  if (request.protocol === 'org-iso-mdoc') {
    const parsed = await parseAnnexCRequest({ request, origin });
    data = (await answerAnnexCRequest({ request: parsed, documents: [mdl] })).response;
  } else {
    const parsed = await parseOpenId4VpRequest({ request, origin });
    data = (await answerOpenId4VpRequest({ request: parsed, documents: [mdl] })).response;
  }
  const credential = { protocol: request.protocol, data: JSON.parse(JSON.stringify(data)) as unknown };
  g.__mdlkitWalletLast = credential;
  return credential;
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

import { createPrivateKey } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  type AnyCoseSigner,
  CoseAlg,
  createLocalSigner,
  importPrivateKey,
  importPublicKey,
  type Jwk,
} from '@mdlkit/core/crypto';
import { parseCertificate, pemToDer, TrustStore, verifyVical } from '@mdlkit/pki';

/** The fixed local port `pnpm verifier` listens on unless `--port` says otherwise. */
export const DEFAULT_PORT = 8418;

/** Settings of `pnpm verifier`, from flags and/or a JSON config file (flags win). */
export interface VerifierConfig {
  readonly port: number;
  readonly host: string;
  /** The origin wallets bind answers to; default `http://localhost:<port>`. */
  readonly origin: string;
  /** IACA / pinned DS certificate files or folders (PEM or DER). */
  readonly trust: readonly string[];
  readonly vical?: string;
  readonly vicalTrust: readonly string[];
  readonly policy: 'strict' | 'lenient';
  readonly ruleset: 'iso' | 'aamva';
  readonly stateTtlSeconds: number;
  /** The reader key (PKCS#8 PEM or JWK) that signs requests: the JAR of OpenID4VP and Annex C's ReaderAuth. */
  readonly readerKey?: string;
  /** The reader certificate chain (PEM, leaf first) sent with signed requests. */
  readonly readerCert?: string;
  /** OpenID4VP client identifier prefix of signed requests (default `x509_hash`). */
  readonly clientIdPrefix: 'x509_hash' | 'x509_san_dns';
}

export const USAGE: string = `Usage: pnpm verifier [--port N] [--host H] [--origin URL] [--trust PEM|DIR]...
                     [--vical FILE --vical-trust PEM]... [--policy lenient|strict]
                     [--ruleset iso|aamva] [--state-ttl SECONDS]
                     [--reader-key KEY --reader-cert PEM [--client-id-prefix x509_hash|x509_san_dns]]
                     [--config FILE.json]

Serves the mdlkit verifier page: a Digital Credentials API request flow (OpenID4VP and
ISO/IEC 18013-7 Annex C) and an in-browser inspector.

  --port N          port to listen on (default ${DEFAULT_PORT})
  --host H          address to bind (default 127.0.0.1)
  --origin URL      the page's origin as the browser sees it (default http://localhost:PORT)
  --trust PEM|DIR   an IACA (CA) or a pinned DS certificate; a folder is read for .pem/.crt/.cer/.der;
                    repeatable
  --vical FILE      trust the IACAs of a VICAL ...
  --vical-trust PEM ... once it verifies against this VICAL provider root
  --policy P        lenient (default, as mdlkit verify) or strict
  --ruleset R       iso (default) or aamva
  --state-ttl S     how long a request may be answered (default 300 s)
  --reader-key KEY  sign the requests with this reader key (PKCS#8 PEM or JWK): OpenID4VP as a signed
                    request object (openid4vp-v1-signed, x509 client id), Annex C with ReaderAuth
  --reader-cert PEM ... and send this reader certificate chain (leaf first) with them
  --client-id-prefix x509_hash (default) or x509_san_dns (the leaf's first SAN dNSName)
  --config FILE     a JSON file with the same settings: { "port", "host", "origin", "trust": [],
                    "vical", "vicalTrust": [], "policy", "ruleset", "stateTtlSeconds", "readerKey",
                    "readerCert", "clientIdPrefix" }; paths in it are relative to the file
`;

/** A bad flag or config value, reported with the usage text. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function choice<T extends string>(value: unknown, allowed: readonly T[], name: string, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(`${name} must be one of ${allowed.join(', ')}`);
}

function strings(value: unknown, name: string): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new ConfigError(`${name} must be a list of paths`);
}

/** Reads flags (and the `--config` file they name) into a {@link VerifierConfig}. */
export function readConfig(argv: readonly string[], cwd: string): VerifierConfig | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      origin: { type: 'string' },
      trust: { type: 'string', multiple: true },
      vical: { type: 'string' },
      'vical-trust': { type: 'string', multiple: true },
      policy: { type: 'string' },
      ruleset: { type: 'string' },
      'state-ttl': { type: 'string' },
      'reader-key': { type: 'string' },
      'reader-cert': { type: 'string' },
      'client-id-prefix': { type: 'string' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true) return 'help';
  let file: Record<string, unknown> = {};
  let fileDir = cwd;
  if (values.config !== undefined) {
    const p = path.resolve(cwd, values.config);
    try {
      const parsed: unknown = JSON.parse(readFileSync(p, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      file = parsed as Record<string, unknown>;
    } catch (e) {
      throw new ConfigError(`--config ${values.config}: not a JSON object (${(e as Error).message})`);
    }
    fileDir = path.dirname(p);
  }
  const fromFile = (name: string) => strings(file[name], name).map((f) => path.resolve(fileDir, f));
  const fromFlags = (list: string[] | undefined) => (list ?? []).map((f) => path.resolve(cwd, f));

  const portText = values.port ?? (file['port'] === undefined ? undefined : String(file['port']));
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('--port must be 0–65535');
  const ttlText =
    values['state-ttl'] ??
    (file['stateTtlSeconds'] === undefined ? undefined : String(file['stateTtlSeconds']));
  const stateTtlSeconds = ttlText === undefined ? 300 : Number(ttlText);
  if (!Number.isFinite(stateTtlSeconds) || stateTtlSeconds <= 0)
    throw new ConfigError('--state-ttl must be > 0');
  const host = values.host ?? (typeof file['host'] === 'string' ? file['host'] : '127.0.0.1');
  const origin =
    values.origin ?? (typeof file['origin'] === 'string' ? file['origin'] : `http://localhost:${port}`);
  let parsedOrigin: URL;
  try {
    parsedOrigin = new URL(origin);
  } catch {
    throw new ConfigError('--origin must be a URL such as https://verifier.example');
  }
  if (parsedOrigin.origin !== origin)
    throw new ConfigError(`--origin must be an origin only (${parsedOrigin.origin})`);
  const vicalFile =
    values.vical !== undefined
      ? path.resolve(cwd, values.vical)
      : typeof file['vical'] === 'string'
        ? path.resolve(fileDir, file['vical'])
        : undefined;
  const onePath = (flag: string | undefined, key: string): string | undefined => {
    if (flag !== undefined) return path.resolve(cwd, flag);
    const v = file[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new ConfigError(`${key} must be a path`);
    return path.resolve(fileDir, v);
  };
  const readerKey = onePath(values['reader-key'], 'readerKey');
  const readerCert = onePath(values['reader-cert'], 'readerCert');
  if ((readerKey === undefined) !== (readerCert === undefined)) {
    throw new ConfigError('--reader-key and --reader-cert go together');
  }
  const config: VerifierConfig = {
    port,
    host,
    origin,
    trust: values.trust !== undefined ? fromFlags(values.trust) : fromFile('trust'),
    ...(vicalFile === undefined ? {} : { vical: vicalFile }),
    vicalTrust:
      values['vical-trust'] !== undefined ? fromFlags(values['vical-trust']) : fromFile('vicalTrust'),
    policy: choice(values.policy ?? file['policy'], ['lenient', 'strict'] as const, 'policy', 'lenient'),
    ruleset: choice(values.ruleset ?? file['ruleset'], ['iso', 'aamva'] as const, 'ruleset', 'iso'),
    stateTtlSeconds,
    ...(readerKey === undefined ? {} : { readerKey }),
    ...(readerCert === undefined ? {} : { readerCert }),
    clientIdPrefix: choice(
      values['client-id-prefix'] ?? file['clientIdPrefix'],
      ['x509_hash', 'x509_san_dns'] as const,
      'client-id-prefix',
      'x509_hash',
    ),
  };
  if (config.vical !== undefined && config.vicalTrust.length === 0) {
    throw new ConfigError('--vical needs --vical-trust (the VICAL provider root)');
  }
  return config;
}

const CERT_FILE = /\.(pem|crt|cer|der)$/i;

/** Every certificate (DER) in the given files and folders; a PEM file may hold several. */
export function readCertificateFiles(paths: readonly string[]): { der: Uint8Array; file: string }[] {
  const out: { der: Uint8Array; file: string }[] = [];
  for (const p of paths) {
    let files: string[];
    try {
      files = statSync(p).isDirectory()
        ? readdirSync(p)
            .filter((f) => CERT_FILE.test(f))
            .sort()
            .map((f) => path.join(p, f))
        : [p];
    } catch {
      throw new ConfigError(`${p}: cannot be read`);
    }
    for (const file of files) {
      const raw = readFileSync(file);
      const text = raw.toString('latin1');
      const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
      if (blocks === null) out.push({ der: new Uint8Array(raw), file });
      else for (const b of blocks) out.push({ der: pemToDer(b), file });
    }
  }
  return out;
}

/**
 * The trust store of a config: CA certificates as anchors, end-entity certificates pinned (as
 * `mdlkit verify --trust` does), and the IACAs of a VICAL once it verifies.
 */
export async function loadTrust(config: VerifierConfig, now: Date = new Date()): Promise<TrustStore> {
  const trust = new TrustStore();
  for (const { der, file } of readCertificateFiles(config.trust)) {
    let ca: boolean;
    try {
      ca = parseCertificate(der).basicConstraints?.ca === true;
    } catch {
      throw new ConfigError(`${file}: not an X.509 certificate`);
    }
    if (ca) trust.add(der);
    else trust.addPinned(der);
  }
  if (config.vical !== undefined) {
    const providers = new TrustStore();
    for (const { der } of readCertificateFiles(config.vicalTrust)) providers.add(der);
    const result = await verifyVical({
      vical: readFileSync(config.vical),
      trustStore: providers,
      now,
      ruleset: config.ruleset,
    });
    if (!result.valid) {
      const why = result.findings.filter((f) => f.severity === 'error').map((f) => f.code);
      throw new ConfigError(`${config.vical}: the VICAL does not verify (${why.join(', ')})`);
    }
    trust.addVical(result.vical);
  }
  return trust;
}

/** How the server signs its requests (from `--reader-key` / `--reader-cert`). */
export interface ReaderSigning {
  readonly signer: AnyCoseSigner;
  /** DER certificates, leaf first. */
  readonly certificateChain: readonly Uint8Array[];
  readonly clientIdPrefix: 'x509_hash' | 'x509_san_dns';
}

const ALG_FOR_SCALAR: Readonly<Record<number, CoseAlg>> = {
  32: CoseAlg.ES256,
  48: CoseAlg.ES384,
  66: CoseAlg.ES512,
};

/**
 * The reader key and chain of a config, or `undefined` when requests go unsigned. The key must be
 * the one the leaf certificate certifies: a mismatch would only show up as every wallet refusing.
 */
export function loadReaderSigning(config: VerifierConfig): ReaderSigning | undefined {
  if (config.readerKey === undefined || config.readerCert === undefined) return undefined;
  const text = (() => {
    try {
      return readFileSync(config.readerKey, 'utf8').trim();
    } catch {
      throw new ConfigError(`${config.readerKey}: cannot be read`);
    }
  })();
  let key: ReturnType<typeof importPrivateKey>;
  try {
    key = text.startsWith('{')
      ? importPrivateKey({ format: 'jwk', jwk: JSON.parse(text) as Jwk })
      : importPrivateKey({
          format: 'pkcs8',
          der: new Uint8Array(
            createPrivateKey({ key: text, format: 'pem' }).export({ format: 'der', type: 'pkcs8' }),
          ),
        });
  } catch (e) {
    throw new ConfigError(
      `${config.readerKey}: not a PKCS#8 PEM or JWK private key (${(e as Error).message})`,
    );
  }
  const alg = key.kty === 'OKP' ? CoseAlg.EdDSA : ALG_FOR_SCALAR[key.d.length];
  if (alg === undefined)
    throw new ConfigError(`${config.readerKey}: a key on a curve requests cannot be signed with`);
  const chain = readCertificateFiles([config.readerCert]).map((c) => c.der);
  const leaf = chain[0];
  if (leaf === undefined) throw new ConfigError(`${config.readerCert}: holds no certificate`);
  let leafKey: Uint8Array;
  try {
    leafKey = importPublicKey({ format: 'spki', der: parseCertificate(leaf).publicKeyInfo.spki }).point;
  } catch {
    throw new ConfigError(
      `${config.readerCert}: the first certificate is not an X.509 certificate with an EC or EdDSA key`,
    );
  }
  const point = key.publicKey.point;
  if (leafKey.length !== point.length || leafKey.some((b, i) => b !== point[i])) {
    throw new ConfigError(`${config.readerCert}: the leaf certificate is not for the --reader-key key`);
  }
  return {
    signer: createLocalSigner({ privateKey: key, alg }),
    certificateChain: chain,
    clientIdPrefix: config.clientIdPrefix,
  };
}

import path from 'node:path';
import type { AnyCoseSigner, PrivateKey, PublicKey } from '@mdlkit/core/crypto';
import {
  type Curve,
  createLocalSigner,
  exportPrivateKey,
  exportPublicKey,
  generateKeyPair,
  importPublicKey,
  randomBytes,
} from '@mdlkit/core/crypto';
import { isMdlError } from '@mdlkit/core/errors';
import type { Pkcs11Signer, Pkcs11Token } from '@mdlkit/pkcs11';
import {
  type AltNameInput,
  buildDocumentSignerCertificate,
  buildIacaCertificate,
  buildReaderAuthCertificate,
  buildReaderRootCertificate,
  buildStatusListSignerCertificate,
  buildVicalSignerCertificate,
  derToPem,
  type LintRuleset,
  lintCertificate,
  type NameInput,
  parseCertificate,
} from '@mdlkit/pki';
import { ExitCode, InputError, UsageError } from '../cli-error.js';
import {
  type CliIo,
  type CommandValues,
  choiceOption,
  invocation,
  listOption,
  stringOption,
} from '../command.js';
import { parseInstant, toJson } from '../util/format.js';
import { assertKeyMatchesCertificate, samePublicKey } from '../util/key-pair.js';
import { algForKey, readCertificateFile, readPrivateKeyFile } from '../util/keys.js';
import { checkWritable, forceOption, writeOutputFile } from '../util/output-file.js';
import { pkcs11Selection } from '../util/pkcs11.js';
import { readPublicKeyFile } from '../util/public-key.js';

const KINDS = ['iaca', 'ds', 'reader-root', 'reader', 'vical-signer', 'status-signer'] as const;
type Kind = (typeof KINDS)[number];
const SELF_SIGNED: ReadonlySet<Kind> = new Set(['iaca', 'reader-root']);
const DAY_MS = 86_400_000;

const DN_KEYS: Readonly<Record<string, keyof NameInput>> = {
  C: 'country',
  ST: 'stateOrProvince',
  L: 'locality',
  O: 'organization',
  OU: 'organizationalUnit',
  CN: 'commonName',
  SERIALNUMBER: 'serialNumber',
};

/** Parses `C=US, ST=US-NY, O=Org, CN=Name` (commas inside a value escaped as `\,`). */
export function parseSubject(text: string): NameInput {
  const out: Record<string, string> = {};
  for (const part of text.split(/(?<!\\),/)) {
    const eq = part.indexOf('=');
    if (eq < 0)
      throw new UsageError(
        `--subject: '${part.trim()}' is not KEY=VALUE (keys: C, ST, L, O, OU, CN, serialNumber)`,
      );
    const key = part.slice(0, eq).trim().toUpperCase();
    const field = DN_KEYS[key];
    if (field === undefined)
      throw new UsageError(`--subject: unknown attribute '${key}' (use C, ST, L, O, OU, CN, serialNumber)`);
    if (out[field] !== undefined) throw new UsageError(`--subject: ${key} given twice`);
    const value = part
      .slice(eq + 1)
      .trim()
      .replace(/\\,/g, ',');
    if (value === '') throw new UsageError(`--subject: ${key} is empty`);
    out[field] = value;
  }
  if (out['commonName'] === undefined)
    throw new UsageError('--subject needs CN= (commonName is mandatory in every Annex B profile)');
  return out as unknown as NameInput;
}

function altName(text: string): AltNameInput {
  if (text.startsWith('email:')) return { email: text.slice(6) };
  if (text.startsWith('uri:')) return { uri: text.slice(4) };
  if (text.includes('@') && !text.includes(':')) return { email: text };
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) return { uri: text };
  throw new UsageError(`--issuer-alt-name ${text}: give email:ADDRESS or uri:URI`);
}

interface KeySource {
  readonly spki: Uint8Array;
  readonly publicKey: PublicKey;
  /** How to sign with this key (self-signed roots); undefined for a public key only. */
  readonly signer?: AnyCoseSigner;
  readonly newKey?: { readonly file: string; readonly privateKey: PrivateKey };
  readonly kmsKeyId?: string;
  /** The key on a PKCS#11 token (the private key never leaves it). */
  readonly pkcs11?: Pkcs11Signer;
}

async function kmsClient(values: CommandValues): Promise<import('@aws-sdk/client-kms').KMSClient> {
  const { KMSClient } = await import('@aws-sdk/client-kms');
  const region = stringOption(values, 'region');
  const endpoint = stringOption(values, 'kms-endpoint');
  return new KMSClient({
    maxAttempts: 1,
    ...(region === undefined ? {} : { region }),
    ...(endpoint === undefined ? {} : { endpoint }),
  });
}

async function kmsKey(
  values: CommandValues,
  keyId: string,
  option: string,
): Promise<KeySource & { close(): void }> {
  const client = await kmsClient(values);
  const { createKmsSigner } = await import('@mdlkit/aws-kms');
  try {
    const signer = await createKmsSigner({ client, keyId });
    const publicKey = importPublicKey({ format: 'spki', der: signer.publicKey });
    return {
      spki: signer.publicKey,
      publicKey,
      signer,
      kmsKeyId: signer.keyId,
      close: () => client.destroy(),
    };
  } catch (e) {
    client.destroy();
    if (isMdlError(e))
      throw new InputError(e.message, { option, file: keyId, code: e.code, looksLike: 'kms-key' });
    throw e;
  }
}

/** `LABEL` or `id:<hex>` of a token key. */
function tokenKeySelector(text: string, option: string): { label?: string; id?: string } {
  if (!text.startsWith('id:')) return { label: text };
  const id = text.slice(3);
  if (!/^([0-9a-fA-F]{2})+$/.test(id))
    throw new InputError('id:<hex> needs an even number of hex digits', { option });
  return { id };
}

/** Opens the token `--pkcs11-module` / `--pkcs11-slot` / `--pkcs11-token` name (PIN from the environment). */
async function openToken(values: CommandValues, io: CliIo, keyText: string): Promise<Pkcs11Token> {
  const selection = pkcs11Selection({ ...values, 'pkcs11-key': keyText }, io);
  if (selection === undefined)
    throw new UsageError('a token key needs --pkcs11-module LIB (or MDLKIT_PKCS11_MODULE)');
  const { openPkcs11Token } = await import('@mdlkit/pkcs11');
  return openPkcs11Token({
    module: selection.module,
    ...(selection.slot === undefined ? {} : { slot: selection.slot }),
    ...(selection.tokenLabel === undefined ? {} : { tokenLabel: selection.tokenLabel }),
    pin: selection.pin,
  });
}

/** A signer for a token key; with `certificate`, refused unless the key is that certificate's. */
async function tokenSigner(
  token: Pkcs11Token,
  keyText: string,
  option: string,
  certificate?: { readonly der: Uint8Array; readonly option: string; readonly file: string },
): Promise<Pkcs11Signer> {
  const { createPkcs11Signer } = await import('@mdlkit/pkcs11');
  try {
    return await createPkcs11Signer({
      token,
      key: tokenKeySelector(keyText, option),
      ...(certificate === undefined ? {} : { certificate: certificate.der }),
    });
  } catch (e) {
    if (!isMdlError(e)) throw e;
    const code: string = e.code;
    const about =
      code === 'ERR_PKCS11_KEY_CERTIFICATE_MISMATCH' && certificate !== undefined
        ? `token key ${keyText} does not belong to the certificate ${certificate.option} ${certificate.file}`
        : e.message;
    throw new InputError(about, {
      option,
      file: `${token.label}/${keyText}`,
      code: e.code,
      looksLike: code === 'ERR_PKCS11_KEY_CERTIFICATE_MISMATCH' ? 'mismatched-key' : 'pkcs11-key',
    });
  }
}

/** What to add on the command line for a profile rule the built certificate broke. */
const RULE_HINTS: Readonly<Record<string, string>> = {
  'crldp.missing': 'give --crl-uri URI',
  'ian.missing': 'give --issuer-alt-name email:ADDR or uri:URI (or use an issuer that has one)',
  'name.country.missing': 'add C=XX to --subject',
  'name.state.missing': 'add ST=US-XX to --subject (aamva ruleset)',
  'name.common-name.missing': 'add CN=… to --subject',
  'name.organization.missing': 'add O=… to --subject',
};

/** Runs `mdlkit cert` (loaded on demand, so `--help` stays fast). */
export async function run(values: CommandValues, positionals: string[], io: CliIo): Promise<ExitCode> {
  const abs = (p: string): string => path.resolve(io.cwd, p);
  const [action, kindText, ...extra] = positionals;
  if (action !== 'create') {
    throw new UsageError(
      action === undefined ? 'give an action: create' : `unknown action '${action}' (only create)`,
    );
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  if (kindText === undefined || !(KINDS as readonly string[]).includes(kindText)) {
    throw new UsageError(`give the certificate kind: ${KINDS.join(', ')}`);
  }
  const kind = kindText as Kind;
  const json = values['json'] === true;
  const force = forceOption(values);
  const subject = parseSubject(stringOption(values, 'subject', true));
  const out = abs(stringOption(values, 'out', true));
  const ruleset: LintRuleset = choiceOption(values, 'ruleset', ['iso', 'aamva'] as const, 'iso');
  const curve = choiceOption(values, 'curve', ['P-256', 'P-384', 'P-521'] as const, 'P-256') as Curve;
  const keySources = ['key', 'public-key', 'kms-key', 'pkcs11-key', 'new-key'].filter(
    (k) => values[k] !== undefined,
  );
  if (keySources.length > 1) throw new UsageError(`give one of --${keySources.join(', --')}, not several`);
  const selfSigned = SELF_SIGNED.has(kind);
  if (selfSigned && values['public-key'] !== undefined) {
    throw new UsageError(
      `a ${kind} certificate signs itself: give --key, --kms-key, --pkcs11-key or let mdlkit make a key (--public-key cannot sign)`,
    );
  }
  const issuerCertFile = stringOption(values, 'issuer-cert');
  const issuerKeyFile = stringOption(values, 'issuer-key');
  const issuerKms = stringOption(values, 'issuer-kms-key');
  const issuerToken = stringOption(values, 'issuer-pkcs11-key');
  const subjectToken = stringOption(values, 'pkcs11-key');
  const issuerKeys = [issuerKeyFile, issuerKms, issuerToken].filter((k) => k !== undefined);
  if (selfSigned && (issuerCertFile !== undefined || issuerKeys.length > 0)) {
    throw new UsageError(
      `a ${kind} certificate is self-signed: drop --issuer-cert / --issuer-key / --issuer-kms-key / --issuer-pkcs11-key`,
    );
  }
  if (!selfSigned) {
    if (issuerCertFile === undefined)
      throw new UsageError(`a ${kind} certificate needs --issuer-cert (and its key)`);
    if (issuerKeys.length !== 1) {
      throw new UsageError('give exactly one of --issuer-key, --issuer-kms-key or --issuer-pkcs11-key');
    }
  }
  const crlUri = stringOption(values, 'crl-uri');
  if (
    (kind === 'ds' || kind === 'vical-signer' || kind === 'iaca' || kind === 'reader') &&
    crlUri === undefined
  ) {
    throw new UsageError(
      `Annex B requires a CRL distribution point in ${kind === 'iaca' ? 'an' : 'a'} ${kind} certificate: give --crl-uri URI`,
    );
  }
  const altNames = listOption(values, 'issuer-alt-name').map(altName);
  if (kind === 'iaca' && altNames.length === 0) {
    throw new UsageError(
      'Annex B requires issuerAltName in an IACA certificate: give --issuer-alt-name email:ADDR or uri:URI',
    );
  }
  const daysText = stringOption(values, 'days');
  const days = daysText === undefined ? (selfSigned ? 1825 : 365) : Number(daysText);
  if (!Number.isInteger(days) || days < 1) throw new UsageError('--days must be a positive integer');
  const notBefore =
    values['not-before'] === undefined
      ? new Date(Math.floor(Date.now() / 1000) * 1000)
      : parseInstant(stringOption(values, 'not-before', true), 'not-before');
  const notAfter = new Date(notBefore.getTime() + days * DAY_MS);

  checkWritable(out, { force, option: '--out' });
  const closers: (() => void | Promise<void>)[] = [];
  let token: Pkcs11Token | undefined;
  const openedToken = async (keyText: string): Promise<Pkcs11Token> => {
    if (token === undefined) {
      token = await openToken(values, io, keyText);
      const opened = token;
      closers.push(() => opened.close());
    }
    return token;
  };
  try {
    // The subject's key.
    let subjectKey: KeySource;
    if (values['key'] !== undefined) {
      const file = abs(stringOption(values, 'key', true));
      const privateKey = readPrivateKeyFile(file);
      subjectKey = {
        spki: exportPublicKey(privateKey.publicKey, 'spki'),
        publicKey: privateKey.publicKey,
        signer: createLocalSigner({ privateKey, alg: algForKey(privateKey) }),
      };
    } else if (values['public-key'] !== undefined) {
      const publicKey = readPublicKeyFile(abs(stringOption(values, 'public-key', true)));
      subjectKey = { spki: exportPublicKey(publicKey, 'spki'), publicKey };
    } else if (values['kms-key'] !== undefined) {
      const k = await kmsKey(values, stringOption(values, 'kms-key', true), '--kms-key');
      closers.push(k.close);
      subjectKey = k;
    } else if (subjectToken !== undefined) {
      const signer = await tokenSigner(await openedToken(subjectToken), subjectToken, '--pkcs11-key');
      subjectKey = {
        spki: signer.publicKey,
        publicKey: importPublicKey({ format: 'spki', der: signer.publicKey }),
        signer,
        pkcs11: signer,
      };
    } else {
      const file = abs(stringOption(values, 'new-key') ?? out.replace(/(\.pem|\.crt|\.cer)?$/i, '.key.pem'));
      checkWritable(file, { force, option: '--new-key' });
      const pair = generateKeyPair({ curve });
      subjectKey = {
        spki: exportPublicKey(pair.publicKey, 'spki'),
        publicKey: pair.publicKey,
        signer: createLocalSigner({ privateKey: pair.privateKey, alg: algForKey(pair.privateKey) }),
        newKey: { file, privateKey: pair.privateKey },
      };
    }

    // The issuer: checked to hold the key of its certificate before anything is signed.
    let issuer: { certificate: Uint8Array; signer: AnyCoseSigner } | undefined;
    if (!selfSigned) {
      const certFile = abs(issuerCertFile!);
      const [certificate] = readCertificateFile(certFile);
      let issuerSigner: AnyCoseSigner;
      if (issuerKeyFile !== undefined) {
        const key = readPrivateKeyFile(abs(issuerKeyFile));
        assertKeyMatchesCertificate(key, certificate!, {
          keyOption: '--issuer-key',
          keyFile: abs(issuerKeyFile),
          certOption: '--issuer-cert',
          certFile,
        });
        issuerSigner = createLocalSigner({ privateKey: key, alg: algForKey(key) });
      } else if (issuerToken !== undefined) {
        issuerSigner = await tokenSigner(await openedToken(issuerToken), issuerToken, '--issuer-pkcs11-key', {
          der: certificate!,
          option: '--issuer-cert',
          file: certFile,
        });
      } else {
        const k = await kmsKey(values, issuerKms!, '--issuer-kms-key');
        closers.push(k.close);
        assertKeyMatchesCertificate(k.publicKey, certificate!, {
          keyOption: '--issuer-kms-key',
          keyFile: issuerKms!,
          certOption: '--issuer-cert',
          certFile,
        });
        issuerSigner = k.signer!;
      }
      issuer = { certificate: certificate!, signer: issuerSigner };
      const parsed = parseCertificate(certificate!);
      if (
        samePublicKey(
          subjectKey.publicKey,
          importPublicKey({ format: 'spki', der: parsed.publicKeyInfo.spki }),
        )
      ) {
        throw new InputError(
          'the subject key is the issuer key: an end-entity certificate needs a key of its own',
          {
            option: '--key',
            looksLike: 'issuer-key',
          },
        );
      }
    }

    const common = { notBefore, notAfter, randomBytes, ruleset, subject, publicKey: subjectKey.spki };
    let der: Uint8Array;
    try {
      switch (kind) {
        case 'iaca':
          der = await buildIacaCertificate({
            ...common,
            signer: subjectKey.signer!,
            issuerAltName: altNames,
            ...(crlUri === undefined ? {} : { crlDistributionPoint: crlUri }),
          });
          break;
        case 'reader-root':
          der = await buildReaderRootCertificate({
            ...common,
            signer: subjectKey.signer!,
            ...(altNames.length === 0 ? {} : { issuerAltName: altNames }),
            ...(crlUri === undefined ? {} : { crlDistributionPoint: crlUri }),
          });
          break;
        case 'ds':
          if (subjectKey.pkcs11 !== undefined) {
            // The token signs a CSR for its key, checked before the DS certificate is issued for it.
            const { createPkcs11DsCertificate } = await import('@mdlkit/pkcs11');
            ({ certificate: der } = await createPkcs11DsCertificate({
              signer: subjectKey.pkcs11,
              subject,
              issuer: issuer!,
              crlDistributionPoint: crlUri!,
              notBefore,
              notAfter,
              randomBytes,
              ruleset,
              ...(altNames.length === 0 ? {} : { issuerAltName: altNames }),
            }));
            break;
          }
          der = await buildDocumentSignerCertificate({
            ...common,
            issuer: issuer!,
            crlDistributionPoint: crlUri!,
            ...(altNames.length === 0 ? {} : { issuerAltName: altNames }),
          });
          break;
        case 'vical-signer':
          der = await buildVicalSignerCertificate({
            ...common,
            issuer: issuer!,
            crlDistributionPoint: crlUri!,
            ...(altNames.length === 0 ? {} : { issuerAltName: altNames }),
          });
          break;
        case 'reader':
          der = await buildReaderAuthCertificate({
            ...common,
            issuer: issuer!,
            ...(crlUri === undefined ? {} : { crlDistributionPoint: crlUri }),
            ...(altNames.length === 0 ? {} : { issuerAltName: altNames }),
          });
          break;
        case 'status-signer':
          der = await buildStatusListSignerCertificate({
            ...common,
            issuer: issuer!,
            ...(crlUri === undefined ? {} : { crlDistributionPoint: crlUri }),
            ...(altNames.length === 0 ? {} : { issuerAltName: altNames }),
          });
          break;
      }
    } catch (e) {
      if (isMdlError(e) && (e.code.startsWith('ERR_X509') || e.code === 'ERR_INVALID_ARGUMENT')) {
        const rules = String(e.details['rules'] ?? '').split(',');
        const hints = [...new Set(rules.map((r) => RULE_HINTS[r]).filter((h) => h !== undefined))];
        throw new InputError(
          `cannot make ${kind === 'iaca' ? 'an' : 'a'} ${kind} certificate: ${e.message}${hints.length === 0 ? '' : ` — ${hints.join('; ')}`}`,
          { code: e.code, looksLike: 'profile-violation' },
        );
      }
      throw e;
    }

    // Lint once more, as `mdlkit lint-cert` would, before anything is written.
    const lint = lintCertificate(der, {
      profile: kind === 'reader' ? 'reader-auth' : kind === 'status-signer' ? 'status-list-signer' : kind,
      ...(issuer === undefined ? {} : { issuer: issuer.certificate }),
      ruleset,
    });
    if (!lint.ok) {
      const rules = lint.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule}: ${f.message}`);
      throw new InputError(`the ${kind} certificate would break its profile: ${rules.join('; ')}`, {
        code: 'ERR_X509_PROFILE_VIOLATION',
        looksLike: 'profile-violation',
      });
    }
    if (subjectKey.newKey !== undefined) {
      writeOutputFile(
        subjectKey.newKey.file,
        derToPem(exportPrivateKey(subjectKey.newKey.privateKey, 'pkcs8'), 'PRIVATE KEY'),
        {
          force,
          mode: 0o600,
          option: '--new-key',
        },
      );
    }
    writeOutputFile(out, derToPem(der), { force, option: '--out' });
    const cert = parseCertificate(der);
    const summary = {
      file: out,
      profile: lint.profile ?? kind,
      subject: cert.subject.text,
      issuer: cert.issuer.text,
      serialNumber: cert.serialHex,
      notBefore: cert.notBefore.toISOString(),
      notAfter: cert.notAfter.toISOString(),
      ...(subjectKey.newKey === undefined ? {} : { keyFile: subjectKey.newKey.file }),
      ...(subjectKey.kmsKeyId === undefined ? {} : { kmsKeyId: subjectKey.kmsKeyId }),
      ...(subjectKey.pkcs11 === undefined
        ? {}
        : {
            pkcs11: {
              token: subjectKey.pkcs11.tokenLabel,
              key: subjectKey.pkcs11.keyLabel,
              id: subjectKey.pkcs11.keyId,
            },
          }),
      lint: { ok: lint.ok, findings: lint.findings },
    };
    if (json) io.out(toJson(summary));
    else {
      io.out(`${kind} certificate: ${summary.subject}\n  issued by ${summary.issuer}\n`);
      io.out(`  serial ${summary.serialNumber}, valid ${summary.notBefore} .. ${summary.notAfter}\n`);
      const notes = lint.findings.map((f) => `  ${f.severity}: ${f.rule}: ${f.message}\n`).join('');
      io.out(`  Annex B lint (${summary.profile}): no errors\n${notes}`);
      if (subjectKey.newKey !== undefined)
        io.out(`wrote ${subjectKey.newKey.file} (private key, PKCS#8 PEM — keep it secret)\n`);
      if (subjectKey.kmsKeyId !== undefined) io.out(`key: KMS ${subjectKey.kmsKeyId}\n`);
      if (subjectKey.pkcs11 !== undefined)
        io.out(`key: PKCS#11 token ${subjectKey.pkcs11.tokenLabel}, key ${subjectKey.pkcs11.keyLabel}\n`);
      io.out(`wrote ${out}\n`);
      const profileFlag =
        kind === 'reader-root' || kind === 'status-signer' ? ` --profile ${summary.profile}` : '';
      const issuerFlag = issuerCertFile === undefined ? '' : ` --issuer ${issuerCertFile}`;
      io.out(
        `check it again with: ${invocation(io)} lint-cert ${stringOption(values, 'out', true)}${issuerFlag}${profileFlag}\n`,
      );
    }
    return ExitCode.OK;
  } finally {
    for (const close of closers) close();
  }
}

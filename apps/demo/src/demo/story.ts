import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  DeleteCertificateAuthorityCommand,
  RevokeCertificateCommand,
  UpdateCertificateAuthorityCommand,
} from '@aws-sdk/client-acm-pca';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { createIaca, issueDocumentSigner, issueStatusListSigner } from '@mdlkit/aws-acm-pca';
import {
  type AwsAuditRecord,
  createKmsKeyEncryptionKey,
  createKmsSigner,
  type KmsSigner,
} from '@mdlkit/aws-kms';
import { decodeCbor, EncodedCbor, encodeCbor, FullDate, fromBase64Url } from '@mdlkit/core/cbor';
import { publicKeyToCoseKey } from '@mdlkit/core/cose';
import {
  type AnyCoseSigner,
  createLocalSigner,
  exportPublicKey,
  generateKeyPair,
  type KeyEncryptionKey,
  type KeyPair,
  randomBytes,
} from '@mdlkit/core/crypto';
import { buildSessionTranscript, SessionEncryption } from '@mdlkit/core/session';
import {
  answerDeviceRequest,
  createQrEngagement,
  MdocSession,
  MdocStore,
  parseDeviceRequest,
} from '@mdlkit/holder';
import {
  buildStatusListToken,
  createLocalKeyEncryptionKey,
  type IssuedMdoc,
  issueBatch,
  issueMdoc,
  openHolderRecord,
  StatusIndexAllocator,
  StatusList,
  StatusValue,
  sealHolderRecord,
  shredHolderRecord,
} from '@mdlkit/issuer';
import {
  buildReaderAuthCertificate,
  buildReaderRootCertificate,
  derToPem,
  lintCertificate,
  parseCertificate,
  TrustStore,
} from '@mdlkit/pki';
import { buildDeviceRequest, CheckId, type VerificationReport, verifyDeviceResponse } from '@mdlkit/reader';
import { progressBar } from '../util/format.js';
import { annexDChecks } from '../vectors/annex-d.js';
import { runChecks, type VectorResult } from '../vectors/check.js';
import { negativeCatalogueChecks } from '../vectors/other-suites.js';
import type { DemoAws } from './aws.js';
import { type OnlineFlowResult, runOnlineStory } from './online.js';
import { samplePortrait } from './portrait.js';
import { describeValue, reportLines } from './report-text.js';

const MDL = 'org.iso.18013.5.1.mDL';
const NS = 'org.iso.18013.5.1';
const DAY = 86_400_000;
const STATUS_URI = 'https://status.demo-dmv.example/mdl/1';
const CRL_URI = 'https://crl.demo-dmv.example/iaca.crl';

/** Inputs of {@link runDemoStory}. */
export interface DemoStoryOptions {
  readonly aws: DemoAws;
  readonly outDir: string;
  readonly batchSize: number;
  /** Real AWS: an existing ECC_NIST_P256 SIGN_VERIFY key for the DS. */
  readonly kmsKeyId?: string;
  readonly vectorsDir?: string;
  readonly repoRoot?: string;
  readonly out: (text: string) => void;
  readonly tty: boolean;
  /** How the user runs the CLI (`pnpm mdlkit`, `mdlkit` …), for hints; default `mdlkit`. */
  readonly invokedAs?: string;
}

/** One step of the story as recorded in report.json. */
export interface StepRecord {
  readonly id: string;
  readonly title: string;
  readonly status: 'passed' | 'failed' | 'not-run';
  readonly ms: number;
  readonly notes: readonly string[];
  readonly error?: string;
}

/** What the demo produced. */
export interface DemoResult {
  readonly ok: boolean;
  readonly steps: readonly StepRecord[];
  readonly artifacts: readonly string[];
  readonly verification?: VerificationReport;
  readonly revokedVerification?: VerificationReport;
  readonly vectors?: readonly VectorResult[];
  /** The online flows' protocol checks and verdicts. */
  readonly online?: readonly {
    readonly flow: OnlineFlowResult['flow'];
    readonly verified: boolean;
    readonly checks: unknown;
  }[];
  readonly awsCalls: Readonly<Record<string, number>>;
  /** Real AWS: what was revoked and deleted at the end. */
  readonly cleanup?: readonly string[];
}

const STEPS: readonly (readonly [string, string])[] = [
  ['iaca', 'IACA root in AWS Private CA (ACM-PCA), linted against Annex B Table B.1'],
  [
    'document-signer',
    'Document signer: KMS key, CSR signed by KMS, certificate from ACM-PCA, linted (Table B.3); status-list signer from the same IACA (Table B.9)',
  ],
  ['issue', 'Issue an mDL with a portrait; MSO signed by KMS (DIGEST mode)'],
  ['batch', 'Issue a batch of MSOs (fresh device keys, salts, digest IDs) and publish a status list'],
  ['reader-setup', 'Reader: root CA and reader-authentication certificate'],
  ['engagement', 'Holder shows a QR device engagement'],
  ['request', 'Reader sends a DeviceRequest signed with its reader-auth key, over an encrypted session'],
  ['response', 'Holder checks reader auth and answers with only the requested elements, device-signed'],
  [
    'verify',
    'Reader decrypts and verifies everything (chain, signature, digests, validity, device auth, status)',
  ],
  ['revocation', 'One batch member is revoked in the status list and now fails verification'],
  [
    'holder-record',
    "The holder's record is sealed under a KMS key-encryption key, issued from, crypto-shredded; re-issuing then fails",
  ],
  [
    'online',
    'Online over loopback HTTP: OpenID4VP 1.0 over the DC API (signed JAR, dc_api.jwt) and ISO 18013-7 Annex C (HPKE)',
  ],
  ['vectors', 'ISO Annex D vectors and the negative-case catalogue'],
];

class StopStory extends Error {}

/**
 * Runs the end-to-end story of `design.md` and writes its artifacts. Never throws for a failed
 * step: the step is recorded as failed and the remaining steps as not run.
 */
export async function runDemoStory(options: DemoStoryOptions): Promise<DemoResult> {
  const { aws, out } = options;
  const records: StepRecord[] = [];
  const artifacts: string[] = [];
  const calls: Record<string, number> = {};
  const count = (service: string, operation: string): void => {
    const key = `${service}:${operation}`;
    calls[key] = (calls[key] ?? 0) + 1;
  };
  const audit = (r: AwsAuditRecord): void => count(r.service, r.operation);
  // real AWS: what the demo created, revoked and deleted at the end (also after a failed step)
  const cleanup: { caArn?: string; serials: string[]; notes: string[] } = { serials: [], notes: [] };
  mkdirSync(options.outDir, { recursive: true });
  const write = (name: string, data: Uint8Array | string): void => {
    const file = path.join(options.outDir, name);
    writeFileSync(file, data);
    artifacts.push(name);
  };
  // Set after the DS certificate exists (ACM-PCA starts its validity at issuance).
  let now = new Date();
  let index = 0;

  async function step<T>(id: string, run: (note: (line: string) => void) => Promise<T>): Promise<T> {
    const title = STEPS.find(([s]) => s === id)?.[1] ?? id;
    index++;
    out(`\n[${index}/${STEPS.length}] ${title}\n`);
    const notes: string[] = [];
    const note = (line: string): void => {
      notes.push(line);
      out(`      ${line}\n`);
    };
    const started = performance.now();
    try {
      const value = await run(note);
      const ms = Math.round(performance.now() - started);
      records.push({ id, title, status: 'passed', ms, notes });
      out(`      PASS (${ms} ms)\n`);
      return value;
    } catch (e) {
      const ms = Math.round(performance.now() - started);
      const code = (e as { code?: unknown }).code;
      const error = `${typeof code === 'string' ? `${code}: ` : ''}${(e as Error)?.message ?? String(e)}`;
      records.push({ id, title, status: 'failed', ms, notes, error });
      out(`      FAIL (${ms} ms): ${error}\n`);
      throw new StopStory(error);
    }
  }

  const result: {
    verification?: VerificationReport;
    revokedVerification?: VerificationReport;
    vectors?: VectorResult[];
    online?: { flow: OnlineFlowResult['flow']; verified: boolean; checks: unknown }[];
  } = {};

  try {
    // 1. IACA
    const iaca = await step('iaca', async (note) => {
      if (aws.mode === 'real') {
        note(
          'real AWS: a dedicated test root CA, tagged, revoked and deleted at the end (a production IACA never issues demo certificates)',
        );
      }
      const created = await createIaca({
        client: aws.pca,
        subject: {
          country: 'US',
          stateOrProvince: 'US-CA',
          organization: 'Demo DMV',
          commonName:
            aws.mode === 'real'
              ? `mdlkit demo test IACA ${new Date().toISOString().slice(0, 16)} (delete me)`
              : 'Demo DMV mDL IACA',
        },
        ...(aws.mode === 'real'
          ? {
              validityDays: 30,
              tags: [
                { Key: 'mdlkit:demo', Value: 'true' },
                { Key: 'mdlkit:delete-after', Value: new Date(Date.now() + DAY).toISOString().slice(0, 10) },
              ],
            }
          : {}),
        issuerAltName: [{ uri: 'https://demo-dmv.example/mdl' }],
        crlDistributionPointUri: CRL_URI,
        audit,
      });
      note(`CA ${created.caArn}`);
      if (aws.mode === 'real') cleanup.caArn = created.caArn;
      note(
        `root certificate: BasicConstraints CA pathLen 0, KeyUsage keyCertSign+cRLSign, CRL DP, issuerAltName; lint ${lintSummary(created.lint)}`,
      );
      return { caArn: created.caArn, certificate: created.certificate as Uint8Array | undefined };
    });

    // 2. DS
    const ds = await step('document-signer', async (note) => {
      let keyId = options.kmsKeyId;
      if (keyId === undefined) {
        if (aws.mode === 'real')
          throw new Error('--aws real needs --kms-key-id (an ECC_NIST_P256 SIGN_VERIFY key)');
        const key = await aws.kms.send(
          new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
        );
        keyId = key.KeyMetadata?.Arn;
        if (keyId === undefined) throw new Error('CreateKey returned no key ARN');
        count('kms', 'CreateKey');
      }
      const signer: KmsSigner = await createKmsSigner({ client: aws.kms, keyId, audit });
      note(`KMS key ${keyId} (${signer.keySpec}, signs with ${signer.signingAlgorithm}, DIGEST mode)`);
      const issued = await issueDocumentSigner({
        client: aws.pca,
        caArn: iaca.caArn,
        signer,
        subject: { commonName: 'Demo DMV Document Signer 1' },
        validityDays: aws.mode === 'real' ? 7 : 365,
        audit,
      });
      const cert = parseCertificate(issued.certificate);
      cleanup.serials.push(hex(cert.serialNumber));
      note(`DS certificate ${cert.subject.text}, valid until ${cert.notAfter.toISOString().slice(0, 10)}`);
      note(`EKU 1.0.18013.5.1.2 (critical), KeyUsage digitalSignature; lint ${lintSummary(issued.lint)}`);
      const iacaDer = iaca.certificate ?? issued.iacaCertificate;
      const iacaLint = lintCertificate(iacaDer, { profile: 'iaca' });
      if (aws.mode === 'real') note(`IACA certificate read from ACM-PCA; lint ${lintSummary(iacaLint)}`);
      write('iaca.pem', derToPem(iacaDer));
      write(
        'ds.pem',
        issued.certificatePem.endsWith('\n') ? issued.certificatePem : `${issued.certificatePem}\n`,
      );
      // The MSO revocation-list signer: its own key (in KMS on the emulator; a local key against
      // real AWS, so the demo creates no billable KMS key), certificate from the same IACA, so a
      // reader trusts the list through the IACA that issued the DS (no pinned certificate).
      let statusKey: AnyCoseSigner & { readonly publicKey: Uint8Array };
      if (aws.mode === 'real') {
        const local = generateKeyPair({ curve: 'P-256' });
        statusKey = {
          ...createLocalSigner({ privateKey: local.privateKey, alg: -7 }),
          publicKey: exportPublicKey(local.publicKey, 'spki'),
        };
      } else {
        const key = await aws.kms.send(
          new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
        );
        count('kms', 'CreateKey');
        statusKey = await createKmsSigner({ client: aws.kms, keyId: key.KeyMetadata?.Arn ?? '', audit });
      }
      const statusIssued = await issueStatusListSigner({
        client: aws.pca,
        caArn: iaca.caArn,
        signer: statusKey,
        subject: { commonName: 'Demo DMV status list signer' },
        validityDays: aws.mode === 'real' ? 7 : 90,
        audit,
      });
      note(
        `status-list signer certificate from the IACA (${aws.mode === 'real' ? 'local' : 'KMS'} key), lint ${lintSummary(statusIssued.lint)}`,
      );
      write('status-list-signer.pem', derToPem(statusIssued.certificate));
      cleanup.serials.push(hex(parseCertificate(statusIssued.certificate).serialNumber));
      return {
        signer,
        certificate: issued.certificate,
        iaca: iacaDer,
        subject: cert.subject,
        statusSigner: { signer: statusKey, certificate: statusIssued.certificate },
      };
    });

    // 3. Issue one mDL
    // Whole seconds, rounded down: MSO tdates carry no fraction, and a validFrom rounded up lay up to
    // a second after the clock of a verify run straight after the demo (ERR_MSO_NOT_YET_VALID).
    now = new Date(Math.floor(Date.now() / 1000) * 1000);
    const statusIndex = new StatusIndexAllocator({ capacity: 1024, randomBytes });
    const { statusSigner } = ds;
    const mdlStatusIdx = statusIndex.allocate();
    const holderKey = generateKeyPair({ curve: 'P-256' });
    // real AWS: the test DS certificate lives 7 days, so the MSOs 3
    const validity = {
      validFrom: now,
      validUntil: new Date(now.getTime() + (aws.mode === 'real' ? 3 : 30) * DAY),
    };
    const portrait = samplePortrait();
    const holderData = sampleHolder(portrait, now, ds.subject.stateOrProvince);
    const mdoc: IssuedMdoc = await step('issue', async (note) => {
      const issued = await issueMdoc({
        docType: MDL,
        nameSpaces: { [NS]: holderData },
        deviceKey: holderKey.publicKey,
        validity,
        signer: ds.signer,
        dsCertificate: ds.certificate,
        status: { statusList: { idx: mdlStatusIdx, uri: STATUS_URI } },
        now,
      });
      note(
        `${Object.keys(holderData).length} elements incl. a ${portrait.length}-byte JPEG portrait; ` +
          `MSO valid ${validity.validFrom.toISOString()} .. ${validity.validUntil.toISOString()}`,
      );
      note(`IssuerAuth ${issued.issuerAuth.length} bytes, status list index ${mdlStatusIdx}`);
      return issued;
    });

    // 4. Batch + status list
    const batch = await step('batch', async (note) => {
      const keys: KeyPair[] = Array.from({ length: options.batchSize }, () =>
        generateKeyPair({ curve: 'P-256' }),
      );
      const indices = keys.map(() => statusIndex.allocate());
      const started = performance.now();
      const issued = await issueBatch({
        docType: MDL,
        nameSpaces: { [NS]: holderData },
        deviceKeys: keys.map((k) => k.publicKey),
        statuses: indices.map((idx) => ({
          statusList: { idx, uri: STATUS_URI },
        })),
        validity,
        signer: ds.signer,
        dsCertificate: ds.certificate,
        concurrency: 8,
        now,
        onProgress: (p) => {
          const bar = progressBar(p.completed, p.total);
          if (options.tty) out(`\r      ${bar}`);
          else if (p.completed === p.total || p.completed % Math.ceil(p.total / 4) === 0)
            out(`      ${bar}\n`);
        },
      });
      if (options.tty) out('\n');
      const seconds = (performance.now() - started) / 1000;
      const { summary } = issued;
      if (summary.failed > 0) throw new Error(`${summary.failed} of ${summary.total} batch documents failed`);
      note(
        `${summary.succeeded} MSOs signed by KMS in ${seconds.toFixed(2)} s ` +
          `(${(summary.succeeded / seconds).toFixed(0)}/s, ${summary.attempts} Sign calls, ${summary.throttled} throttled)`,
      );
      const list = new StatusList({ bits: 1, size: statusIndex.capacity });
      const token = await buildStatusListToken({
        statusList: list,
        uri: STATUS_URI,
        now,
        expiresAt: new Date(now.getTime() + DAY),
        signer: statusSigner.signer,
        certificateChain: [statusSigner.certificate],
      });
      note(
        `status list ${STATUS_URI}: ${statusIndex.capacity} one-bit entries, all VALID (${token.length}-byte CWT)`,
      );
      const documents = issued.documents.map((d) => {
        if (!d.ok) throw d.error;
        return d.mdoc;
      });
      return { documents, keys, indices, list, token };
    });

    // 5. Reader PKI (local keys: a verifier's own CA, not the issuer's)
    const reader = await step('reader-setup', async (note) => {
      const rootKey = generateKeyPair({ curve: 'P-256' });
      const rootSigner = createLocalSigner({ privateKey: rootKey.privateKey, alg: -7 });
      const root = await buildReaderRootCertificate({
        subject: { country: 'US', organization: 'Demo Verifier', commonName: 'Demo Verifier Reader Root' },
        publicKey: exportPublicKey(rootKey.publicKey, 'spki'),
        signer: rootSigner,
        issuerAltName: [{ uri: 'https://verifier.example/pki' }],
        crlDistributionPoint: 'https://verifier.example/pki/reader-root.crl',
        notBefore: new Date(now.getTime() - DAY),
        notAfter: new Date(now.getTime() + 3 * 365 * DAY),
        randomBytes,
      });
      const key = generateKeyPair({ curve: 'P-256' });
      const cert = await buildReaderAuthCertificate({
        subject: { country: 'US', organization: 'Demo Verifier', commonName: 'Demo Bar & Grill door reader' },
        publicKey: exportPublicKey(key.publicKey, 'spki'),
        issuer: { certificate: root, signer: rootSigner },
        crlDistributionPoint: 'https://verifier.example/pki/reader-root.crl',
        notBefore: new Date(now.getTime() - DAY),
        notAfter: new Date(now.getTime() + 180 * DAY),
        randomBytes,
      });
      write('reader-root.pem', derToPem(root));
      write('reader.pem', derToPem(cert));
      note(
        `reader certificate (EKU 1.0.18013.5.1.6) lint ${lintSummary(lintCertificate(cert, { issuer: root }))}`,
      );
      return { root, cert, signer: createLocalSigner({ privateKey: key.privateKey, alg: -7 }) };
    });

    // Holder wallet
    const store = new MdocStore();
    store.add({
      id: 'mdl',
      issuerSigned: mdoc.issuerSigned,
      deviceKeyReference: {
        kind: 'signature',
        signer: createLocalSigner({ privateKey: holderKey.privateKey, alg: -7 }),
      },
    });
    const requested = {
      family_name: false,
      given_name: false,
      portrait: false,
      age_over_21: false,
      issuing_country: false,
      issuing_jurisdiction: false,
    };

    const present = async (
      wallet: MdocStore,
      note: (line: string) => void,
      verbose: boolean,
    ): Promise<{ response: Uint8Array; request: Uint8Array; transcript: Uint8Array }> => {
      // Holder: QR engagement (fresh ephemeral key per engagement)
      const qr = createQrEngagement();
      // Reader: scans the QR code, reads EDeviceKeyBytes from the DeviceEngagement as received
      const engagement = decodeCbor(fromBase64Url(qr.uri.slice('mdoc:'.length))) as Map<number, unknown>;
      const eDeviceKeyBytes = (engagement.get(1) as unknown[])[1] as EncodedCbor;
      const eReader = generateKeyPair({ curve: 'P-256' });
      const eReaderKeyBytes = EncodedCbor.fromValue(publicKeyToCoseKey(eReader.publicKey));
      const transcript = buildSessionTranscript({
        deviceEngagementBytes: EncodedCbor.fromBytes(fromBase64Url(qr.uri.slice('mdoc:'.length))),
        eReaderKeyBytes,
        handover: { kind: 'qr' },
      });
      const request = await buildDeviceRequest({
        docRequests: [{ docType: MDL, nameSpaces: { [NS]: requested } }],
        readerAuth: { signer: reader.signer, certificateChain: [reader.cert], sessionTranscript: transcript },
      });
      const readerSession = await SessionEncryption.establish({
        role: 'reader',
        privateKey: eReader.privateKey,
        publicKey: eDeviceKeyBytes,
        sessionTranscript: transcript,
      });
      const establishment = await readerSession.sealSessionEstablishment(eReaderKeyBytes, request.bytes);
      if (verbose) {
        note(`QR: ${qr.uri.slice(0, 48)}… (${qr.uri.length} chars)`);
        note(
          `DeviceRequest ${request.bytes.length} bytes for ${Object.keys(requested).length} elements, ReaderAuth ES256; ` +
            `SessionEstablishment ${establishment.length} bytes (AES-256-GCM)`,
        );
      }
      // Holder: decrypts, checks reader auth, answers with consent = what was asked
      const mdocSession = new MdocSession({
        eDeviceKey: qr.eDeviceKey,
        deviceEngagementBytes: qr.deviceEngagementBytes,
        handover: { kind: 'qr' },
      });
      const received = await mdocSession.receiveEstablishment(establishment);
      const parsed = await parseDeviceRequest(received.deviceRequest, {
        sessionTranscript: received.sessionTranscript,
        trustStore: new TrustStore([reader.root]),
        now,
        requireReaderAuth: true,
      });
      const auth = parsed.docRequests[0]?.readerAuth;
      const answer = await answerDeviceRequest({
        request: parsed,
        documents: wallet.list(),
        sessionTranscript: received.sessionTranscript,
      });
      const sessionData = await mdocSession.sendResponse(answer.bytes);
      if (verbose) {
        note(
          `holder: reader authenticated as "${auth?.status === 'verified' ? auth.readerName : '?'}"; ` +
            `releases ${answer.disclosed[0]?.elements.length ?? 0} elements, DeviceSignature ES256; SessionData ${sessionData.length} bytes`,
        );
      }
      // Reader: decrypts
      const { plaintext } = await readerSession.openSessionData(sessionData);
      if (plaintext === undefined) throw new Error('SessionData carried no DeviceResponse');
      return { response: plaintext, request: request.bytes, transcript: transcript.encoded.tagged() };
    };

    const verify = (response: Uint8Array, transcript: Uint8Array, token: Uint8Array) =>
      verifyDeviceResponse(response, {
        trust: new TrustStore([ds.iaca]),
        sessionTranscript: transcript,
        now,
        policy: 'strict',
        revocation: { statusLists: { [STATUS_URI]: token }, undeterminedPolicy: 'reject' },
      });

    await step('engagement', async (note) => {
      const qr = createQrEngagement();
      note('DeviceEngagement: version 1.0, cipher suite 1, EDeviceKey P-256, QR handover');
      note(`mdoc: URI ${qr.uri.length} characters (shown as a QR code by the wallet)`);
    });
    const session = await step('request', async (note) => present(store, note, true));
    await step('response', async (note) => {
      note(`DeviceResponse ${session.response.length} bytes as sent (plaintext inside SessionData)`);
      write('device-request.cbor', session.request);
      write('session-transcript.cbor', session.transcript);
      write('device-response.cbor', session.response);
    });
    result.verification = await step('verify', async (note) => {
      const report = await verify(session.response, session.transcript, batch.token);
      for (const line of reportLines(report)) note(line);
      if (!report.verified) throw new Error('the DeviceResponse did not verify');
      return report;
    });

    // 10. Revocation
    result.revokedVerification = await step('revocation', async (note) => {
      const victim = Math.min(2, batch.documents.length - 1);
      const idx = batch.indices[victim]!;
      batch.list.set(idx, StatusValue.INVALID);
      const token = await buildStatusListToken({
        statusList: batch.list,
        uri: STATUS_URI,
        now,
        expiresAt: new Date(now.getTime() + DAY),
        signer: statusSigner.signer,
        certificateChain: [statusSigner.certificate],
      });
      write('status-list.cwt', token);
      note(`batch member #${victim} (status index ${idx}) set to INVALID; status list re-signed`);
      const walletFor = (i: number): MdocStore => {
        const w = new MdocStore();
        w.add({
          id: `batch-${i}`,
          issuerSigned: batch.documents[i]!.issuerSigned,
          deviceKeyReference: {
            kind: 'signature',
            signer: createLocalSigner({ privateKey: batch.keys[i]!.privateKey, alg: -7 }),
          },
        });
        return w;
      };
      const revoked = await present(walletFor(victim), note, false);
      const revokedReport = await verify(revoked.response, revoked.transcript, token);
      const check = revokedReport.documents[0]?.checks.find((c) => c.id === CheckId.MSO_REVOCATION);
      const others = revokedReport.documents[0]?.checks.filter((c) => c.status === 'failed') ?? [];
      note(
        `revoked member: verified=${revokedReport.verified}; ${check?.id} ${check?.status} ${check?.code ?? ''}`,
      );
      if (revokedReport.verified || check?.status !== 'failed' || others.length !== 1) {
        throw new Error('the revoked batch member was not rejected by exactly the MSO revocation check');
      }
      const other = (victim + 1) % batch.documents.length;
      const fine = await present(walletFor(other), note, false);
      const fineReport = await verify(fine.response, fine.transcript, token);
      note(`batch member #${other}: verified=${fineReport.verified}`);
      const main = await verify(session.response, session.transcript, token);
      note(`the mDL from step 3 against the new list: verified=${main.verified}`);
      if (!fineReport.verified || !main.verified)
        throw new Error('a non-revoked document no longer verifies');
      return revokedReport;
    });

    // 11. Holder record: envelope encryption and crypto-shredding
    await step('holder-record', async (note) => {
      let kek: KeyEncryptionKey;
      if (aws.mode === 'real') {
        kek = createLocalKeyEncryptionKey({ keyId: 'demo-local-kek' });
        note(
          'real AWS: a local key-encryption key (the demo creates no KMS key); production uses createKmsKeyEncryptionKey',
        );
      } else {
        const key = await aws.kms.send(new CreateKeyCommand({ Description: 'mdlkit demo holder records' }));
        count('kms', 'CreateKey');
        kek = createKmsKeyEncryptionKey({ client: aws.kms, keyId: key.KeyMetadata?.Arn ?? '', audit });
      }
      const holderId = 'demo-holder-0001';
      const record = await sealHolderRecord({ kek, holderId, plaintext: encodeCbor(holderData) });
      note(
        `sealed ${holderId}: ${record.ciphertext.length}-byte AES-256-GCM record, ${record.wrappedKey?.length ?? 0}-byte data key wrapped by ${record.keyId} (context: holder id + purpose)`,
      );
      const reissue = async (sealed: typeof record): Promise<IssuedMdoc> => {
        const opened = await openHolderRecord({ kek, record: sealed });
        const decoded = decodeCbor(opened);
        opened.fill(0);
        if (!(decoded instanceof Map)) throw new Error('the opened holder record is not a CBOR map');
        return issueMdoc({
          docType: MDL,
          nameSpaces: { [NS]: Object.fromEntries(decoded) as typeof holderData },
          deviceKey: generateKeyPair({ curve: 'P-256' }).publicKey,
          validity,
          signer: ds.signer,
          dsCertificate: ds.certificate,
          now,
        });
      };
      const fromRecord = await reissue(record);
      note(
        `issued from the opened record: IssuerAuth ${fromRecord.issuerAuth.length} bytes; the data key was zeroed after use`,
      );
      const shredded = shredHolderRecord(record);
      note('crypto-shredded: the wrapped data key destroyed (the KEK keeps serving every other holder)');
      try {
        await reissue(shredded);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code !== 'ERR_HOLDER_RECORD_SHREDDED') throw error;
        note(`re-issuing now fails: ${code}: ${(error as Error).message}`);
        return;
      }
      throw new Error('re-issuing from a shredded record succeeded');
    });

    // 12. Online presentation over loopback HTTP
    result.online = await step('online', async (note) => {
      const flows = await runOnlineStory({
        wallet: store,
        trust: new TrustStore([ds.iaca]),
        readerTrust: new TrustStore([reader.root]),
        readerSigner: reader.signer,
        readerChain: [reader.cert],
        intent: { docType: 'org.iso.18013.5.1.mDL', elements: { 'org.iso.18013.5.1': requested } },
        now,
        write: (name, data) => {
          mkdirSync(path.dirname(path.join(options.outDir, name)), { recursive: true });
          write(name, data);
        },
        note,
      });
      if (!flows.every((f) => f.report.verified)) throw new Error('an online presentation did not verify');
      return flows.map((f) => ({ flow: f.flow, verified: f.report.verified, checks: f.report.checks }));
    });

    // 13. Vectors
    result.vectors = await step('vectors', async (note) => {
      if (options.vectorsDir === undefined) {
        throw new Error('vectors folder not found (set MDLKIT_VECTORS or pass --vectors DIR)');
      }
      const results = await runChecks([
        ...annexDChecks(options.vectorsDir),
        ...negativeCatalogueChecks(options.repoRoot),
      ]);
      const failed = results.filter((r) => r.status === 'failed');
      const annexD = results.filter((r) => r.suite === 'annex-d');
      const negative = results.filter((r) => r.suite === 'negative');
      note(
        `Annex D: ${annexD.filter((r) => r.status === 'passed').length}/${annexD.length} passed; ` +
          `negative catalogue: ${negative.filter((r) => r.status === 'passed').length}/${negative.length} passed`,
      );
      for (const r of failed) note(`FAIL ${r.suite}/${r.id}: ${r.message ?? ''}`);
      note(`full table: ${options.invokedAs ?? 'mdlkit'} vectors`);
      if (failed.length > 0) throw new Error(`${failed.length} vector check(s) failed`);
      return results;
    });
  } catch (e) {
    if (!(e instanceof StopStory)) throw e;
    for (const [id, title] of STEPS.slice(records.length)) {
      records.push({ id, title, status: 'not-run', ms: 0, notes: [] });
    }
  } finally {
    if (aws.mode === 'real') await cleanUpRealAws(aws, cleanup, count, out);
  }

  const ok =
    records.every((r) => r.status === 'passed') && !cleanup.notes.some((n) => n.startsWith('FAILED'));
  const summary: DemoResult = {
    ok,
    steps: records,
    artifacts: [...artifacts, 'report.json'],
    awsCalls: calls,
    ...(aws.mode === 'real' ? { cleanup: cleanup.notes } : {}),
    ...result,
  };
  write('report.json', JSON.stringify(summary, jsonReplacer, 2));
  return summary;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/**
 * Real AWS: revokes every certificate the demo issued, disables its test CA and deletes it
 * (7-day restore window; AWS stops charging once the CA is deleted). Each failure is reported and
 * the rest still runs.
 */
async function cleanUpRealAws(
  aws: DemoAws,
  cleanup: { caArn?: string; serials: string[]; notes: string[] },
  count: (service: string, operation: string) => void,
  out: (text: string) => void,
): Promise<void> {
  const { caArn } = cleanup;
  out('\nCleanup (real AWS)\n');
  const record = (line: string): void => {
    cleanup.notes.push(line);
    out(`      ${line}\n`);
  };
  if (caArn === undefined) {
    record('nothing was created');
    return;
  }
  const attempt = async (what: string, run: () => Promise<unknown>, operation: string): Promise<void> => {
    try {
      count('acm-pca', operation);
      await run();
      record(what);
    } catch (error) {
      record(`FAILED ${what}: ${(error as Error).name}: ${(error as Error).message} — do it by hand`);
    }
  };
  for (const serial of cleanup.serials) {
    await attempt(
      `revoked certificate ${serial}`,
      () =>
        aws.pca.send(
          new RevokeCertificateCommand({
            CertificateAuthorityArn: caArn,
            CertificateSerial: serial,
            RevocationReason: 'CESSATION_OF_OPERATION',
          }),
        ),
      'RevokeCertificate',
    );
  }
  await attempt(
    `disabled ${caArn}`,
    () =>
      aws.pca.send(
        new UpdateCertificateAuthorityCommand({ CertificateAuthorityArn: caArn, Status: 'DISABLED' }),
      ),
    'UpdateCertificateAuthority',
  );
  await attempt(
    `deleted ${caArn} (restorable for 7 days, not billed once deleted)`,
    () =>
      aws.pca.send(
        new DeleteCertificateAuthorityCommand({
          CertificateAuthorityArn: caArn,
          PermanentDeletionTimeInDays: 7,
        }),
      ),
    'DeleteCertificateAuthority',
  );
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Map) return Object.fromEntries(value);
  if (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    value.constructor?.name !== 'Object'
  ) {
    return describeValue(value);
  }
  return value;
}

function lintSummary(lint: { ok: boolean; findings: readonly { severity: string }[] }): string {
  const errors = lint.findings.filter((f) => f.severity === 'error').length;
  const warnings = lint.findings.filter((f) => f.severity === 'warning').length;
  return lint.ok ? `clean (${warnings} warning(s))` : `${errors} error(s)`;
}

/** A complete sample mDL (all mandatory elements of ISO/IEC 18013-5 Table 5). */
function sampleHolder(portrait: Uint8Array, now: Date, state: string | undefined): Record<string, unknown> {
  const day = (d: Date): FullDate => new FullDate(d.toISOString().slice(0, 10));
  const issue = new Date(now.getTime() - 400 * DAY);
  const expiry = new Date(now.getTime() + 5 * 365 * DAY);
  return {
    family_name: 'Mustermann',
    given_name: 'Erika',
    birth_date: new FullDate('1990-04-12'),
    issue_date: day(issue),
    expiry_date: day(expiry),
    issuing_country: 'US',
    issuing_authority: 'Demo DMV',
    document_number: 'D1234567',
    portrait,
    driving_privileges: [
      new Map<string, unknown>([
        ['vehicle_category_code', 'B'],
        ['issue_date', day(issue)],
        ['expiry_date', day(expiry)],
      ]),
    ],
    un_distinguishing_sign: 'USA',
    age_over_18: true,
    age_over_21: true,
    ...(state === undefined ? {} : { issuing_jurisdiction: state }),
  };
}

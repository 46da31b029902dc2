import type { PublicKey } from '@mdlkit/core/crypto';
import { isMdlError, MdlError } from '@mdlkit/core/errors';
import { runPool } from '../internal/pool.js';
import { assertSignerKeyIsCertificateKey } from '../internal/signer-key.js';
import { finishMdoc, type IssuedMdoc, type IssueMdocOptions, prepareMdoc } from '../issue/issue-mdoc.js';
import { dsSigning, signParts } from '../issuer-auth/sign-issuer-auth.js';
import type { MsoStatusInput } from '../mso/build-mso.js';

/** Progress of a batch, reported after every finished document. */
export interface BatchProgress {
  readonly total: number;
  readonly completed: number;
  readonly succeeded: number;
  readonly failed: number;
}

/** One document of a batch: fully signed, or an error — never anything in between. */
export type BatchDocumentResult =
  | { readonly index: number; readonly ok: true; readonly mdoc: IssuedMdoc; readonly attempts: 1 }
  | { readonly index: number; readonly ok: false; readonly error: MdlError; readonly attempts: 0 | 1 };

/** Totals of a batch. */
export interface BatchSummary {
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  /**
   * Signer calls made: one per document that reached the signer. The batch never calls the signer
   * twice for a document — retries belong to the signer's transport (the AWS SDK's retry strategy
   * for KMS), which states its own attempts per call.
   */
  readonly attempts: number;
  /** Documents whose signer still reported throttling (`ERR_SIGNER_THROTTLED`) after its own retries. */
  readonly throttled: number;
}

/** Options of {@link issueBatch}: the per-document fields of `issueMdoc` plus batch controls. */
export interface IssueBatchOptions extends Omit<IssueMdocOptions, 'deviceKey'> {
  /**
   * One device key per MSO (unlinkability: never reuse a device key across MSOs). Give either this
   * list or `count` with `generateDeviceKey`.
   */
  readonly deviceKeys?: readonly (PublicKey | ReadonlyMap<number, unknown>)[];
  /** Number of MSOs to issue, each with a fresh key from `generateDeviceKey` (instead of `deviceKeys`). */
  readonly count?: number;
  /**
   * Key generator for `count`: returns the public device key of document `index` (a core key handle
   * or a COSE_Key map); the caller keeps the private keys (e.g. `generateKeyPair` and a store).
   */
  readonly generateDeviceKey?: (index: number) => PublicKey | ReadonlyMap<number, unknown>;
  /** Signer calls in flight at once (remote signers: stay under the KMS quota). Default 16. */
  readonly concurrency?: number;
  /** Called after each document finishes. Exceptions thrown by the callback are ignored. */
  readonly onProgress?: (progress: BatchProgress) => void;
  /** Verify every signature with the DS key before accepting it. Default `false`. */
  readonly verifySignatures?: boolean;
  /**
   * One MSO `status` entry per device key (e.g. a distinct status-list index per MSO, so one batch
   * member can be revoked alone); overrides `status` for that document. Same length as `deviceKeys`.
   */
  readonly statuses?: readonly MsoStatusInput[];
}

/** Result of {@link issueBatch}. */
export interface BatchResult {
  /** One entry per device key, in input order. */
  readonly documents: readonly BatchDocumentResult[];
  readonly summary: BatchSummary;
}

const MAX_BATCH_COUNT = 1_000_000;

/** The batch's device keys: the given list, or `count` fresh keys from the generator. */
function batchDeviceKeys(options: IssueBatchOptions): readonly (PublicKey | ReadonlyMap<number, unknown>)[] {
  const { deviceKeys, count, generateDeviceKey } = options;
  if (deviceKeys !== undefined) {
    if (count !== undefined) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'give deviceKeys or count, not both');
    }
    if (!Array.isArray(deviceKeys) || deviceKeys.length === 0) {
      throw new MdlError('ERR_INVALID_ARGUMENT', 'deviceKeys must be a non-empty array');
    }
    return deviceKeys;
  }
  if (count === undefined) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'issueBatch needs deviceKeys or count');
  }
  if (!Number.isInteger(count) || count < 1 || count > MAX_BATCH_COUNT) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'count must be an integer in 1..1000000');
  }
  if (typeof generateDeviceKey !== 'function') {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'count needs a generateDeviceKey function');
  }
  const keys: (PublicKey | ReadonlyMap<number, unknown>)[] = [];
  for (let i = 0; i < count; i++) {
    let key: PublicKey | ReadonlyMap<number, unknown>;
    try {
      key = generateDeviceKey(i);
    } catch (cause) {
      if (isMdlError(cause)) throw cause;
      throw new MdlError('ERR_INVALID_ARGUMENT', 'generateDeviceKey failed', {
        details: { index: i },
        cause,
      });
    }
    keys.push(key);
  }
  return keys;
}

/**
 * Issue one MSO per device key — fresh salts, digestIDs and device key each, so no two MSOs of
 * the batch can be linked — with bounded concurrency (at most `concurrency` signer calls in
 * flight) and per-document all-or-error results: a document is either fully signed or carries
 * its error; the batch never fails half-way because one signature failed. The batch retries
 * nothing: a remote signer retries inside its transport (the KMS signer through the AWS SDK's
 * retry strategy, with its stated attempts per call), so retries never multiply.
 *
 * The data and validity are validated once up front (a bad input fails the whole call before any
 * signing).
 *
 * @example
 * ```ts
 * const { documents, summary } = await issueBatch({
 *   docType: MDL_DOCTYPE, nameSpaces, deviceKeys, validity, signer: kmsSigner, dsCertificate,
 *   concurrency: 32, onProgress: (p) => console.log(p.completed, '/', p.total),
 * });
 * ```
 * With `count` instead of `deviceKeys`, each document gets a fresh key from `generateDeviceKey`
 * (called once per index, in order, before any signing):
 * ```ts
 * const holders: KeyPair[] = [];
 * await issueBatch({ ...common, count: 100, generateDeviceKey: () => {
 *   const pair = generateKeyPair({ curve: 'P-256' }); holders.push(pair); return pair.publicKey;
 * } });
 * ```
 * @throws {@link MdlError} the validation errors of `issueMdoc` (before any signing);
 * `ERR_INVALID_ARGUMENT` for an empty key list, both or neither of `deviceKeys` / `count`, a bad
 * `count` or missing generator (a throwing generator's own `MdlError` passes through), `statuses`
 * of the wrong length, or a bad concurrency; `ERR_SIGNER_KEY_MISMATCH` (before any signing) when the
 * signer states a public key that is not the DS certificate's.
 */
export async function issueBatch(options: IssueBatchOptions): Promise<BatchResult> {
  const deviceKeys = batchDeviceKeys(options);
  if (options.statuses !== undefined && options.statuses.length !== deviceKeys.length) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'statuses must have one entry per device key');
  }
  const concurrency = options.concurrency ?? 16;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 10_000) {
    throw new MdlError('ERR_INVALID_ARGUMENT', 'concurrency must be an integer in 1..10000');
  }
  const keyOrder = options.keyOrder ?? 'deterministic';
  const now = options.now ?? new Date();
  // Validate once (data, validity, DS certificate); each document then skips the schema pass.
  const first = prepareMdoc({ ...options, now, deviceKey: deviceKeys[0]! });
  assertSignerKeyIsCertificateKey(options.signer, first.ds);
  const perDocument: IssueMdocOptions = {
    ...options,
    now,
    deviceKey: deviceKeys[0]!,
    validateElements: false,
  };
  let completed = 0;
  let succeeded = 0;
  let failed = 0;
  let attempts = 0;
  let throttled = 0;
  const report = (): void => {
    try {
      options.onProgress?.({ total: deviceKeys.length, completed, succeeded, failed });
    } catch {
      // A progress callback must not break issuance.
    }
  };
  const documents = await runPool(
    deviceKeys.length,
    concurrency,
    async (index): Promise<BatchDocumentResult> => {
      let called: 0 | 1 = 0;
      let result: BatchDocumentResult;
      try {
        const status = options.statuses?.[index];
        const prepared = prepareMdoc({
          ...perDocument,
          deviceKey: deviceKeys[index]!,
          ...(status === undefined ? {} : { status }),
        });
        const signing = dsSigning(prepared.ds, options.signer.alg, prepared.chain);
        called = 1;
        const issuerAuth = await signParts(
          prepared.mso.bytes.bytes,
          options.signer,
          prepared.ds,
          signing,
          options.verifySignatures ?? false,
        );
        result = { index, ok: true, mdoc: finishMdoc(prepared, issuerAuth, keyOrder), attempts: 1 };
        succeeded++;
      } catch (error) {
        const err = isMdlError(error)
          ? error
          : new MdlError('ERR_BATCH_DOCUMENT_FAILED', 'issuing a batch document failed', {
              details: { index },
              cause: error,
            });
        result = { index, ok: false, error: err, attempts: called };
        if (isMdlError(err, 'ERR_SIGNER_THROTTLED')) throttled++;
        failed++;
      }
      attempts += called;
      completed++;
      report();
      return result;
    },
  );
  return { documents, summary: { total: deviceKeys.length, succeeded, failed, attempts, throttled } };
}

import type { PcaState } from './acm-pca/state.js';
import type { FaultController } from './faults.js';
import type { Input } from './internal/input.js';
import type { KmsState } from './kms/state.js';

/** Everything the emulator holds: KMS keys and aliases, Private CA authorities and certificates. */
export interface EmulatorState {
  readonly kms: KmsState;
  readonly pca: PcaState;
}

/** Settings of the ACM-PCA asynchrony. */
export interface PcaTimingOptions {
  /**
   * How many `GetCertificateAuthorityCsr` / `DescribeCertificateAuthority` polls see the CA still
   * `CREATING` (`RequestInProgressException` for the CSR) before the CSR exists. Default 0.
   */
  readonly csrPendingPolls?: number;
  /** How many `GetCertificate` polls answer `RequestInProgressException` per certificate. Default 0. */
  readonly certificatePendingPolls?: number;
}

/** What every operation handler sees. */
export interface OperationContext {
  readonly region: string;
  readonly accountId: string;
  readonly state: EmulatorState;
  readonly faults: FaultController;
  readonly pcaTiming: Required<PcaTimingOptions>;
  now(): Date;
}

/** An operation handler: validated JSON in, JSON-serializable output out (or an `AwsError`). */
export type Operation = (context: OperationContext, input: Input) => unknown | Promise<unknown>;

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

/** The S3 side the emulator models for CRL buckets (nothing is stored). */
export interface S3Options {
  /**
   * Buckets whose S3 Block Public Access is turned off. Every other bucket blocks public ACLs, as
   * new buckets do by default since April 2023, so a CRL configuration that leaves `S3ObjectAcl` at
   * its default `PUBLIC_READ` fails CA creation for them (AWS: `ValidationException`, "Permission
   * error with your S3 bucket").
   */
  readonly publicAclBuckets?: readonly string[];
}

/** What every operation handler sees. */
export interface OperationContext {
  readonly region: string;
  readonly accountId: string;
  readonly state: EmulatorState;
  readonly faults: FaultController;
  readonly pcaTiming: Required<PcaTimingOptions>;
  /** Buckets that accept `PUBLIC_READ` objects (Block Public Access off). */
  readonly publicAclBuckets: ReadonlySet<string>;
  now(): Date;
}

/** An operation handler: validated JSON in, JSON-serializable output out (or an `AwsError`). */
export type Operation = (context: OperationContext, input: Input) => unknown | Promise<unknown>;

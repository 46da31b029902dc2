import type { X509Certificate } from '../internal/x509.js';

/** `CertificateAuthorityStatus` values. */
export type CaStatus =
  | 'CREATING'
  | 'PENDING_CERTIFICATE'
  | 'ACTIVE'
  | 'DELETED'
  | 'DISABLED'
  | 'EXPIRED'
  | 'FAILED';

/** A certificate the CA issued. */
export interface IssuedCertificate {
  readonly arn: string;
  /** Lowercase hex, no separators, no leading zero octets. */
  readonly serial: string;
  readonly pem: string;
  readonly certificate: X509Certificate;
  /** `GetCertificate` polls still answered with `RequestInProgressException`. */
  pendingPolls: number;
  /** Whether the CA had its own certificate when this was issued (no chain otherwise). */
  readonly chainPem: string | undefined;
  /** The CA's own self-signed certificate (a root template), which cannot be revoked. */
  readonly selfSigned: boolean;
  revoked?: { readonly reason: string; readonly date: Date };
}

/** One private CA. */
export interface PcaAuthority {
  readonly arn: string;
  readonly id: string;
  readonly type: 'ROOT' | 'SUBORDINATE';
  readonly createdAt: Date;
  readonly keyAlgorithm: 'EC_prime256v1' | 'EC_secp384r1' | 'EC_secp521r1';
  readonly signingAlgorithm: string;
  /** The `CertificateAuthorityConfiguration` as given (echoed by Describe). */
  readonly configuration: Record<string, unknown>;
  revocationConfiguration: Record<string, unknown> | undefined;
  readonly usageMode: string;
  readonly keyStorageSecurityStandard: string;
  readonly keys: CryptoKeyPair;
  /** DER SubjectPublicKeyInfo of the CA key. */
  readonly spki: Uint8Array;
  readonly csrPem: string;
  status: CaStatus;
  lastStateChangeAt: Date;
  /** Polls left before the CSR exists (status `CREATING` until then). */
  csrPendingPolls: number;
  certificate?: X509Certificate;
  certificatePem?: string;
  /** PEM chain above the CA certificate (subordinate CAs). */
  chainPem?: string;
  readonly certificates: Map<string, IssuedCertificate>;
  /** The `Tags` given at creation (kept for assertions; no tag API is emulated). */
  readonly tags: readonly { readonly Key: string; readonly Value?: string }[];
}

/** What an idempotency token answered, and when (AWS remembers a token for five minutes). */
export interface IdempotentCall {
  /** The ARN the first call returned (CA ARN or certificate ARN). */
  readonly arn: string;
  readonly at: Date;
}

/** The ACM-PCA part of the emulator state. */
export interface PcaState {
  /** By CA ARN. */
  readonly authorities: Map<string, PcaAuthority>;
  /**
   * `IdempotencyToken`s seen: `CreateCertificateAuthority:<token>` and
   * `IssueCertificate:<ca arn>:<token>`.
   */
  readonly idempotency: Map<string, IdempotentCall>;
}

/** An empty ACM-PCA state. */
export function createPcaState(): PcaState {
  return { authorities: new Map(), idempotency: new Map() };
}

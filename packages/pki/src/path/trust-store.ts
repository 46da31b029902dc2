import { bytesEqual } from '@mdlkit/core/cbor';
import { MdlError } from '@mdlkit/core/errors';
import { type ParsedCertificate, parseCertificate } from '../certificate/parse-certificate.js';
import { pemToDer } from '../certificate/pem.js';
import { bytesKey } from '../internal/bytes.js';

/** Where a trust anchor came from. */
export type TrustAnchorSource = 'manual' | 'vical';

/** A trusted certificate: a CA (IACA, reader root, VICAL provider root) or a pinned end-entity certificate. */
export interface TrustAnchor {
  /** The parsed certificate (DER in `certificate.der`). */
  readonly certificate: ParsedCertificate;
  /** `ca`: issues the certificates it validates; `pinned`: trusted as-is (e.g. a DS pinned by a verifier). */
  readonly kind: 'ca' | 'pinned';
  /** docTypes this anchor may vouch for (from a VICAL CertificateInfo); undefined = any. */
  readonly docTypes?: readonly string[];
  readonly source: TrustAnchorSource;
  /** Free-form label (VICAL issuingAuthority, operator note). */
  readonly label?: string;
}

/** Options for {@link TrustStore.add}. */
export interface AddTrustAnchorOptions {
  /** Restrict the anchor to these docTypes. */
  readonly docTypes?: readonly string[];
  readonly source?: TrustAnchorSource;
  readonly label?: string;
}

/** The parts of a verified VICAL a trust store needs (see `verifyVical`). */
export interface VicalAnchorSource {
  readonly certificateInfos: readonly {
    readonly certificate: Uint8Array;
    readonly docTypes: readonly string[];
    readonly issuingAuthority?: string;
  }[];
}

/**
 * A set of trust anchors: IACA certificates, reader roots, pinned end-entity certificates and
 * VICAL-derived IACAs with their docType restrictions. Certificates are parsed once; anchors are
 * indexed by subject name so issuer lookup is a map access. The store also owns the cache of
 * validated paths used by `validateCertificatePath`, so keep one store for the life of a verifier.
 *
 * @example
 * ```ts
 * const store = new TrustStore();
 * store.add(iacaDer);
 * store.addVical(verifiedVical);
 * ```
 */
export class TrustStore {
  readonly #bySubject = new Map<string, TrustAnchor[]>();
  readonly #pinned = new Map<string, TrustAnchor>();
  readonly #all: TrustAnchor[] = [];
  /** Validated-path cache (owned by validateCertificatePath). @internal */
  readonly pathCache: Map<string, unknown> = new Map();
  /**
   * Recently validated chains by a cheap hash of their DER (owned by validateCertificatePath): a
   * hit, confirmed by comparing every byte, skips parsing and key building. @internal
   */
  readonly recentPaths: Map<number, unknown> = new Map();
  /** Bump on every change so cached path results never outlive the anchors they used. @internal */
  #generation = 0;

  /** Create a store, optionally with CA anchors (DER or PEM). */
  constructor(anchors: readonly (Uint8Array | string)[] = []) {
    for (const a of anchors) this.add(a);
  }

  /** Number of anchors. */
  get size(): number {
    return this.#all.length;
  }

  /** A counter that changes whenever anchors change. */
  get generation(): number {
    return this.#generation;
  }

  /** Every anchor, in insertion order. */
  anchors(): readonly TrustAnchor[] {
    return this.#all;
  }

  /**
   * Add a CA trust anchor (IACA, reader root, VICAL provider root).
   *
   * @throws {@link MdlError} `ERR_X509_MALFORMED` when the certificate cannot be parsed.
   */
  add(certificate: Uint8Array | string, options: AddTrustAnchorOptions = {}): TrustAnchor {
    const cert = parseCertificate(typeof certificate === 'string' ? pemToDer(certificate) : certificate);
    const anchor = makeAnchor(cert, 'ca', options);
    const key = bytesKey(cert.subject.der);
    const list = this.#bySubject.get(key) ?? [];
    const existing = list.findIndex((a) => bytesEqual(a.certificate.der, cert.der));
    if (existing >= 0) {
      // The same IACA listed twice (VICALs do this): merge docType restrictions.
      const old = list[existing]!;
      const merged = mergeAnchors(old, anchor);
      list[existing] = merged;
      this.#replace(old, merged);
      this.#touch();
      return merged;
    }
    list.push(anchor);
    this.#bySubject.set(key, list);
    this.#all.push(anchor);
    this.#touch();
    return anchor;
  }

  /**
   * Pin an end-entity certificate (e.g. a DS or reader certificate): it is trusted by exact bytes,
   * without a chain.
   *
   * @throws {@link MdlError} `ERR_X509_MALFORMED` when the certificate cannot be parsed.
   */
  addPinned(certificate: Uint8Array | string, options: AddTrustAnchorOptions = {}): TrustAnchor {
    const cert = parseCertificate(typeof certificate === 'string' ? pemToDer(certificate) : certificate);
    const anchor = makeAnchor(cert, 'pinned', options);
    this.#pinned.set(cert.key, anchor);
    this.#all.push(anchor);
    this.#touch();
    return anchor;
  }

  /**
   * Add every IACA of a verified VICAL, each restricted to the docTypes its CertificateInfo lists
   * (18013-5 Annex C; §3.6 step 6 of the digest). Returns the number of anchors added or merged.
   *
   * @throws {@link MdlError} `ERR_VICAL_INVALID` when an entry's certificate cannot be parsed.
   */
  addVical(vical: VicalAnchorSource): number {
    let n = 0;
    for (const info of vical.certificateInfos) {
      try {
        this.add(info.certificate, {
          docTypes: info.docTypes,
          source: 'vical',
          ...(info.issuingAuthority === undefined ? {} : { label: info.issuingAuthority }),
        });
      } catch (cause) {
        throw new MdlError(
          'ERR_VICAL_INVALID',
          'VICAL CertificateInfo certificate is not a valid certificate',
          { cause },
        );
      }
      n++;
    }
    return n;
  }

  /** CA anchors whose subject name equals `cert`'s issuer name (and whose SKI matches its AKI, if both exist). */
  findIssuers(cert: ParsedCertificate): readonly TrustAnchor[] {
    const list = this.#bySubject.get(bytesKey(cert.issuer.der));
    if (list === undefined) return [];
    const aki = cert.authorityKeyIdentifier?.keyIdentifier;
    if (aki === undefined) return list;
    return list.filter((a) => {
      const ski = a.certificate.subjectKeyIdentifier;
      return ski === undefined || bytesEqual(ski, aki);
    });
  }

  /** The CA anchor whose certificate is exactly `cert`, if any. */
  findAnchor(cert: ParsedCertificate): TrustAnchor | undefined {
    return this.#bySubject.get(bytesKey(cert.subject.der))?.find((a) => a.certificate.key === cert.key);
  }

  /** The pinned anchor for exactly these certificate bytes, if any. */
  findPinned(cert: ParsedCertificate): TrustAnchor | undefined {
    return this.#pinned.get(cert.key);
  }

  #replace(from: TrustAnchor, to: TrustAnchor): void {
    const i = this.#all.indexOf(from);
    if (i >= 0) this.#all[i] = to;
  }

  #touch(): void {
    this.#generation++;
    this.pathCache.clear();
    this.recentPaths.clear();
  }
}

function makeAnchor(
  cert: ParsedCertificate,
  kind: 'ca' | 'pinned',
  options: AddTrustAnchorOptions,
): TrustAnchor {
  return {
    certificate: cert,
    kind,
    source: options.source ?? 'manual',
    ...(options.docTypes === undefined ? {} : { docTypes: [...options.docTypes] }),
    ...(options.label === undefined ? {} : { label: options.label }),
  };
}

function mergeAnchors(a: TrustAnchor, b: TrustAnchor): TrustAnchor {
  const docTypes =
    a.docTypes === undefined || b.docTypes === undefined
      ? undefined
      : [...new Set([...a.docTypes, ...b.docTypes])];
  return {
    certificate: a.certificate,
    kind: a.kind,
    source: a.source,
    ...(docTypes === undefined ? {} : { docTypes }),
    ...(a.label === undefined ? {} : { label: a.label }),
  };
}

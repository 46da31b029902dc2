import type { ParsedCertificate, TrustStore } from '@mdlkit/pki';
import { UsageError } from '../cli-error.js';

/** A certificate read for `--trust`, and whether it came from a folder. */
export interface TrustInput {
  readonly file: string;
  readonly der: Uint8Array;
  readonly fromDirectory: boolean;
}

/**
 * Why a certificate is not an IACA by its profile (18013-5 B.1.2 Table B.1), or undefined when it is
 * one: a self-issued CA certificate with keyCertSign, countryName and no extendedKeyUsage. A reader
 * root, an intermediate, a VICAL or OCSP signer, or a DS found in a folder is not an mDL trust anchor.
 */
export function notIacaReason(cert: ParsedCertificate): string | undefined {
  if (cert.basicConstraints?.ca !== true) return 'not a CA certificate';
  if (!bytesEqual(cert.issuer.der, cert.subject.der)) return 'not self-issued (an IACA is a root)';
  if (cert.keyUsage !== undefined && !cert.keyUsage.includes('keyCertSign')) {
    return 'its keyUsage lacks keyCertSign';
  }
  if (cert.extKeyUsage !== undefined) {
    return 'it has an extendedKeyUsage (an IACA has none; a reader root or a purpose-bound CA?)';
  }
  if (cert.subject.country === undefined) return 'its subject has no countryName (Table B.1)';
  return undefined;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Fills `store` from `--trust` inputs: only IACA-profile certificates become anchors; an end-entity
 * certificate given as a FILE (never one found in a folder) is pinned and trusted as-is (a DS
 * without its IACA). Everything else is skipped, and each skip is returned as a warning line.
 *
 * @throws {@link UsageError} when a file is not a certificate, or nothing usable was given and
 * `required` is set.
 */
export function loadReaderTrust(
  inputs: readonly TrustInput[],
  store: TrustStore,
  parse: (der: Uint8Array) => ParsedCertificate,
  required: boolean,
): string[] {
  const skipped: string[] = [];
  let used = 0;
  for (const { der, file, fromDirectory } of inputs) {
    let cert: ParsedCertificate;
    try {
      cert = parse(der);
    } catch {
      throw new UsageError(`${file}: not a DER X.509 certificate`);
    }
    const reason = notIacaReason(cert);
    const name = cert.subject.commonName ?? 'certificate';
    if (reason === undefined) {
      store.add(der);
      used++;
    } else if (!fromDirectory && cert.basicConstraints?.ca !== true) {
      store.addPinned(der);
      used++;
    } else {
      skipped.push(
        `--trust ${file}: skipped "${name}": ${reason}` +
          (fromDirectory && cert.basicConstraints?.ca !== true
            ? ' (a DS certificate can be pinned with --trust FILE)'
            : ''),
      );
    }
  }
  if (required && used === 0) {
    throw new UsageError(
      `no --trust certificate is an IACA or a pinned end-entity certificate${
        skipped.length === 0 ? '' : `:\n  ${skipped.join('\n  ')}`
      }`,
    );
  }
  return skipped;
}

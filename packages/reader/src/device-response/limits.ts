/**
 * Resource limits `verifyDeviceResponse` enforces before and while it parses. Each exceeded limit
 * fails with its own code (`ERR_LIMIT_*`); the CBOR decoder's own limits (depth, item count, string
 * length) apply underneath with their `ERR_CBOR_*` codes.
 */
export interface ReaderLimits {
  /** Largest accepted DeviceResponse in bytes (`ERR_LIMIT_INPUT_SIZE`). */
  readonly maxInputSize: number;
  /** Most documents in one response (`ERR_LIMIT_DOCUMENTS`). */
  readonly maxDocuments: number;
  /** Most namespaces per document, issuer- and device-signed counted separately (`ERR_LIMIT_NAMESPACES`). */
  readonly maxNameSpaces: number;
  /** Most data elements per document, issuer- and device-signed together (`ERR_LIMIT_ELEMENTS`). */
  readonly maxElements: number;
  /** Most certificates in one x5chain (`ERR_LIMIT_X5CHAIN_LENGTH`). */
  readonly maxX5chainLength: number;
  /** Largest certificate in an x5chain, in bytes (`ERR_LIMIT_CERTIFICATE_SIZE`). */
  readonly maxCertificateSize: number;
  /** Deepest CBOR nesting, counted through tag-24 items into their content (`ERR_CBOR_DEPTH_EXCEEDED`). */
  readonly maxDepth: number;
  /**
   * Most CBOR data items in the whole response, counted across the response and every tag-24 item,
   * COSE header and MSO payload decoded from it (`ERR_CBOR_ITEM_COUNT_EXCEEDED`).
   */
  readonly maxItems: number;
  /** Longest CBOR byte/text string (`ERR_CBOR_STRING_TOO_LONG`). */
  readonly maxStringLength: number;
  /**
   * Most bytes decoded in total while verifying one response — the response itself plus every
   * tag-24 item, COSE header and MSO payload decoded from it, which re-read bytes of their container
   * (`ERR_CBOR_INPUT_TOO_LARGE` with `details.budget: 'bytes'`).
   */
  readonly maxDecodedBytes: number;
}

/**
 * Safe defaults: a response with a few documents, each with a large portrait and a few hundred
 * elements, fits comfortably; anything near these sizes from a wallet is an attack or a bug.
 *
 * @example
 * ```ts
 * verifyDeviceResponse(bytes, { ...options, limits: { maxInputSize: 256 * 1024 } });
 * ```
 */
export const DEFAULT_READER_LIMITS: ReaderLimits = Object.freeze({
  maxInputSize: 4 * 1024 * 1024,
  maxDocuments: 16,
  maxNameSpaces: 64,
  maxElements: 1024,
  maxX5chainLength: 4,
  maxCertificateSize: 16 * 1024,
  maxDepth: 32,
  maxItems: 100_000,
  maxStringLength: 2 * 1024 * 1024,
  maxDecodedBytes: 12 * 1024 * 1024,
});

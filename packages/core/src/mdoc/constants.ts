/**
 * The mDL document type (ISO/IEC 18013-5 §7.1).
 * @example
 * ```ts
 * doc.docType === MDL_DOCTYPE;
 * ```
 */
export const MDL_DOCTYPE = 'org.iso.18013.5.1.mDL' as const;

/**
 * The mDL data element namespace (ISO/IEC 18013-5 §7.2.1).
 * @example
 * ```ts
 * issuerSigned.nameSpaces?.get(MDL_NAMESPACE);
 * ```
 */
export const MDL_NAMESPACE = 'org.iso.18013.5.1' as const;

/**
 * `DeviceResponse.status` codes (ISO/IEC 18013-5 §8.3.2.1.2.3, Table 8). Any non-zero status means
 * no documents were returned.
 * @example
 * ```ts
 * if (response.status !== DeviceResponseStatus.OK) …
 * ```
 */
export const DeviceResponseStatus = {
  OK: 0,
  GENERAL_ERROR: 10,
  CBOR_DECODING_ERROR: 11,
  CBOR_VALIDATION_ERROR: 12,
} as const;

/**
 * Digest algorithms an MSO may name (ISO/IEC 18013-5 §9.1.2.5).
 * @example
 * ```ts
 * mso.digestAlgorithm === MsoDigestAlgorithm.SHA256;
 * ```
 */
export const MsoDigestAlgorithm = {
  SHA256: 'SHA-256',
  SHA384: 'SHA-384',
  SHA512: 'SHA-512',
} as const;

/**
 * Device retrieval method types in a DeviceEngagement (§8.2.1.1).
 * @example
 * ```ts
 * method.type === DeviceRetrievalType.BLE;
 * ```
 */
export const DeviceRetrievalType = { NFC: 1, BLE: 2, WIFI_AWARE: 3 } as const;

/**
 * The only cipher suite ISO/IEC 18013-5 defines for session encryption (§9.1.5.2).
 * @example
 * ```ts
 * engagement.security.cipherSuite === CIPHER_SUITE_1;
 * ```
 */
export const CIPHER_SUITE_1 = 1 as const;

/**
 * Stable identifiers of the checks `verifyDeviceResponse` runs for every document, in the order
 * ISO/IEC 18013-5 §9.3.1 (issuer data authentication), §9.3.2 (mdoc authentication) and §9.3.3
 * (certificate validation) list them. Ids never change meaning once released; a failed check
 * additionally carries the {@link ErrorCode} that says why.
 *
 * @example
 * ```ts
 * const sig = doc.checks.find((c) => c.id === CheckId.ISSUER_AUTH_SIGNATURE);
 * ```
 */
export const CheckId = {
  /** The DS certificate from the IssuerAuth x5chain chains to a trust anchor (§9.3.3, Annex B). */
  DS_CERTIFICATE_PATH: 'ds-certificate-path',
  /** The DS certificate (and its anchor) are within their validity period at `now`. */
  DS_CERTIFICATE_VALIDITY: 'ds-certificate-validity',
  /** The IssuerAuth COSE_Sign1 verifies with the DS key, alg protected and allowed (§9.3.1 step 2). */
  ISSUER_AUTH_SIGNATURE: 'issuer-auth-signature',
  /** Every received IssuerSignedItemBytes hashes to its `valueDigests` entry (§9.3.1 step 3). */
  VALUE_DIGESTS: 'value-digests',
  /** MSO `docType` equals `Document.docType` (§9.3.1 step 4). */
  DOC_TYPE: 'doc-type',
  /** `validFrom ≤ now ≤ validUntil` with the configured clock skew (§9.3.1 step 5). */
  MSO_VALIDITY: 'mso-validity',
  /** MSO `signed` lies within the DS certificate validity (§9.3.1 step 5). */
  MSO_SIGNED_WITHIN_DS_VALIDITY: 'mso-signed-within-ds-validity',
  /** `issuing_country` equals the DS certificate subject countryName (§7.2.1 / Table 5). */
  ISSUING_COUNTRY: 'issuing-country',
  /** `issuing_jurisdiction` equals the DS certificate subject stateOrProvinceName when present. */
  ISSUING_JURISDICTION: 'issuing-jurisdiction',
  /** DeviceSignature or DeviceMac over DeviceAuthenticationBytes (§9.1.3, §9.3.2). */
  DEVICE_AUTH: 'device-auth',
  /** Every device-signed element is covered by the MSO keyAuthorizations (§9.1.3.2). */
  KEY_AUTHORIZATIONS: 'key-authorizations',
  /** No (namespace, element) is returned twice across IssuerSigned and DeviceSigned (§8.3.2.1.2.2). */
  UNIQUE_ELEMENTS: 'unique-elements',
  /** The DS certificate is not revoked by the IACA CRL (Annex B.3.2). */
  DS_REVOCATION: 'ds-revocation',
  /** The MSO is not revoked by its status list / identifier list (ed2 §12.3.6). */
  MSO_REVOCATION: 'mso-revocation',
  /**
   * Every disclosed value of a namespace with a known schema (mDL, EU PID, EU age verification, ISO/IEC
   * 23220 Photo ID) has its schema's CBOR type. Fails under `strict`; under `interop` a wrong type is an
   * `ERR_DATA_ELEMENT_TYPE` warning on the element and the document.
   */
  ELEMENT_TYPES: 'element-types',
} as const;
/** One of the {@link CheckId} values. */
export type CheckId = (typeof CheckId)[keyof typeof CheckId];

/** Severity of a lint finding: `error` violates a "shall", `warning` a "should", `info` is advice. */
export type LintSeverity = 'error' | 'warning' | 'info';

/**
 * A lint rule id (stable). Every rule the certificate linter can report, with the clause it enforces and its default
 * severity. Rule ids are stable: tests and callers branch on them.
 */
export type LintRuleId =
  | 'profile.undetermined'
  | 'version'
  | 'serial.negative'
  | 'serial.zero'
  | 'serial.too-long'
  | 'serial.entropy'
  | 'serial.entropy-recommended'
  | 'serial.encoding'
  | 'signature.algorithm'
  | 'signature.parameters'
  | 'signature.mismatch'
  | 'unique-ids.present'
  | 'issuer.name-mismatch'
  | 'issuer.not-self-signed'
  | 'name.country.missing'
  | 'name.country.format'
  | 'name.country.string-type'
  | 'name.country.mismatch'
  | 'name.state.mismatch'
  | 'name.state.missing'
  | 'name.state.required'
  | 'name.state.format'
  | 'name.common-name.missing'
  | 'name.organization.missing'
  | 'name.string-type'
  | 'validity.order'
  | 'validity.too-long'
  | 'validity.encoding'
  | 'validity.exceeds-issuer'
  | 'spki.algorithm'
  | 'spki.curve'
  | 'spki.point-format'
  | 'spki.parameters'
  | 'ext.duplicate'
  | 'ext.malformed'
  | 'ext.forbidden'
  | 'ext.unknown-critical'
  | 'ski.missing'
  | 'ski.criticality'
  | 'ski.method'
  | 'aki.missing'
  | 'aki.criticality'
  | 'aki.key-id-missing'
  | 'aki.mismatch'
  | 'ku.missing'
  | 'ku.criticality'
  | 'ku.mismatch'
  | 'bc.missing'
  | 'bc.criticality'
  | 'bc.not-ca'
  | 'bc.path-len'
  | 'bc.ca-in-end-entity'
  | 'eku.missing'
  | 'eku.criticality'
  | 'eku.oid-missing'
  | 'eku.generic-recommended'
  | 'eku.unexpected'
  | 'ian.missing'
  | 'ian.criticality'
  | 'ian.form'
  | 'san.missing'
  | 'san.criticality'
  | 'crldp.missing'
  | 'crldp.criticality'
  | 'crldp.form'
  | 'crldp.reasons'
  | 'crldp.not-recommended'
  | 'aia.criticality'
  | 'ocsp-nocheck.criticality'
  | 'ocsp.revocation-info'
  | 'ocsp.nocheck-validity';

/** Rule catalogue: clause and default severity per rule id. */
export const LintRules: Readonly<
  Record<LintRuleId, { readonly clause: string; readonly severity: LintSeverity }>
> = {
  'profile.undetermined': { clause: '18013-5 Annex B', severity: 'warning' },
  version: { clause: 'RFC 5280 4.1.2.1; 18013-5 B.1.1', severity: 'error' },
  'serial.negative': { clause: 'RFC 5280 4.1.2.2; 18013-5 B.1.1', severity: 'error' },
  'serial.zero': { clause: 'RFC 5280 4.1.2.2; 18013-5 B.1.1', severity: 'error' },
  'serial.too-long': { clause: 'RFC 5280 4.1.2.2; 18013-5 B.1.1 (≤ 20 octets)', severity: 'error' },
  'serial.entropy': { clause: '18013-5 B.1.1 (≥ 63 bits of CSPRNG output)', severity: 'error' },
  'serial.entropy-recommended': { clause: '18013-5 B.1.1 (should be ≥ 71 bits)', severity: 'warning' },
  'serial.encoding': { clause: 'X.690 8.3.2 (minimal INTEGER encoding)', severity: 'error' },
  'signature.algorithm': { clause: '18013-5 B.1.1 (ecdsa-with-SHA256/384/512)', severity: 'error' },
  'signature.parameters': { clause: 'RFC 5758 3.2 (ECDSA parameters absent)', severity: 'error' },
  'signature.mismatch': { clause: 'RFC 5280 4.1.1.2', severity: 'error' },
  'unique-ids.present': { clause: 'RFC 5280 4.1.2.8', severity: 'warning' },
  'issuer.name-mismatch': {
    clause: '18013-5 Table B.3 issuer (exact bytes of the IACA subject)',
    severity: 'error',
  },
  'issuer.not-self-signed': { clause: '18013-5 Table B.1 subject (identical to issuer)', severity: 'error' },
  'name.country.missing': { clause: '18013-5 B.1.2 / B.1.4 countryName', severity: 'error' },
  'name.country.format': { clause: '18013-5 B.1.2 (upper-case ISO 3166-1 alpha-2)', severity: 'error' },
  'name.country.string-type': { clause: '18013-5 B.1.2 (PrintableString)', severity: 'error' },
  'name.country.mismatch': {
    clause: '18013-5 B.1.1 / 9.3.3 (countryName equal to the IACA)',
    severity: 'error',
  },
  'name.state.mismatch': {
    clause: '18013-5 B.1.1 / 9.3.3 (stateOrProvinceName equal to the IACA)',
    severity: 'error',
  },
  'name.state.missing': {
    clause: '18013-5 B.1.1 (present in the IACA ⇒ present in every EE)',
    severity: 'error',
  },
  'name.state.required': {
    clause: 'AAMVA mDL implementation guidelines (stateOrProvinceName)',
    severity: 'error',
  },
  'name.state.format': { clause: 'AAMVA (ISO 3166-2 subdivision code, e.g. US-NY)', severity: 'info' },
  'name.common-name.missing': { clause: '18013-5 Annex B subject (commonName mandatory)', severity: 'error' },
  'name.organization.missing': {
    clause: '18013-5 Table C.1 subject (organizationName mandatory)',
    severity: 'error',
  },
  'name.string-type': { clause: '18013-5 B.1.2 (PrintableString or UTF8String)', severity: 'warning' },
  'validity.order': { clause: 'RFC 5280 4.1.2.5', severity: 'error' },
  'validity.too-long': { clause: '18013-5 Annex B validity limits', severity: 'error' },
  'validity.encoding': { clause: 'RFC 5280 4.1.2.5 (UTCTime through 2049)', severity: 'warning' },
  'validity.exceeds-issuer': {
    clause: '18013-5 Table B.2 (link notAfter ≤ old IACA notAfter)',
    severity: 'error',
  },
  'spki.algorithm': { clause: '18013-5 Annex B subjectPublicKeyInfo', severity: 'error' },
  'spki.curve': { clause: '18013-5 B.1.1 (NIST P or brainpool named curves)', severity: 'error' },
  'spki.point-format': { clause: '18013-5 B.1.1 (uncompressed points)', severity: 'error' },
  'spki.parameters': { clause: 'RFC 8410 3 (EdDSA parameters absent)', severity: 'error' },
  'ext.duplicate': { clause: 'RFC 5280 4.2', severity: 'error' },
  'ext.malformed': { clause: 'RFC 5280 4.2', severity: 'error' },
  'ext.forbidden': { clause: '18013-5 B.1.1 (forbidden extensions)', severity: 'error' },
  'ext.unknown-critical': {
    clause: '18013-5 Annex B ("further extensions … non-critical"); RFC 5280 4.2',
    severity: 'error',
  },
  'ski.missing': { clause: 'Annex B subjectKeyIdentifier', severity: 'error' },
  'ski.criticality': { clause: 'Annex B subjectKeyIdentifier (non-critical)', severity: 'error' },
  'ski.method': { clause: '18013-5 B.1.1 (RFC 5280 4.2.1.2 method 1, SHA-1)', severity: 'warning' },
  'aki.missing': { clause: 'Annex B authorityKeyIdentifier', severity: 'error' },
  'aki.criticality': { clause: 'Annex B authorityKeyIdentifier (non-critical)', severity: 'error' },
  'aki.key-id-missing': { clause: 'Annex B authorityKeyIdentifier (keyIdentifier)', severity: 'error' },
  'aki.mismatch': { clause: 'Annex B authorityKeyIdentifier (= issuer SKI)', severity: 'error' },
  'ku.missing': { clause: 'Annex B keyUsage', severity: 'error' },
  'ku.criticality': { clause: 'Annex B keyUsage (critical)', severity: 'error' },
  'ku.mismatch': { clause: 'Annex B keyUsage (exact set)', severity: 'error' },
  'bc.missing': { clause: 'Table B.1 basicConstraints', severity: 'error' },
  'bc.criticality': { clause: 'Table B.1 basicConstraints (critical)', severity: 'error' },
  'bc.not-ca': { clause: 'Table B.1 basicConstraints (cA TRUE)', severity: 'error' },
  'bc.path-len': { clause: 'Table B.1 basicConstraints (pathLenConstraint 0)', severity: 'error' },
  'bc.ca-in-end-entity': {
    clause: '18013-5 Table B.3 (an end-entity certificate is not a CA)',
    severity: 'error',
  },
  'eku.missing': { clause: 'Annex B extendedKeyUsage', severity: 'error' },
  'eku.criticality': { clause: 'Annex B extendedKeyUsage (critical)', severity: 'error' },
  'eku.oid-missing': { clause: 'Annex B extendedKeyUsage OID (1.0.18013.5.1.x)', severity: 'error' },
  'eku.generic-recommended': {
    clause: '18013-5 ed2 (ISO/IEC 23220-4 generic EKU recommended)',
    severity: 'info',
  },
  'eku.unexpected': { clause: 'Annex B (IACA / link certificates carry no EKU)', severity: 'error' },
  'ian.missing': { clause: 'Annex B issuerAltName', severity: 'error' },
  'ian.criticality': { clause: 'Annex B issuerAltName (non-critical)', severity: 'error' },
  'ian.form': { clause: 'Annex B issuerAltName (rfc822Name or URI)', severity: 'error' },
  'san.missing': { clause: 'Table B.2 subjectAltName', severity: 'warning' },
  'san.criticality': { clause: 'Annex B subjectAltName (non-critical)', severity: 'error' },
  'crldp.missing': { clause: 'Annex B cRLDistributionPoints', severity: 'error' },
  'crldp.criticality': { clause: 'Annex B cRLDistributionPoints (non-critical)', severity: 'error' },
  'crldp.form': { clause: 'Annex B cRLDistributionPoints (URI distributionPoint)', severity: 'error' },
  'crldp.reasons': {
    clause: 'Annex B cRLDistributionPoints (reasons / cRLIssuer not used)',
    severity: 'error',
  },
  'crldp.not-recommended': {
    clause: '18013-5 ed2 Table B.1 (IACA CRL DP optional, not recommended)',
    severity: 'info',
  },
  'aia.criticality': { clause: 'Annex B authorityInfoAccess (non-critical)', severity: 'error' },
  'ocsp-nocheck.criticality': { clause: 'Table B.8 id-pkix-ocsp-nocheck (non-critical)', severity: 'error' },
  'ocsp.revocation-info': {
    clause: 'Table B.8 (cRLDistributionPoints or id-pkix-ocsp-nocheck)',
    severity: 'error',
  },
  'ocsp.nocheck-validity': { clause: 'Table B.8 (≤ 90 days with id-pkix-ocsp-nocheck)', severity: 'error' },
};

/** One violated requirement. */
export interface LintFinding {
  /** Stable rule id, e.g. `serial.negative`. */
  readonly rule: LintRuleId;
  readonly severity: LintSeverity;
  /** Clause of ISO/IEC 18013-5 (or RFC) the rule enforces. */
  readonly clause: string;
  /** Human-readable explanation; never contains secrets or data-element values. */
  readonly message: string;
}

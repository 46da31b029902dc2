import { createHash } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AccessDescription,
  AuthorityInfoAccessSyntax,
  CertificatePolicies,
  CRLDistributionPoints,
  DistributionPoint,
  DistributionPointName,
  GeneralName,
  id_ad_ocsp,
  id_ce_certificatePolicies,
  id_ce_cRLDistributionPoints,
  id_ce_subjectAltName,
  id_pe_authorityInfoAccess,
  PolicyInformation,
  PolicyQualifierInfo,
  Qualifier,
  SubjectAlternativeName,
  SubjectPublicKeyInfo,
} from '@peculiar/asn1-x509';
import { AwsError } from '../errors.js';
import type { Input } from '../internal/input.js';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  ExtendedKeyUsageExtension,
  Extension,
  KeyUsagesExtension,
  SubjectKeyIdentifierExtension,
} from '../internal/x509.js';
import { checkOid, toGeneralName } from './names.js';

/** `KeyUsage` API members → RFC 5280 §4.2.1.3 bits (peculiar's `KeyUsageFlags` values). */
const KEY_USAGE_BITS: Readonly<Record<string, number>> = {
  DigitalSignature: 1,
  NonRepudiation: 2,
  KeyEncipherment: 4,
  DataEncipherment: 8,
  KeyAgreement: 16,
  KeyCertSign: 32,
  CRLSign: 64,
  EncipherOnly: 128,
  DecipherOnly: 256,
};

/** `ExtendedKeyUsageType` → OID. */
const EKU_OIDS: Readonly<Record<string, string>> = {
  SERVER_AUTH: '1.3.6.1.5.5.7.3.1',
  CLIENT_AUTH: '1.3.6.1.5.5.7.3.2',
  CODE_SIGNING: '1.3.6.1.5.5.7.3.3',
  EMAIL_PROTECTION: '1.3.6.1.5.5.7.3.4',
  TIME_STAMPING: '1.3.6.1.5.5.7.3.8',
  OCSP_SIGNING: '1.3.6.1.5.5.7.3.9',
  SMART_CARD_LOGIN: '1.3.6.1.4.1.311.20.2.2',
  DOCUMENT_SIGNING: '1.3.6.1.4.1.311.10.3.12',
  CERTIFICATE_TRANSPARENCY: '1.3.6.1.4.1.11129.2.4.4',
};

/** Well-known EKU OIDs. */
export const EKU: Readonly<{ serverAuth: string; clientAuth: string; codeSigning: string }> = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
};

/** Key usage flag values. */
export const KU: Readonly<{
  digitalSignature: number;
  keyEncipherment: number;
  keyCertSign: number;
  cRLSign: number;
}> = { digitalSignature: 1, keyEncipherment: 4, keyCertSign: 32, cRLSign: 64 };

/** A critical KeyUsage extension with the given flags. */
export function keyUsage(flags: number): Extension {
  return new KeyUsagesExtension(flags, true);
}

/** An ExtendedKeyUsage extension. */
export function extendedKeyUsage(oids: readonly string[], critical = false): Extension {
  return new ExtendedKeyUsageExtension([...oids], critical);
}

/** BasicConstraints. */
export function basicConstraints(ca: boolean, pathLength: number | undefined, critical: boolean): Extension {
  return new BasicConstraintsExtension(ca, pathLength, critical);
}

/** RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING contents. */
export function keyIdentifier(spki: Uint8Array): Uint8Array {
  const parsed = AsnConvert.parse(new Uint8Array(spki), SubjectPublicKeyInfo);
  return new Uint8Array(createHash('sha1').update(new Uint8Array(parsed.subjectPublicKey)).digest());
}

/** SubjectKeyIdentifier (non-critical). */
export function subjectKeyIdentifier(keyId: Uint8Array): Extension {
  return new SubjectKeyIdentifierExtension(Buffer.from(keyId).toString('hex'), false);
}

/** AuthorityKeyIdentifier with keyIdentifier only (non-critical). */
export function authorityKeyIdentifier(keyId: Uint8Array): Extension {
  return new AuthorityKeyIdentifierExtension(Buffer.from(keyId).toString('hex'), false);
}

/** CRLDistributionPoints with one full-name URI (non-critical). */
export function crlDistributionPoint(uri: string): Extension {
  const value = new CRLDistributionPoints([
    new DistributionPoint({
      distributionPoint: new DistributionPointName({
        fullName: [new GeneralName({ uniformResourceIdentifier: uri })],
      }),
    }),
  ]);
  return new Extension(id_ce_cRLDistributionPoints, false, AsnConvert.serialize(value));
}

/** AuthorityInfoAccess with an OCSP responder URI (non-critical). */
export function ocspAccess(uri: string): Extension {
  const value = new AuthorityInfoAccessSyntax([
    new AccessDescription({
      accessMethod: id_ad_ocsp,
      accessLocation: new GeneralName({ uniformResourceIdentifier: uri }),
    }),
  ]);
  return new Extension(id_pe_authorityInfoAccess, false, AsnConvert.serialize(value));
}

/** SubjectAlternativeName from API `GeneralName`s. */
export function subjectAltName(names: readonly Input[], critical: boolean): Extension {
  const value = new SubjectAlternativeName(
    names.map((name, index) => toGeneralName(name, `SubjectAlternativeNames[${index}]`)),
  );
  return new Extension(id_ce_subjectAltName, critical, AsnConvert.serialize(value));
}

function asList(value: unknown, member: string): Input[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new AwsError('InvalidArgsException', `${member} must be a list`);
  return value as Input[];
}

/**
 * `ApiPassthrough.Extensions` → extensions, in a fixed order: KeyUsage (critical, as AWS marks it),
 * ExtendedKeyUsage, SubjectAlternativeName, CertificatePolicies, then `CustomExtensions` (base64 DER
 * value, `Critical` flag). The same OID twice → `InvalidArgsException`.
 */
export function passthroughExtensions(extensions: Input | undefined, subjectIsEmpty: boolean): Extension[] {
  if (extensions === undefined) return [];
  const out: Extension[] = [];
  const usage = extensions.KeyUsage as Input | undefined;
  if (usage !== undefined && usage !== null) {
    let flags = 0;
    for (const [member, bit] of Object.entries(KEY_USAGE_BITS)) if (usage[member] === true) flags |= bit;
    if (flags === 0)
      throw new AwsError('InvalidArgsException', 'Extensions.KeyUsage must set at least one usage');
    out.push(keyUsage(flags));
  }
  const ekus = asList(extensions.ExtendedKeyUsage, 'Extensions.ExtendedKeyUsage');
  if (ekus.length > 0) {
    const oids = ekus.map((entry, index) => {
      const type = entry.ExtendedKeyUsageType;
      const oid = entry.ExtendedKeyUsageObjectIdentifier;
      if ((type === undefined) === (oid === undefined)) {
        throw new AwsError(
          'InvalidArgsException',
          `Extensions.ExtendedKeyUsage[${index}] must have exactly one of ExtendedKeyUsageType and ExtendedKeyUsageObjectIdentifier`,
        );
      }
      if (typeof oid === 'string') return checkOid(oid, `Extensions.ExtendedKeyUsage[${index}]`);
      const known = EKU_OIDS[String(type)];
      if (known === undefined) {
        throw new AwsError(
          'InvalidArgsException',
          `Extensions.ExtendedKeyUsage[${index}] has an unknown type`,
        );
      }
      return known;
    });
    out.push(extendedKeyUsage(oids));
  }
  const sans = asList(extensions.SubjectAlternativeNames, 'Extensions.SubjectAlternativeNames');
  if (sans.length > 0) out.push(subjectAltName(sans, subjectIsEmpty));
  const policies = asList(extensions.CertificatePolicies, 'Extensions.CertificatePolicies');
  if (policies.length > 0) {
    const value = new CertificatePolicies(
      policies.map((policy, index) => {
        const qualifiers = asList(
          policy.PolicyQualifiers,
          `Extensions.CertificatePolicies[${index}].PolicyQualifiers`,
        );
        return new PolicyInformation({
          policyIdentifier: checkOid(
            String(policy.CertPolicyId ?? ''),
            `Extensions.CertificatePolicies[${index}]`,
          ),
          ...(qualifiers.length === 0
            ? {}
            : {
                policyQualifiers: qualifiers.map((q) => {
                  const cps = (q.Qualifier as Input | undefined)?.CpsUri;
                  if (q.PolicyQualifierId !== 'CPS' || typeof cps !== 'string') {
                    throw new AwsError(
                      'InvalidArgsException',
                      'Only CPS policy qualifiers with a CpsUri are supported',
                    );
                  }
                  return new PolicyQualifierInfo({
                    policyQualifierId: '1.3.6.1.5.5.7.2.1',
                    qualifier: AsnConvert.serialize(new Qualifier({ cPSuri: cps })),
                  });
                }),
              }),
        });
      }),
    );
    out.push(new Extension(id_ce_certificatePolicies, false, AsnConvert.serialize(value)));
  }
  for (const [index, custom] of asList(
    extensions.CustomExtensions,
    'Extensions.CustomExtensions',
  ).entries()) {
    const oid = checkOid(
      String(custom.ObjectIdentifier ?? ''),
      `Extensions.CustomExtensions[${index}].ObjectIdentifier`,
    );
    const value = custom.Value;
    if (typeof value !== 'string' || value.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) {
      throw new AwsError(
        'InvalidArgsException',
        `Extensions.CustomExtensions[${index}].Value must be base64`,
      );
    }
    out.push(new Extension(oid, custom.Critical === true, Buffer.from(value, 'base64')));
  }
  const seen = new Set<string>();
  for (const extension of out) {
    if (seen.has(extension.type)) {
      throw new AwsError('InvalidArgsException', `Extension ${extension.type} is specified more than once`);
    }
    seen.add(extension.type);
  }
  return out;
}

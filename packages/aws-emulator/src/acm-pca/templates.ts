import { AwsError } from '../errors.js';
import { EKU, KU } from './extensions.js';

/**
 * One AWS Private CA certificate template (Private CA User Guide, "Template definitions").
 * Template extensions take priority over ApiPassthrough values with the same OID.
 */
export interface CertificateTemplate {
  readonly name: string;
  readonly kind: 'root' | 'subordinate' | 'end-entity';
  /** Accepts `ApiPassthrough`. */
  readonly apiPassthrough: boolean;
  /** BasicConstraints pathLenConstraint (CA templates). */
  readonly pathLength?: number;
  readonly basicConstraintsCritical: boolean;
  /** Template KeyUsage flags (always critical); blank templates have none. */
  readonly keyUsage?: number;
  readonly extendedKeyUsage?: readonly string[];
  readonly extendedKeyUsageCritical?: boolean;
}

const TEMPLATES = new Map<string, CertificateTemplate>();

function add(template: CertificateTemplate, withPassthroughVariant: boolean): void {
  TEMPLATES.set(template.name, template);
  if (withPassthroughVariant) {
    const name = template.name.replace(/\/V1$/, '_APIPassthrough/V1');
    TEMPLATES.set(name, { ...template, name, apiPassthrough: true });
  }
}

const caUsage = KU.digitalSignature | KU.keyCertSign | KU.cRLSign;

// End-entity templates.
add(
  {
    name: 'EndEntityCertificate/V1',
    kind: 'end-entity',
    apiPassthrough: false,
    basicConstraintsCritical: false,
    keyUsage: KU.digitalSignature | KU.keyEncipherment,
    extendedKeyUsage: [EKU.serverAuth, EKU.clientAuth],
  },
  true,
);
add(
  {
    name: 'EndEntityClientAuthCertificate/V1',
    kind: 'end-entity',
    apiPassthrough: false,
    basicConstraintsCritical: false,
    keyUsage: KU.digitalSignature,
    extendedKeyUsage: [EKU.clientAuth],
  },
  true,
);
add(
  {
    name: 'EndEntityServerAuthCertificate/V1',
    kind: 'end-entity',
    apiPassthrough: false,
    basicConstraintsCritical: false,
    keyUsage: KU.digitalSignature | KU.keyEncipherment,
    extendedKeyUsage: [EKU.serverAuth],
  },
  true,
);
add(
  {
    name: 'CodeSigningCertificate/V1',
    kind: 'end-entity',
    apiPassthrough: false,
    basicConstraintsCritical: false,
    keyUsage: KU.digitalSignature,
    extendedKeyUsage: [EKU.codeSigning],
    extendedKeyUsageCritical: true,
  },
  true,
);
add(
  {
    name: 'BlankEndEntityCertificate_APIPassthrough/V1',
    kind: 'end-entity',
    apiPassthrough: true,
    basicConstraintsCritical: false,
  },
  false,
);
add(
  {
    name: 'BlankEndEntityCertificate_CriticalBasicConstraints_APIPassthrough/V1',
    kind: 'end-entity',
    apiPassthrough: true,
    basicConstraintsCritical: true,
  },
  false,
);

// Root CA templates.
add(
  {
    name: 'RootCACertificate/V1',
    kind: 'root',
    apiPassthrough: false,
    basicConstraintsCritical: true,
    keyUsage: caUsage,
  },
  true,
);
add(
  {
    name: 'BlankRootCACertificate_APIPassthrough/V1',
    kind: 'root',
    apiPassthrough: true,
    basicConstraintsCritical: true,
  },
  false,
);

// Path-length variants of root and subordinate CA templates.
for (const pathLength of [0, 1, 2, 3]) {
  add(
    {
      name: `BlankRootCACertificate_PathLen${pathLength}_APIPassthrough/V1`,
      kind: 'root',
      apiPassthrough: true,
      basicConstraintsCritical: true,
      pathLength,
    },
    false,
  );
  add(
    {
      name: `SubordinateCACertificate_PathLen${pathLength}/V1`,
      kind: 'subordinate',
      apiPassthrough: false,
      basicConstraintsCritical: true,
      pathLength,
      keyUsage: caUsage,
    },
    true,
  );
  add(
    {
      name: `BlankSubordinateCACertificate_PathLen${pathLength}_APIPassthrough/V1`,
      kind: 'subordinate',
      apiPassthrough: true,
      basicConstraintsCritical: true,
      pathLength,
    },
    false,
  );
}

const TEMPLATE_ARN = /^arn:aws(-[a-z]+)*:acm-pca:::template\/(.+)$/;

/**
 * Resolves a template ARN (`arn:aws:acm-pca:::template/<Name>/V1`); absent → `EndEntityCertificate/V1`.
 * @throws {AwsError} `InvalidArnException` for a malformed ARN, `InvalidArgsException` for an unknown template.
 */
export function resolveTemplate(templateArn: string | undefined): CertificateTemplate {
  if (templateArn === undefined) return TEMPLATES.get('EndEntityCertificate/V1')!;
  const match = TEMPLATE_ARN.exec(templateArn);
  if (match === null)
    throw new AwsError('InvalidArnException', `The template ARN ${templateArn} is not valid.`);
  const template = TEMPLATES.get(match[2]!);
  if (template === undefined) {
    throw new AwsError('InvalidArgsException', `The template ${templateArn} is not supported.`);
  }
  return template;
}

/** Names of every template the emulator implements. */
export function templateNames(): string[] {
  return [...TEMPLATES.keys()];
}

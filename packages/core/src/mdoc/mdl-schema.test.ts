import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FullDate, TDate } from '../cbor/index.js';
import { isMdlError } from '../errors/index.js';
import { MDL_ELEMENTS, mdlElementSpec, validateMdlElements } from './index.js';

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]);

function completeMdl(): Map<string, unknown> {
  return new Map<string, unknown>([
    ['family_name', 'Doe'],
    ['given_name', 'Jöhn'],
    ['birth_date', new FullDate('1990-02-28')],
    ['issue_date', new TDate('2024-01-02T00:00:00Z')],
    ['expiry_date', new FullDate('2029-01-02')],
    ['issuing_country', 'US'],
    ['issuing_authority', 'Utopia DMV'],
    ['document_number', '123456789'],
    ['portrait', JPEG],
    [
      'driving_privileges',
      [
        new Map<string, unknown>([
          ['vehicle_category_code', 'B'],
          ['issue_date', new FullDate('2010-01-01')],
          [
            'codes',
            [
              new Map([
                ['code', '01'],
                ['sign', '='],
                ['value', 'x'],
              ]),
            ],
          ],
        ]),
      ],
    ],
    ['un_distinguishing_sign', 'USA'],
    ['sex', 9],
    ['eye_colour', 'hazel'],
    ['hair_colour', 'auburn'],
    ['issuing_jurisdiction', 'US-CA'],
    ['age_over_18', true],
    ['age_over_21', true],
    ['age_over_65', false],
    ['biometric_template_face', new Uint8Array([0x7f, 0x61, 0x01])],
  ]);
}

describe('org.iso.18013.5.1 schema', () => {
  it('lists the 11 mandatory elements', () => {
    expect(MDL_ELEMENTS.filter((s) => s.mandatory).map((s) => s.identifier)).toEqual([
      'family_name',
      'given_name',
      'birth_date',
      'issue_date',
      'expiry_date',
      'issuing_country',
      'issuing_authority',
      'document_number',
      'portrait',
      'driving_privileges',
      'un_distinguishing_sign',
    ]);
  });

  it('resolves age_over_NN and biometric_template_xx patterns', () => {
    expect(mdlElementSpec('age_over_00')?.type).toBe('bool');
    expect(mdlElementSpec('age_over_99')?.type).toBe('bool');
    expect(mdlElementSpec('age_over_100')).toBeUndefined();
    expect(mdlElementSpec('age_over_7')).toBeUndefined();
    expect(mdlElementSpec('biometric_template_signature_sign')?.type).toBe('bstr');
    expect(mdlElementSpec('nickname')).toBeUndefined();
  });

  it('a complete, valid mDL has no findings', () => {
    expect(validateMdlElements(completeMdl())).toEqual([]);
  });

  const invalid: ReadonlyArray<readonly [string, unknown]> = [
    ['family_name', 'x'.repeat(151)],
    ['family_name', 'Ω'],
    ['given_name', 42],
    ['birth_date', new TDate('1990-02-28T00:00:00Z')],
    ['issue_date', '2024-01-02'],
    ['issuing_country', 'usa'],
    ['portrait', new Uint8Array([0x89, 0x50, 0x4e, 0x47])],
    ['portrait', 'not bytes'],
    ['driving_privileges', new Map()],
    ['driving_privileges', [new Map([['issue_date', new FullDate('2010-01-01')]])]],
    [
      'driving_privileges',
      [
        new Map<string, unknown>([
          ['vehicle_category_code', 'B'],
          ['expiry_date', '2030-01-01'],
        ]),
      ],
    ],
    [
      'driving_privileges',
      [
        new Map<string, unknown>([
          ['vehicle_category_code', 'B'],
          ['codes', []],
        ]),
      ],
    ],
    [
      'driving_privileges',
      [
        new Map<string, unknown>([
          ['vehicle_category_code', 'B'],
          ['codes', [new Map([['sign', '=']])]],
        ]),
      ],
    ],
    ['sex', 3],
    ['sex', -1],
    ['height', 1.5],
    ['eye_colour', 'purple'],
    ['hair_colour', 'Black'],
    ['portrait_capture_date', new FullDate('2020-01-01')],
    ['issuing_jurisdiction', 'CA-ON'],
    ['issuing_jurisdiction', 'US'],
    ['age_over_18', 'yes'],
    ['biometric_template_face', new Uint8Array([0x7f, 0x62])],
    ['resident_country', 'U1'],
  ];
  it.each(invalid)('%s with a bad value → ERR_DATA_ELEMENT_INVALID naming the element', (id, value) => {
    const elements = completeMdl();
    elements.set(id, value);
    const findings = validateMdlElements(elements);
    expect(findings.map((f) => [f.code, f.elementIdentifier])).toEqual([['ERR_DATA_ELEMENT_INVALID', id]]);
    if (typeof value === 'string' && value.length > 2) expect(findings[0]!.reason).not.toContain(value);
  });

  it('country and subdivision codes are checked exactly as ^[A-Z]{2}$ and ^[A-Z]{2}-[A-Z0-9]{1,3}$', () => {
    const code = fc.string({
      unit: fc.constantFrom('U', 'S', 'A', 'z', '1', '9', '-', '\n', ' ', 'É'),
      maxLength: 7,
    });
    fc.assert(
      fc.property(code, code, (country, jurisdiction) => {
        const flagged = (id: string) =>
          validateMdlElements(
            new Map<string, unknown>([
              ['issuing_country', country],
              ['issuing_jurisdiction', jurisdiction],
            ]),
            { requireMandatory: false },
          ).some((f) => f.elementIdentifier === id && f.reason.startsWith('must be an ISO 3166'));
        expect(flagged('issuing_country')).toBe(!/^[A-Z]{2}$/.test(country));
        expect(flagged('issuing_jurisdiction')).toBe(!/^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(jurisdiction));
      }),
      { numRuns: 500 },
    );
    for (const ok of ['US-CA', 'DE-BY1', 'GB-ENG']) {
      expect(
        validateMdlElements(new Map([['issuing_jurisdiction', ok]]), { requireMandatory: false }),
      ).toEqual([]);
    }
  });

  it('contradictory age_over_NN values are reported', () => {
    const elements = completeMdl();
    // true at 21 implies true at 18
    elements.set('age_over_18', false);
    elements.set('age_over_21', true);
    expect(validateMdlElements(elements).map((f) => f.elementIdentifier)).toEqual(['age_over_18']);
  });

  it('missing mandatory elements and unknown identifiers', () => {
    const elements = completeMdl();
    elements.delete('portrait');
    elements.delete('given_name');
    elements.set('nickname', 'JD');
    const findings = validateMdlElements(elements);
    expect(findings.map((f) => [f.code, f.elementIdentifier])).toEqual([
      ['ERR_DATA_ELEMENT_UNKNOWN', 'nickname'],
      ['ERR_DATA_ELEMENT_MISSING', 'given_name'],
      ['ERR_DATA_ELEMENT_MISSING', 'portrait'],
    ]);
    expect(validateMdlElements(elements, { requireMandatory: false, reportUnknown: false })).toEqual([]);
  });

  it('throwOnFinding throws the first finding with a code and no value', () => {
    const elements = completeMdl();
    elements.set('document_number', 'secret\u0100');
    try {
      validateMdlElements(elements, { throwOnFinding: true });
      expect.unreachable();
    } catch (e) {
      expect(isMdlError(e, 'ERR_DATA_ELEMENT_INVALID')).toBe(true);
      expect((e as Error).message).not.toContain('secret');
      expect((e as { details: Record<string, unknown> }).details).toEqual({
        nameSpace: 'org.iso.18013.5.1',
        elementIdentifier: 'document_number',
      });
    }
    elements.delete('family_name');
    elements.set('document_number', '1');
    expect(() => validateMdlElements(elements, { throwOnFinding: true })).toThrow(
      expect.objectContaining({ code: 'ERR_DATA_ELEMENT_MISSING' }),
    );
  });
});

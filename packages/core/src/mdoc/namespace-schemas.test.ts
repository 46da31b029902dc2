import { describe, expect, it } from 'vitest';
import { FullDate, TDate } from '../cbor/index.js';
import { checkElementType, KNOWN_NAMESPACE_SCHEMAS, namespaceSchema } from './index.js';

describe('namespace schemas', () => {
  it('knows the mDL, EU PID, EU age verification and ISO/IEC 23220 Photo ID namespaces, each with its source', () => {
    expect(KNOWN_NAMESPACE_SCHEMAS.map((s) => s.nameSpace)).toEqual([
      'org.iso.18013.5.1',
      'eu.europa.ec.eudi.pid.1',
      'eu.europa.ec.av.1',
      'org.iso.23220.1',
      'org.iso.23220.photoid.1',
      'org.iso.23220.datagroups.1',
    ]);
    for (const s of KNOWN_NAMESPACE_SCHEMAS) expect(s.source.length).toBeGreaterThan(10);
    expect(namespaceSchema('com.example.idpass.1')).toBeUndefined();
  });

  it('gives the PID Rulebook types (nationalities, place_of_birth, tdate-or-full-date)', () => {
    const pid = namespaceSchema('eu.europa.ec.eudi.pid.1')!;
    expect(pid.typeOf('nationality')).toBe('nationalities');
    expect(pid.typeOf('place_of_birth')).toBe('place-of-birth');
    expect(pid.typeOf('expiry_date')).toBe('tdate-or-full-date');
    expect(pid.typeOf('age_over_18')).toBe('bool');
    expect(pid.typeOf('age_over_1')).toBeUndefined();
    expect(pid.typeOf('domestic_extra')).toBeUndefined();
  });

  it.each([
    ['eu.europa.ec.eudi.pid.1', 'nationality', ['DE', 'FR']],
    ['eu.europa.ec.eudi.pid.1', 'place_of_birth', new Map([['country', 'DE']])],
    ['eu.europa.ec.eudi.pid.1', 'expiry_date', new TDate('2030-01-01T00:00:00Z')],
    ['eu.europa.ec.eudi.pid.1', 'expiry_date', new FullDate('2030-01-01')],
    ['eu.europa.ec.av.1', 'age_over_18', false],
    ['org.iso.23220.1', 'birth_date', new FullDate('1990-01-01')],
    ['org.iso.23220.1', 'birth_date', new Map([['birth_date', new FullDate('1990-01-01')]])],
    ['org.iso.23220.datagroups.1', 'dg16', new Uint8Array(1)],
    ['org.iso.18013.5.1', 'age_over_21', true],
    ['org.iso.18013.5.1', 'unknown_element', 42],
    ['com.example.idpass.1', 'anything', 42],
  ])('%s/%s: a value of the schema type passes', (ns, id, value) => {
    expect(checkElementType(ns, id, value)).toBeUndefined();
  });

  it.each([
    ['eu.europa.ec.eudi.pid.1', 'nationality', 'DE', 'nationalities'],
    ['eu.europa.ec.eudi.pid.1', 'nationality', [], 'nationalities'],
    ['eu.europa.ec.eudi.pid.1', 'nationality', ['DE', 1], 'nationalities'],
    ['eu.europa.ec.eudi.pid.1', 'place_of_birth', new Map(), 'place-of-birth'],
    ['eu.europa.ec.eudi.pid.1', 'place_of_birth', new Map([['city', 'Berlin']]), 'place-of-birth'],
    ['eu.europa.ec.eudi.pid.1', 'place_of_birth', 'Berlin', 'place-of-birth'],
    ['eu.europa.ec.eudi.pid.1', 'birth_date', '1990-01-01', 'full-date'],
    ['eu.europa.ec.eudi.pid.1', 'sex', -1, 'uint'],
    ['eu.europa.ec.av.1', 'age_over_18', 'true', 'bool'],
    ['eu.europa.ec.av.1', 'age_over_18', 1, 'bool'],
    ['org.iso.23220.1', 'birth_date', new Map([['approximate_mask', '0000']]), 'birth-date-23220'],
    [
      'org.iso.23220.1',
      'birth_date',
      new Map<string, unknown>([
        ['birth_date', new FullDate('1990-01-01')],
        ['approximate_mask', 1],
      ]),
      'birth-date-23220',
    ],
    ['org.iso.23220.photoid.1', 'person_id', 7, 'tstr'],
    ['org.iso.23220.datagroups.1', 'dg1', 'x', 'bstr'],
    ['org.iso.18013.5.1', 'family_name', 'Ł'.repeat(3), 'latin1'],
  ])('%s/%s: a value of another type is reported, without the value', (ns, id, value, expected) => {
    const problem = checkElementType(ns, id, value);
    expect(problem).toMatchObject({ nameSpace: ns, elementIdentifier: id, expected });
    expect(problem!.reason.length).toBeGreaterThan(5);
    expect(problem!.schema).toContain(namespaceSchema(ns)!.title);
    if (typeof value === 'string') expect(problem!.reason).not.toContain(value);
  });
});

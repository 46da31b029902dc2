import { describe, expect, it } from 'vitest';
import { CheckId } from '../report/check-ids.js';
import { DOCUMENT_CHECKS } from './document-checks.js';

describe('DOCUMENT_CHECKS', () => {
  it('lists every CheckId exactly once, in the order of the CheckId table', () => {
    expect(DOCUMENT_CHECKS.map((c) => c.id)).toEqual(Object.values(CheckId));
  });

  it('lets only the checks that guard single elements protect listed elements', () => {
    const listed = DOCUMENT_CHECKS.filter((c) => c.protects === 'listed-elements').map((c) => c.id);
    expect(listed).toEqual([CheckId.VALUE_DIGESTS, CheckId.KEY_AUTHORIZATIONS, CheckId.ELEMENT_TYPES]);
  });
});

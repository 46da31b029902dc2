import { describe, expect, it } from 'vitest';
import { redactForAudit } from './audit-record.js';

describe('redactForAudit', () => {
  it('replaces bytes, sensitive text and long text by their length and drops $metadata', () => {
    const out = redactForAudit({
      KeyId: 'alias/ds',
      Message: new Uint8Array([1, 2, 3]),
      Signature: 'c2lnbmF0dXJl',
      Certificate: 'x'.repeat(300),
      Nested: [{ Plaintext: new Uint8Array(5).buffer }],
      When: new Date('2025-01-01T00:00:00Z'),
      $metadata: { requestId: 'r' },
      Skip: undefined,
    });
    expect(out).toEqual({
      KeyId: 'alias/ds',
      Message: { redacted: 'bytes', length: 3 },
      Signature: { redacted: 'text', length: 12 },
      Certificate: { redacted: 'text', length: 300 },
      Nested: [{ Plaintext: { redacted: 'bytes', length: 5 } }],
      When: '2025-01-01T00:00:00.000Z',
    });
  });

  it('bounds depth', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 20; i++) deep = { d: deep };
    expect(JSON.stringify(redactForAudit(deep))).toContain('"redacted":"text"');
  });
});

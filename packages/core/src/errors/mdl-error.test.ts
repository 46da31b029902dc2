import { describe, expect, it } from 'vitest';
import { ErrorCode, isMdlError, MdlError } from './index.js';

describe('MdlError', () => {
  it('carries a stable code, details and cause', () => {
    const cause = new Error('sdk');
    const err = new MdlError(ErrorCode.ERR_MSO_DIGEST_MISMATCH, 'digest mismatch', {
      details: { nameSpace: 'org.iso.18013.5.1', digestId: 7 },
      cause,
    });
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('ERR_MSO_DIGEST_MISMATCH');
    expect(err.details).toEqual({ nameSpace: 'org.iso.18013.5.1', digestId: 7 });
    expect(err.cause).toBe(cause);
    expect(isMdlError(err, 'ERR_MSO_DIGEST_MISMATCH')).toBe(true);
    expect(isMdlError(err, 'ERR_CBOR_TRUNCATED')).toBe(false);
    expect(isMdlError(new TypeError('x'))).toBe(false);
  });

  it('codes are their own names', () => {
    for (const [k, v] of Object.entries(ErrorCode)) expect(v).toBe(k);
  });
});

import { isMdlError, MdlError } from '@mdlkit/core/errors';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { AwsErrorCode } from './aws-error-code.js';

describe('AwsErrorCode', () => {
  it('codes are their own names and carry the ERR_AWS_ prefix', () => {
    for (const [k, v] of Object.entries(AwsErrorCode)) {
      expect(v).toBe(k);
      expect(k.startsWith('ERR_AWS_')).toBe(true);
    }
  });

  it('are registered in core: MdlError types their details', () => {
    const err: unknown = new MdlError(AwsErrorCode.ERR_AWS_WAIT_TIMEOUT, 'not ACTIVE in time', {
      details: { what: 'CA status ACTIVE', polls: 12, lastState: 'CREATING' },
    });
    if (!isMdlError(err, 'ERR_AWS_WAIT_TIMEOUT')) throw new Error('expected an MdlError');
    expectTypeOf(err.details.polls).toEqualTypeOf<number>();
    expectTypeOf(err.details.lastState).toEqualTypeOf<string | undefined>();
    expect(err.details.polls).toBe(12);

    const config = new MdlError('ERR_AWS_CONFIG_INVALID', 'bad', {
      details: { awsError: 'InvalidArnException' },
    });
    expectTypeOf(config.details.awsError).toEqualTypeOf<string | undefined>();
    expect(config.details.awsError).toBe('InvalidArnException');
    // @ts-expect-error a wait timeout says what it waited for and how often it polled
    expect(new MdlError('ERR_AWS_WAIT_TIMEOUT', 'x').details).toEqual({});
  });
});

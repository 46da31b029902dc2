import { MdlError } from '@mdlkit/core/errors';
import { describe, expect, it } from 'vitest';
import { FakeAwsError } from '../../test/support/fake-kms.js';
import { mapKmsError } from './map-kms-error.js';

const info = {
  operation: 'Sign',
  resourceId: 'alias/mdl-ds',
  attempts: 1,
  retriesExhausted: false,
  deadlineExceeded: false,
};

describe('mapKmsError', () => {
  it.each([
    ['AccessDeniedException', 'ERR_SIGNER_ACCESS_DENIED'],
    ['DisabledException', 'ERR_SIGNER_KEY_DISABLED'],
    ['KMSInvalidStateException', 'ERR_SIGNER_KEY_DISABLED'],
    ['InvalidKeyUsageException', 'ERR_SIGNER_KEY_USAGE'],
    ['ThrottlingException', 'ERR_SIGNER_THROTTLED'],
    ['DependencyTimeoutException', 'ERR_SIGNER_TIMEOUT'],
    ['TimeoutError', 'ERR_SIGNER_TIMEOUT'],
    ['NotFoundException', 'ERR_AWS_CONFIG_INVALID'],
    ['ValidationException', 'ERR_SIGNER_FAILED'],
  ])('%s → %s, keeping the SDK error as cause', (name, code) => {
    const sdkError = new FakeAwsError(name);
    const mapped = mapKmsError(sdkError, info);
    expect(mapped.code).toBe(code);
    expect(mapped.cause).toBe(sdkError);
    expect(mapped.details['awsError']).toBe(name);
    expect(mapped.message).toContain('alias/mdl-ds');
  });

  it('names the missing IAM action for access denied', () => {
    const mapped = mapKmsError(new FakeAwsError('AccessDeniedException'), {
      ...info,
      operation: 'GetPublicKey',
    });
    expect(mapped.message).toContain('kms:GetPublicKey');
  });

  it('treats HTTP 429 as throttling and passes MdlErrors through', () => {
    expect(mapKmsError(new FakeAwsError('Whatever', 429), info).code).toBe('ERR_SIGNER_THROTTLED');
    const own = new MdlError('ERR_INVALID_ARGUMENT', 'x');
    expect(mapKmsError(own, info)).toBe(own);
    expect(mapKmsError('not an error', info).code).toBe('ERR_SIGNER_FAILED');
  });
});

import { exportPublicKey, generateKeyPair } from '@mdlkit/core/crypto';
import { describe, expect, it } from 'vitest';
import { fromEnv } from './from-env.js';

const spki = exportPublicKey(generateKeyPair({ curve: 'P-256' }).publicKey, 'spki');
const pem = `-----BEGIN PUBLIC KEY-----\n${Buffer.from(spki)
  .toString('base64')
  .replace(/(.{64})/g, '$1\n')}\n-----END PUBLIC KEY-----`;

describe('fromEnv', () => {
  it('reads region, endpoint, key, spec, PEM and timeout, and gives the client the SDK retry layer', () => {
    const cfg = fromEnv({
      AWS_REGION: 'eu-west-1',
      MDLKIT_KMS_ENDPOINT: 'http://127.0.0.1:4566',
      MDLKIT_KMS_KEY_ID: 'alias/mdl-ds',
      MDLKIT_KMS_KEY_SPEC: 'ECC_NIST_P256',
      MDLKIT_KMS_PUBLIC_KEY_PEM: pem.replace(/\n/g, '\\n'),
      MDLKIT_KMS_TIMEOUT_MS: '2500',
    });
    expect(cfg).toMatchObject({
      region: 'eu-west-1',
      endpoint: 'http://127.0.0.1:4566',
      keyId: 'alias/mdl-ds',
      keySpec: 'ECC_NIST_P256',
      timeoutMs: 2500,
      clientConfig: {
        region: 'eu-west-1',
        endpoint: 'http://127.0.0.1:4566',
        retryStrategy: { mode: 'adaptive' },
      },
    });
    expect(cfg.publicKey).toEqual(spki);
    expect(cfg.clientConfig).not.toHaveProperty('maxAttempts');
  });

  it('prefers MDLKIT_KMS_REGION and omits unset optionals', () => {
    const cfg = fromEnv({ MDLKIT_KMS_REGION: 'us-east-2', AWS_REGION: 'eu-west-1', MDLKIT_KMS_KEY_ID: 'k' });
    expect(Object.keys(cfg).sort()).toEqual(['clientConfig', 'keyId', 'region']);
    expect(cfg).toMatchObject({ region: 'us-east-2', keyId: 'k', clientConfig: { region: 'us-east-2' } });
  });

  it('takes the Region from a key ARN, and refuses a Region that contradicts it', () => {
    const arn = 'arn:aws:kms:eu-central-1:111122223333:key/mrk-0123456789abcdef0123456789abcdef';
    expect(fromEnv({ MDLKIT_KMS_KEY_ID: arn, AWS_REGION: 'us-east-1' }).region).toBe('eu-central-1');
    expect(() => fromEnv({ MDLKIT_KMS_KEY_ID: arn, MDLKIT_KMS_REGION: 'us-east-1' })).toThrow(
      expect.objectContaining({ code: 'ERR_AWS_CONFIG_INVALID' }),
    );
  });

  it.each([
    [{ MDLKIT_KMS_KEY_ID: 'k' }, 'MDLKIT_KMS_REGION'],
    [{ AWS_REGION: 'eu-west-1' }, 'MDLKIT_KMS_KEY_ID'],
    [
      { AWS_REGION: 'eu-west-1', MDLKIT_KMS_KEY_ID: 'k', MDLKIT_KMS_ENDPOINT: 'ftp://x' },
      'MDLKIT_KMS_ENDPOINT',
    ],
    [
      { AWS_REGION: 'eu-west-1', MDLKIT_KMS_KEY_ID: 'k', MDLKIT_KMS_KEY_SPEC: 'RSA_2048' },
      'MDLKIT_KMS_KEY_SPEC',
    ],
    [
      { AWS_REGION: 'eu-west-1', MDLKIT_KMS_KEY_ID: 'k', MDLKIT_KMS_TIMEOUT_MS: '0' },
      'MDLKIT_KMS_TIMEOUT_MS',
    ],
    [{ AWS_REGION: 'eu-west-1', MDLKIT_KMS_KEY_ID: 'k', MDLKIT_KMS_PUBLIC_KEY_PEM: 'nope' }, undefined],
  ])('rejects %o with ERR_AWS_CONFIG_INVALID', (env, variable) => {
    try {
      fromEnv(env);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'ERR_AWS_CONFIG_INVALID' });
      if (variable !== undefined)
        expect((e as { details: Record<string, unknown> }).details['variable']).toBe(variable);
    }
  });
});

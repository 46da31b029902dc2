import type { Operation, OperationContext } from '../context.js';
import { AwsError } from '../errors.js';
import { blob, type Input, optBool, optEnum, reqBlob, reqEnum, reqString } from '../internal/input.js';
import { type SignMode, signWith, verifyWith } from './key-material.js';
import {
  ALL_SIGNING_ALGORITHMS,
  DIGEST_LENGTH,
  MESSAGE_TYPES,
  SIGNING_ALGORITHMS_BY_SPEC,
  type SigningAlgorithm,
} from './key-specs.js';
import { useKey } from './resolve.js';
import type { KmsKey } from './state.js';

interface SignRequest {
  readonly key: KmsKey;
  readonly message: Uint8Array;
  readonly mode: SignMode;
  readonly algorithm: SigningAlgorithm;
}

/**
 * The rules shared by `Sign` and `Verify`:
 * - `RAW`: 1..4096 bytes, KMS hashes; `DIGEST`: exactly the algorithm's hash length, signed as is.
 * - `ED25519_SHA_512` is RAW only (PureEdDSA); `ED25519_PH_SHA_512` is DIGEST only (Ed25519ph).
 * - `ML_DSA_SHAKE_256`: RAW or `EXTERNAL_MU` (a 64-byte μ); never DIGEST.
 * - a signing algorithm outside the key spec's list → `InvalidKeyUsageException`.
 */
function parseSignRequest(context: OperationContext, input: Input): SignRequest {
  const keyId = reqString(input, 'KeyId', { max: 2048 });
  const message = reqBlob(input, 'Message', { max: 4096 });
  const mode = optEnum(input, 'MessageType', MESSAGE_TYPES) ?? 'RAW';
  const algorithm = reqEnum(input, 'SigningAlgorithm', ALL_SIGNING_ALGORITHMS);
  const key = useKey(context, keyId);
  if (key.keyUsage !== 'SIGN_VERIFY') {
    throw new AwsError(
      'InvalidKeyUsageException',
      `${key.arn} key usage is ${key.keyUsage} which is not valid for this operation.`,
    );
  }
  if (!SIGNING_ALGORITHMS_BY_SPEC[key.keySpec].includes(algorithm)) {
    throw new AwsError(
      'InvalidKeyUsageException',
      `Algorithm ${algorithm} is incompatible with key spec ${key.keySpec}.`,
    );
  }
  if (mode === 'DIGEST') {
    const length = DIGEST_LENGTH[algorithm];
    if (length === undefined) {
      throw new AwsError(
        'ValidationException',
        `MessageType DIGEST is not supported for signing algorithm ${algorithm}. Use MessageType RAW.`,
      );
    }
    if (message.length !== length) {
      throw new AwsError('ValidationException', `Digest is invalid length for algorithm ${algorithm}.`);
    }
  } else if (mode === 'RAW') {
    if (algorithm === 'ED25519_PH_SHA_512') {
      throw new AwsError(
        'ValidationException',
        'MessageType RAW is not supported for signing algorithm ED25519_PH_SHA_512. Use MessageType DIGEST.',
      );
    }
  } else {
    if (algorithm !== 'ML_DSA_SHAKE_256') {
      throw new AwsError(
        'ValidationException',
        `MessageType EXTERNAL_MU is not supported for signing algorithm ${algorithm}.`,
      );
    }
    if (message.length !== 64) {
      throw new AwsError(
        'ValidationException',
        'External mu must be 64 bytes for algorithm ML_DSA_SHAKE_256.',
      );
    }
  }
  return { key, message, mode, algorithm };
}

function dryRun(input: Input, operation: string): void {
  if (optBool(input, 'DryRun') === true) {
    throw new AwsError('DryRunOperationException', `The ${operation} request would have succeeded.`);
  }
}

/** `Sign`: ECDSA DER, Ed25519 / Ed25519ph, ML-DSA (RAW or EXTERNAL_MU). */
export const sign: Operation = (context, input) => {
  const request = parseSignRequest(context, input);
  dryRun(input, 'Sign');
  return {
    KeyId: request.key.arn,
    Signature: blob(signWith(request.key.material, request.mode, request.message)),
    SigningAlgorithm: request.algorithm,
  };
};

/** `Verify`: a signature that does not verify → `KMSInvalidSignatureException` (never `false`). */
export const verify: Operation = (context, input) => {
  const request = parseSignRequest(context, input);
  const signature = reqBlob(input, 'Signature', { max: 6144 });
  dryRun(input, 'Verify');
  if (!verifyWith(request.key.material, request.mode, request.message, signature)) {
    throw new AwsError('KMSInvalidSignatureException', '');
  }
  return { KeyId: request.key.arn, SignatureValid: true, SigningAlgorithm: request.algorithm };
};

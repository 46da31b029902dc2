/**
 * A `send()`-level fake of the KMS client for unit tests: real keys (core's local signers), AWS-shaped
 * outputs and errors (`name` + `$metadata`), a call log and per-operation error injection. The
 * must-show tests use the real SDK against the emulator instead.
 */

import type { AwsClientLike, AwsCommandLike } from '@mdlkit/aws-common';
import {
  CoseAlg,
  type Curve,
  createLocalDigestSigner,
  createLocalSigner,
  ecdsaRawToDer,
  exportPublicKey,
  generateKeyPair,
  type PrivateKey,
} from '@mdlkit/core/crypto';

export class FakeAwsError extends Error {
  readonly $metadata: { httpStatusCode: number; requestId: string; attempts: number };
  readonly $fault: 'client' | 'server';
  constructor(name: string, status = 400, requestId = 'err-req') {
    super(`${name} from fake`);
    this.name = name;
    this.$fault = status >= 500 ? 'server' : 'client';
    this.$metadata = { httpStatusCode: status, requestId, attempts: 1 };
  }
}

const SPECS: Record<string, { curve: Curve; alg: CoseAlg; algorithms: string[] }> = {
  ECC_NIST_P256: { curve: 'P-256', alg: CoseAlg.ES256, algorithms: ['ECDSA_SHA_256'] },
  ECC_NIST_P384: { curve: 'P-384', alg: CoseAlg.ES384, algorithms: ['ECDSA_SHA_384'] },
  ECC_NIST_P521: { curve: 'P-521', alg: CoseAlg.ES512, algorithms: ['ECDSA_SHA_512'] },
  ECC_NIST_EDWARDS25519: {
    curve: 'Ed25519',
    alg: CoseAlg.EdDSA,
    algorithms: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'],
  },
};

interface FakeKey {
  arn: string;
  keyId: string;
  spec: string;
  usage: string;
  state: 'Enabled' | 'Disabled' | 'PendingDeletion';
  privateKey: PrivateKey | undefined;
  spki: Uint8Array;
}

export interface FakeCall {
  readonly operation: string;
  readonly input: Record<string, unknown>;
}

export class FakeKms implements AwsClientLike {
  readonly keys: Map<string, FakeKey> = new Map();
  readonly aliases: Map<string, string> = new Map();
  readonly calls: FakeCall[] = [];
  #failures: { operation: string; error: () => Error; remaining: number }[] = [];
  #n = 0;

  createKey(spec: string, usage = 'SIGN_VERIFY'): string {
    this.#n++;
    const keyId = `0000000${this.#n}-aaaa-bbbb-cccc-dddddddddddd`;
    const arn = `arn:aws:kms:eu-west-1:111122223333:key/${keyId}`;
    const info = SPECS[spec];
    let privateKey: PrivateKey | undefined;
    let spki: Uint8Array = new Uint8Array([1, 2, 3]);
    if (info !== undefined) {
      const pair = generateKeyPair({ curve: info.curve });
      privateKey = pair.privateKey;
      spki = exportPublicKey(pair.publicKey, 'spki');
    }
    this.keys.set(arn, { arn, keyId, spec, usage, state: 'Enabled', privateKey, spki });
    return arn;
  }

  /** The next `times` calls of `operation` fail with a fresh error from `error`. */
  failNext(operation: string, error: () => Error, times = 1): void {
    this.#failures.push({ operation, error, remaining: times });
  }

  count(operation: string): number {
    return this.calls.filter((c) => c.operation === operation).length;
  }

  resolve(id: string): FakeKey {
    const viaAlias = id.startsWith('alias/') ? this.aliases.get(id) : undefined;
    const key =
      this.keys.get(viaAlias ?? id) ?? [...this.keys.values()].find((k) => k.keyId === id || k.arn === id);
    if (key === undefined) throw new FakeAwsError('NotFoundException');
    return key;
  }

  async send(command: AwsCommandLike): Promise<unknown> {
    const operation = command.constructor.name.replace(/Command$/, '');
    const input = command.input as Record<string, unknown>;
    this.calls.push({ operation, input });
    const failure = this.#failures.find((f) => f.operation === operation && f.remaining > 0);
    if (failure !== undefined) {
      failure.remaining--;
      throw failure.error();
    }
    const meta = { $metadata: { httpStatusCode: 200, requestId: `req-${this.calls.length}`, attempts: 1 } };
    switch (operation) {
      case 'DescribeKey': {
        const k = this.resolve(String(input['KeyId']));
        return {
          ...meta,
          KeyMetadata: {
            KeyId: k.keyId,
            Arn: k.arn,
            KeySpec: k.spec,
            KeyUsage: k.usage,
            KeyState: k.state,
            Enabled: k.state === 'Enabled',
            SigningAlgorithms: SPECS[k.spec]?.algorithms,
          },
        };
      }
      case 'GetPublicKey': {
        const k = this.resolve(String(input['KeyId']));
        return { ...meta, KeyId: k.arn, KeySpec: k.spec, KeyUsage: k.usage, PublicKey: k.spki.slice() };
      }
      case 'Sign':
        return { ...meta, ...(await this.#sign(input)) };
      case 'CreateKey': {
        const arn = this.createKey(String(input['KeySpec']), String(input['KeyUsage']));
        const k = this.resolve(arn);
        return { ...meta, KeyMetadata: { KeyId: k.keyId, Arn: k.arn, KeySpec: k.spec, KeyUsage: k.usage } };
      }
      case 'CreateAlias': {
        const name = String(input['AliasName']);
        if (this.aliases.has(name)) throw new FakeAwsError('AlreadyExistsException');
        this.aliases.set(name, this.resolve(String(input['TargetKeyId'])).arn);
        return meta;
      }
      case 'UpdateAlias': {
        const name = String(input['AliasName']);
        if (!this.aliases.has(name)) throw new FakeAwsError('NotFoundException');
        this.aliases.set(name, this.resolve(String(input['TargetKeyId'])).arn);
        return meta;
      }
      default:
        throw new FakeAwsError('UnsupportedOperationException');
    }
  }

  async #sign(input: Record<string, unknown>): Promise<Record<string, unknown>> {
    const k = this.resolve(String(input['KeyId']));
    if (k.state === 'Disabled') throw new FakeAwsError('DisabledException');
    if (k.state !== 'Enabled') throw new FakeAwsError('KMSInvalidStateException');
    const info = SPECS[k.spec];
    const algorithm = String(input['SigningAlgorithm']);
    if (k.usage !== 'SIGN_VERIFY' || info === undefined || !info.algorithms.includes(algorithm)) {
      throw new FakeAwsError('InvalidKeyUsageException');
    }
    const message = input['Message'] as Uint8Array;
    if (!(message instanceof Uint8Array) || message.length === 0 || message.length > 4096) {
      throw new FakeAwsError('ValidationException');
    }
    let signature: Uint8Array;
    if (info.alg === CoseAlg.EdDSA) {
      if (input['MessageType'] !== 'RAW') throw new FakeAwsError('ValidationException');
      signature = await createLocalSigner({ privateKey: k.privateKey!, alg: info.alg }).sign(message);
    } else {
      if (input['MessageType'] !== 'DIGEST') throw new FakeAwsError('ValidationException');
      const raw = await createLocalDigestSigner({ privateKey: k.privateKey!, alg: info.alg }).signDigest(
        message,
      );
      signature = ecdsaRawToDer(raw);
    }
    return { KeyId: k.arn, SigningAlgorithm: algorithm, Signature: signature };
  }
}

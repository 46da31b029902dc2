import { toHex } from '@mdlkit/core/cbor';
import { randomBytes as secureRandom } from '@mdlkit/core/crypto';
import { Pkcs11Error } from '../errors/pkcs11-error.js';
import { type Attribute, ckrName } from '../internal/binding.js';
import { CK } from '../internal/constants.js';
import { pointFromEcPoint, spkiFromPoint } from '../internal/spki.js';
import { PKCS11_CURVES, type Pkcs11Curve } from '../signer/curves.js';
import { checkSelector, findObjects, readAttributes } from '../signer/find-key.js';
import type { Pkcs11Token } from '../token/pkcs11-token.js';

/** Options for {@link generatePkcs11Key}. */
export interface GeneratePkcs11KeyOptions {
  /** The open token. */
  readonly token: Pkcs11Token;
  /** The curve: P-256, P-384, P-521 (`CKM_EC_KEY_PAIR_GEN`) or Ed25519 (`CKM_EC_EDWARDS_KEY_PAIR_GEN`). */
  readonly curve: Pkcs11Curve;
  /** `CKA_LABEL` of both halves; must not be in use on the token. */
  readonly label: string;
  /** `CKA_ID` of both halves (bytes or hex); default 16 random bytes. Must not be in use. */
  readonly id?: Uint8Array | string;
  /** Random source for the default id (default: core's CSPRNG). */
  readonly randomBytes?: (length: number) => Uint8Array;
}

/** A key pair generated on the token. The private key never leaves it. */
export interface GeneratedPkcs11Key {
  readonly label: string;
  /** `CKA_ID`, hex. */
  readonly id: string;
  readonly curve: Pkcs11Curve;
  /** DER SubjectPublicKeyInfo of the new key (for the CSR and the DS certificate). */
  readonly publicKey: Uint8Array;
}

/**
 * Generates a DS key pair on the token: a persistent (`CKA_TOKEN`) private key that is
 * `CKA_PRIVATE`, `CKA_SENSITIVE` and not `CKA_EXTRACTABLE`, may only sign (`CKA_SIGN` true,
 * `CKA_DERIVE` / `CKA_DECRYPT` false), and its public key object with the same label and id. The
 * attributes are read back after generation; a token that did not honour them has the pair
 * destroyed and the call fails.
 *
 * @throws {@link Pkcs11Error} `ERR_PKCS11_CONFIG_INVALID`, `ERR_PKCS11_KEY_EXISTS`,
 *   `ERR_PKCS11_MECHANISM_NOT_SUPPORTED`, `ERR_PKCS11_KEY_USAGE` (the token made an extractable or
 *   non-sensitive key), and the token's errors.
 * @example
 * ```ts
 * const key = await generatePkcs11Key({ token, curve: 'P-256', label: 'ds-2026' });
 * const signer = await createPkcs11Signer({ token, key: { id: key.id } });
 * ```
 */
export async function generatePkcs11Key(options: GeneratePkcs11KeyOptions): Promise<GeneratedPkcs11Key> {
  const { token, curve } = options;
  if (!Object.hasOwn(PKCS11_CURVES, curve)) {
    throw new Pkcs11Error('ERR_PKCS11_CONFIG_INVALID', 'curve must be P-256, P-384, P-521 or Ed25519.', {
      details: { curve: String(curve) },
    });
  }
  const profile = PKCS11_CURVES[curve];
  const chosen = checkSelector({
    label: options.label,
    id: options.id ?? (options.randomBytes ?? secureRandom)(16),
  });
  const label = chosen.label!;
  const id = Buffer.from(chosen.id!);
  const idHex = toHex(new Uint8Array(id));
  return token.run(
    {
      operation: 'GenerateKeyPair',
      resource: `key/${label}`,
      request: { curve, label, id: idHex },
      details: { key: label },
      response: (key: GeneratedPkcs11Key) => ({ id: key.id, publicKey: key.publicKey }),
    },
    async ({ binding, session, slot }) => {
      let flags = 0;
      try {
        flags = binding.C_GetMechanismInfo(slot, profile.generateMechanism).flags;
      } catch (error) {
        if (ckrName(error) !== 'CKR_MECHANISM_INVALID') throw error;
      }
      if ((flags & CK.CKF_GENERATE_KEY_PAIR) === 0) {
        throw new Pkcs11Error(
          'ERR_PKCS11_MECHANISM_NOT_SUPPORTED',
          `PKCS#11 token ${token.label} cannot generate ${curve} key pairs.`,
          { details: { token: token.label, curve } },
        );
      }
      for (const clash of [
        { type: CK.CKA_LABEL, value: label },
        { type: CK.CKA_ID, value: id },
      ]) {
        if (findObjects(binding, session, [clash], 1).length > 0) {
          throw new Pkcs11Error(
            'ERR_PKCS11_KEY_EXISTS',
            `PKCS#11 token ${token.label} already holds an object with this ${clash.type === CK.CKA_LABEL ? 'label' : 'id'}.`,
            { details: { token: token.label, key: label, id: idHex } },
          );
        }
      }
      const common: Attribute[] = [
        { type: CK.CKA_TOKEN, value: true },
        { type: CK.CKA_LABEL, value: label },
        { type: CK.CKA_ID, value: id },
      ];
      const publicTemplate: Attribute[] = [
        ...common,
        { type: CK.CKA_PRIVATE, value: false },
        { type: CK.CKA_VERIFY, value: true },
        { type: CK.CKA_EC_PARAMS, value: Buffer.from(profile.oid) },
      ];
      const privateTemplate: Attribute[] = [
        ...common,
        { type: CK.CKA_PRIVATE, value: true },
        { type: CK.CKA_SENSITIVE, value: true },
        { type: CK.CKA_EXTRACTABLE, value: false },
        { type: CK.CKA_SIGN, value: true },
        { type: CK.CKA_DERIVE, value: false },
        { type: CK.CKA_DECRYPT, value: false },
      ];
      const pair = await binding.C_GenerateKeyPairAsync(
        session,
        { mechanism: profile.generateMechanism },
        publicTemplate,
        privateTemplate,
      );
      const destroy = (): void => {
        for (const object of [pair.privateKey, pair.publicKey]) {
          try {
            binding.C_DestroyObject(session, object);
          } catch {
            // best effort
          }
        }
      };
      const attrs = readAttributes(binding, session, pair.privateKey, [CK.CKA_EXTRACTABLE, CK.CKA_SENSITIVE]);
      if (attrs.get(CK.CKA_EXTRACTABLE)?.[0] !== 0 || attrs.get(CK.CKA_SENSITIVE)?.[0] !== 1) {
        destroy();
        throw new Pkcs11Error(
          'ERR_PKCS11_KEY_USAGE',
          `PKCS#11 token ${token.label} generated a key that is extractable or not sensitive; it was destroyed.`,
          { details: { token: token.label, key: label } },
        );
      }
      const point = readAttributes(binding, session, pair.publicKey, [CK.CKA_EC_POINT]).get(CK.CKA_EC_POINT);
      const raw = point === undefined ? undefined : pointFromEcPoint(new Uint8Array(point), curve);
      if (raw === undefined) {
        destroy();
        throw new Pkcs11Error(
          'ERR_PKCS11_FAILED',
          `PKCS#11 token ${token.label} returned no readable CKA_EC_POINT for the new key; it was destroyed.`,
          { details: { token: token.label, key: label } },
        );
      }
      return Object.freeze({ label, id: idHex, curve, publicKey: spkiFromPoint(raw, curve) });
    },
  );
}

import { fromHex, toHex } from '@mdlkit/core/cbor';
import { Pkcs11Error } from '../errors/pkcs11-error.js';
import type { Attribute, Handle, Pkcs11Binding } from '../internal/binding.js';
import { CK } from '../internal/constants.js';
import { pointFromEcPoint, spkiFromPoint } from '../internal/spki.js';
import { curveFromEcParams, type Pkcs11Curve } from './curves.js';

/** Names a key on the token: by `CKA_LABEL`, by `CKA_ID`, or both (both must match). */
export interface Pkcs11KeySelector {
  /** The key's `CKA_LABEL`. */
  readonly label?: string;
  /** The key's `CKA_ID`, as bytes or hex. */
  readonly id?: Uint8Array | string;
}

/** @internal A private key found on the token, with its public key when the token holds one. */
export interface FoundKey {
  readonly handle: Handle;
  readonly curve: Pkcs11Curve;
  readonly label: string;
  /** `CKA_ID` in hex ('' when empty). */
  readonly id: string;
  /** DER SubjectPublicKeyInfo from the matching public key object, if there is one. */
  readonly publicKey: Uint8Array | undefined;
  readonly canSign: boolean;
}

/** @internal How a selector shows in messages and audit records. */
export function describeSelector(selector: Pkcs11KeySelector): string {
  const id =
    selector.id === undefined
      ? undefined
      : typeof selector.id === 'string'
        ? selector.id
        : toHex(selector.id);
  if (selector.label !== undefined && id !== undefined) return `${selector.label} (id ${id})`;
  return selector.label ?? `id ${id}`;
}

/** @internal Checks and normalises a selector. */
export function checkSelector(selector: Pkcs11KeySelector | undefined): { label?: string; id?: Uint8Array } {
  if (selector === undefined || (selector.label === undefined && selector.id === undefined)) {
    throw new Pkcs11Error('ERR_PKCS11_CONFIG_INVALID', 'Name the PKCS#11 key by label, id or both.');
  }
  const out: { label?: string; id?: Uint8Array } = {};
  if (selector.label !== undefined) {
    if (typeof selector.label !== 'string' || selector.label.length === 0 || selector.label.length > 256) {
      throw new Pkcs11Error('ERR_PKCS11_CONFIG_INVALID', 'A PKCS#11 key label is 1 to 256 characters.');
    }
    out.label = selector.label;
  }
  if (selector.id !== undefined) {
    let id: Uint8Array;
    try {
      id = typeof selector.id === 'string' ? fromHex(selector.id) : selector.id.slice();
    } catch (cause) {
      throw new Pkcs11Error('ERR_PKCS11_CONFIG_INVALID', 'A PKCS#11 key id is bytes or hex.', { cause });
    }
    if (id.length === 0 || id.length > 256) {
      throw new Pkcs11Error('ERR_PKCS11_CONFIG_INVALID', 'A PKCS#11 key id is 1 to 256 bytes.');
    }
    out.id = id;
  }
  return out;
}

/** @internal All objects matching the template (at most `limit`). */
export function findObjects(
  binding: Pkcs11Binding,
  session: Handle,
  template: Attribute[],
  limit: number,
): Handle[] {
  binding.C_FindObjectsInit(session, template);
  try {
    return binding.C_FindObjects(session, limit);
  } finally {
    binding.C_FindObjectsFinal(session);
  }
}

function selectorTemplate(cls: number, selector: { label?: string; id?: Uint8Array }): Attribute[] {
  const template: Attribute[] = [{ type: CK.CKA_CLASS, value: cls }];
  if (selector.label !== undefined) template.push({ type: CK.CKA_LABEL, value: selector.label });
  if (selector.id !== undefined) template.push({ type: CK.CKA_ID, value: Buffer.from(selector.id) });
  return template;
}

function readULong(value: Buffer | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (value.length === 8) return Number(value.readBigUInt64LE(0));
  if (value.length === 4) return value.readUInt32LE(0);
  return undefined;
}

/** @internal Attributes of one object; attributes the token does not have come back undefined. */
export function readAttributes(
  binding: Pkcs11Binding,
  session: Handle,
  object: Handle,
  types: readonly number[],
): Map<number, Buffer | undefined> {
  const out = new Map<number, Buffer | undefined>();
  // one call per attribute: a token answers CKR_ATTRIBUTE_TYPE_INVALID for the whole template when
  // one attribute is missing
  for (const type of types) {
    try {
      out.set(type, binding.C_GetAttributeValue(session, object, [{ type }])[0]?.value);
    } catch {
      out.set(type, undefined);
    }
  }
  return out;
}

/**
 * @internal Finds exactly one private key for the selector and reads its curve, label, id and —
 * from the public key object with the same `CKA_ID` (or label) — its public key.
 */
export function findKey(
  binding: Pkcs11Binding,
  session: Handle,
  selector: { label?: string; id?: Uint8Array },
  described: string,
  token: string,
): FoundKey {
  const found = findObjects(binding, session, selectorTemplate(CK.CKO_PRIVATE_KEY, selector), 2);
  if (found.length === 0) {
    throw new Pkcs11Error(
      'ERR_PKCS11_KEY_NOT_FOUND',
      `PKCS#11 token ${token} holds no private key ${described} (or the user may not see it).`,
      { details: { token, key: described } },
    );
  }
  if (found.length > 1) {
    throw new Pkcs11Error(
      'ERR_PKCS11_KEY_AMBIGUOUS',
      `PKCS#11 token ${token} holds more than one private key ${described}; name the key by its id.`,
      { details: { token, key: described } },
    );
  }
  const handle = found[0]!;
  const attrs = readAttributes(binding, session, handle, [
    CK.CKA_KEY_TYPE,
    CK.CKA_SIGN,
    CK.CKA_LABEL,
    CK.CKA_ID,
    CK.CKA_EC_PARAMS,
  ]);
  const keyType = readULong(attrs.get(CK.CKA_KEY_TYPE));
  const params = attrs.get(CK.CKA_EC_PARAMS);
  const curve = params === undefined ? undefined : curveFromEcParams(new Uint8Array(params));
  if ((keyType !== CK.CKK_EC && keyType !== CK.CKK_EC_EDWARDS) || curve === undefined) {
    throw new Pkcs11Error(
      'ERR_PKCS11_KEY_USAGE',
      `PKCS#11 key ${described} on token ${token} is not a P-256, P-384, P-521 or Ed25519 key; mdlkit signs with ` +
        'the ISO/IEC 18013-5 cipher suites.',
      { details: { token, key: described, keyType } },
    );
  }
  const label = attrs.get(CK.CKA_LABEL)?.toString('utf8') ?? '';
  const idBytes = attrs.get(CK.CKA_ID);
  const id = idBytes === undefined ? '' : toHex(new Uint8Array(idBytes));
  const signFlag = attrs.get(CK.CKA_SIGN);
  // the public half: same CKA_ID when the key has one (the PKCS#11 convention), else same label
  const publicSelector =
    idBytes !== undefined && idBytes.length > 0
      ? { id: new Uint8Array(idBytes) }
      : label.length > 0
        ? { label }
        : undefined;
  let publicKey: Uint8Array | undefined;
  if (publicSelector !== undefined) {
    const publics = findObjects(binding, session, selectorTemplate(CK.CKO_PUBLIC_KEY, publicSelector), 2);
    if (publics.length === 1) {
      const point = readAttributes(binding, session, publics[0]!, [CK.CKA_EC_POINT]).get(CK.CKA_EC_POINT);
      const raw = point === undefined ? undefined : pointFromEcPoint(new Uint8Array(point), curve);
      if (raw !== undefined) publicKey = spkiFromPoint(raw, curve);
    }
  }
  return { handle, curve, label, id, publicKey, canSign: signFlag === undefined || signFlag[0] !== 0 };
}

import { EncodedCbor } from '../cbor/encoded-cbor.js';
import type { CborEncodeOptions } from '../cbor/options.js';
import {
  asCoseMessage,
  asEncoded,
  asTextMap,
  type CoseMessageCbor,
  child,
  embeddedValue,
  invalid,
  req,
  textMap,
} from './internal/structure.js';

/**
 * `DeviceNameSpaces = { * NameSpace => DeviceSignedItems }`,
 * `DeviceSignedItems = { + DataElementIdentifier => DataElementValue }`
 */
export type DeviceNameSpaces = ReadonlyMap<string, ReadonlyMap<string, unknown>>;

/**
 * Exactly one of the two (ISO/IEC 18013-5 §9.1.3):
 *
 * ```cddl
 * DeviceAuth = {
 *   "deviceSignature" : DeviceSignature // "deviceMac" : DeviceMac,
 *   * tstr => RFU                          ; ed2
 * }
 * DeviceSignature = COSE_Sign1   ; payload nil, detached DeviceAuthenticationBytes
 * DeviceMac       = COSE_Mac0    ; payload nil, detached DeviceAuthenticationBytes
 * ```
 * The COSE messages are kept as decoded; parse them with `/cose`.
 */
export type DeviceAuth =
  | { readonly deviceSignature: CoseMessageCbor }
  | { readonly deviceMac: CoseMessageCbor };

/**
 * ```cddl
 * DeviceSigned = {
 *   "nameSpaces" : DeviceNameSpacesBytes,   ; #6.24(bstr .cbor DeviceNameSpaces)
 *   "deviceAuth" : DeviceAuth,
 *   * tstr => RFU                          ; ed2
 * }
 * ```
 * ISO/IEC 18013-5 §8.3.2.1.2.2; digest §2.4. `nameSpacesBytes` are the received bytes that go into
 * DeviceAuthentication unchanged.
 */
export interface DeviceSigned {
  /** DeviceNameSpacesBytes exactly as received / encoded. */
  readonly nameSpacesBytes: EncodedCbor;
  /** The decoded DeviceNameSpaces. */
  readonly nameSpaces: DeviceNameSpaces;
  readonly deviceAuth: DeviceAuth;
}

function parseDeviceNameSpaces(value: unknown, path: string): DeviceNameSpaces {
  const m = asTextMap(value, path);
  const out = new Map<string, ReadonlyMap<string, unknown>>();
  for (const [ns, items] of m) {
    const p = `${path}["${ns}"]`;
    const im = asTextMap(items, p);
    if (im.size === 0) invalid(p, 'at least one data element');
    out.set(ns, im);
  }
  return out;
}

/**
 * Parses a decoded `DeviceAuth` map.
 *
 * @example
 * ```ts
 * const auth = parseDeviceAuth(map); if ('deviceMac' in auth) parseCoseMac0(auth.deviceMac);
 * ```
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` when neither or both of deviceSignature /
 * deviceMac are present, or either is not a COSE message.
 */
export function parseDeviceAuth(value: unknown, path = 'deviceAuth'): DeviceAuth {
  const m = asTextMap(value, path);
  const sig = m.get('deviceSignature');
  const mac = m.get('deviceMac');
  if ((sig === undefined) === (mac === undefined))
    invalid(path, 'exactly one of deviceSignature or deviceMac');
  return sig !== undefined
    ? { deviceSignature: asCoseMessage(sig, child(path, 'deviceSignature'), 18) }
    : { deviceMac: asCoseMessage(mac, child(path, 'deviceMac'), 17) };
}

/**
 * Parses a decoded `DeviceSigned` map, keeping the received DeviceNameSpacesBytes.
 *
 * @example
 * ```ts
 * const ds = parseDeviceSigned(documentMap.get('deviceSigned'));
 * buildDeviceAuthenticationBytes({ …, deviceNameSpacesBytes: ds.nameSpacesBytes });
 * ```
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` with `details.path`.
 */
export function parseDeviceSigned(value: unknown, path = 'deviceSigned'): DeviceSigned {
  const m = asTextMap(value, path);
  const p = child(path, 'nameSpaces');
  const nameSpacesBytes = asEncoded(req(m, 'nameSpaces', path), p);
  return {
    nameSpacesBytes,
    nameSpaces: parseDeviceNameSpaces(embeddedValue(nameSpacesBytes, p), p),
    deviceAuth: parseDeviceAuth(req(m, 'deviceAuth', path), child(path, 'deviceAuth')),
  };
}

/**
 * Encodes DeviceNameSpaces as DeviceNameSpacesBytes (an empty map when nothing is device-signed).
 *
 * @example
 * ```ts
 * const nameSpacesBytes = encodeDeviceNameSpaces(new Map()); // d8 18 41 a0
 * ```
 * @throws {@link MdlError} `ERR_CBOR_UNENCODABLE`.
 */
export function encodeDeviceNameSpaces(
  nameSpaces: DeviceNameSpaces,
  options: CborEncodeOptions = {},
): EncodedCbor {
  return EncodedCbor.fromValue(new Map([...nameSpaces].map(([ns, items]) => [ns, new Map(items)])), options);
}

/**
 * The CBOR value of a `DeviceSigned` (uses `nameSpacesBytes` verbatim).
 * @example
 * ```ts
 * encodeCbor(deviceSignedToCbor(deviceSigned));
 * ```
 */
export function deviceSignedToCbor(deviceSigned: DeviceSigned): Map<string, unknown> {
  const auth = deviceSigned.deviceAuth;
  return textMap([
    ['nameSpaces', deviceSigned.nameSpacesBytes],
    [
      'deviceAuth',
      'deviceSignature' in auth
        ? textMap([['deviceSignature', auth.deviceSignature]])
        : textMap([['deviceMac', auth.deviceMac]]),
    ],
  ]);
}

import { EncodedCbor } from '../cbor/encoded-cbor.js';
import type { CborEncodeOptions } from '../cbor/options.js';
import {
  asCoseMessage,
  asEncoded,
  asFieldMap,
  asMap,
  asText,
  type CoseMessageCbor,
  child,
  embeddedItem,
  invalid,
  type Mutable,
  req,
  textMap,
} from './internal/structure.js';
import { type MdocParseOptions, overLimit, type ParseContext, parseContext } from './parse-options.js';

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
 * The COSE messages are kept as decoded; parse them with `/cose`. The `model` rules check that
 * exactly one is present with the shape of its COSE message ({@link CoseMessageCbor}); the
 * `verifier` rules keep what arrived (neither, both, any value) for device authentication to judge.
 */
export interface DeviceAuth {
  readonly deviceSignature?: unknown;
  readonly deviceMac?: unknown;
}

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

/**
 * `DeviceNameSpaces = { * NameSpace => DeviceSignedItems }`,
 * `DeviceSignedItems = { + DataElementIdentifier => DataElementValue }`
 */
function readDeviceNameSpaces(
  value: unknown,
  path: string,
  ctx: ParseContext,
  count: { elements: number },
): DeviceNameSpaces {
  const m = asMap(value, path);
  const { maxNameSpaces, maxElements } = ctx.limits;
  if (m.size > maxNameSpaces) {
    overLimit('ERR_LIMIT_NAMESPACES', 'too many device-signed namespaces', maxNameSpaces, m.size);
  }
  const out = new Map<string, ReadonlyMap<string, unknown>>();
  for (const [ns, items] of m) {
    const name = asText(ns, path, ctx.verifier);
    const p = `${path}["${name}"]`;
    const im = asMap(items, p);
    if (im.size === 0) invalid(p, 'at least one data element');
    count.elements += im.size;
    if (count.elements > maxElements) {
      overLimit('ERR_LIMIT_ELEMENTS', 'too many data elements', maxElements, count.elements);
    }
    const elements = new Map<string, unknown>();
    for (const [id, v] of im) elements.set(asText(id, p, ctx.verifier), v);
    out.set(name, elements);
  }
  return out;
}

/**
 * Parses a decoded `DeviceAuth` map.
 *
 * @example
 * ```ts
 * const auth = parseDeviceAuth(map); if (auth.deviceMac !== undefined) parseCoseMac0(auth.deviceMac);
 * ```
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` when (under the `model` rules) neither or both
 * of deviceSignature / deviceMac are present, or either is not a COSE message.
 */
export function parseDeviceAuth(value: unknown, path = 'deviceAuth', options?: MdocParseOptions): DeviceAuth {
  return readDeviceAuth(value, path, parseContext(options));
}

function readDeviceAuth(value: unknown, path: string, ctx: ParseContext): DeviceAuth {
  const m = asFieldMap(value, path, ctx.verifier);
  const sig = m.get('deviceSignature');
  const mac = m.get('deviceMac');
  if (ctx.verifier) {
    const out: Mutable<DeviceAuth> = {};
    if (sig !== undefined) out.deviceSignature = sig;
    if (mac !== undefined) out.deviceMac = mac;
    return out;
  }
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
 * @throws {@link MdlError} `ERR_STRUCTURE_INVALID` with `details.path`, `ERR_CBOR_*` for broken
 * DeviceNameSpacesBytes, `ERR_LIMIT_NAMESPACES` / `ERR_LIMIT_ELEMENTS` past the limits.
 */
export function parseDeviceSigned(
  value: unknown,
  path = 'deviceSigned',
  options?: MdocParseOptions,
): DeviceSigned {
  return readDeviceSigned(value, path, parseContext(options), { elements: 0 });
}

/** @internal {@link parseDeviceSigned} counting elements into `count` (one document's total). */
export function readDeviceSigned(
  value: unknown,
  path: string,
  ctx: ParseContext,
  count: { elements: number },
): DeviceSigned {
  const m = asFieldMap(value, path, ctx.verifier);
  const p = child(path, 'nameSpaces');
  const nameSpacesBytes = asEncoded(req(m, 'nameSpaces', path), p);
  const nameSpaces = readDeviceNameSpaces(embeddedItem(nameSpacesBytes, p, ctx.verifier), p, ctx, count);
  return {
    nameSpacesBytes,
    nameSpaces,
    deviceAuth: readDeviceAuth(req(m, 'deviceAuth', path), child(path, 'deviceAuth'), ctx),
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
      textMap([
        ['deviceSignature', auth.deviceSignature],
        ['deviceMac', auth.deviceMac],
      ]),
    ],
  ]);
}

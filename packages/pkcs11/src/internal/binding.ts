import { createRequire } from 'node:module';

/** @internal A PKCS#11 object or slot handle as the binding passes it (a `CK_ULONG` in a Buffer). */
export type Handle = Buffer;

/** @internal One attribute of a template. */
export interface Attribute {
  readonly type: number;
  readonly value?: number | boolean | string | Buffer;
}

/** @internal What `C_GetTokenInfo` returns (the fields mdlkit reads). */
export interface TokenInfo {
  readonly label: string;
  readonly serialNumber: string;
  readonly model: string;
  readonly manufacturerID: string;
  readonly flags: number;
  readonly maxSessionCount: number;
}

/**
 * The subset of the `pkcs11js` `PKCS11` class mdlkit calls, so a test can wrap the real binding (to
 * count calls in flight) and nothing outside this package sees `pkcs11js` types. Every method is the
 * binding's own: one PKCS#11 function, arguments as the binding takes them.
 */
export interface Pkcs11Binding {
  load(path: string): void;
  C_Initialize(options?: { flags?: number }): void;
  C_Finalize(): void;
  C_GetSlotList(tokenPresent?: boolean): Handle[];
  C_GetTokenInfo(slot: Handle): TokenInfo;
  C_GetMechanismList(slot: Handle): number[];
  C_GetMechanismInfo(
    slot: Handle,
    mechanism: number,
  ): { minKeySize: number; maxKeySize: number; flags: number };
  C_OpenSession(slot: Handle, flags: number): Handle;
  C_CloseSession(session: Handle): void;
  C_CloseAllSessions(slot: Handle): void;
  C_GetSessionInfo(session: Handle): { state: number; flags: number };
  C_Login(session: Handle, userType: number, pin?: string): void;
  C_Logout(session: Handle): void;
  C_FindObjectsInit(session: Handle, template: Attribute[]): void;
  C_FindObjects(session: Handle, maxObjectCount: number): Handle[];
  C_FindObjectsFinal(session: Handle): void;
  C_GetAttributeValue(
    session: Handle,
    object: Handle,
    template: Attribute[],
  ): { type: number; value?: Buffer }[];
  C_SignInit(session: Handle, mechanism: { mechanism: number }, key: Handle): void;
  C_SignAsync(session: Handle, data: Buffer, out: Buffer): Promise<Buffer>;
  C_GenerateKeyPairAsync(
    session: Handle,
    mechanism: { mechanism: number },
    publicTemplate: Attribute[],
    privateTemplate: Attribute[],
  ): Promise<{ publicKey: Handle; privateKey: Handle }>;
  C_DestroyObject(session: Handle, object: Handle): void;
}

interface Pkcs11Js {
  readonly PKCS11: new () => Pkcs11Binding;
}

/**
 * @internal A fresh, unloaded `pkcs11js` `PKCS11` instance. The native addon is required on first
 * use, so importing `@mdlkit/pkcs11` never loads it.
 */
export function newBinding(): Pkcs11Binding {
  const require = createRequire(import.meta.url);
  const pkcs11js = require('pkcs11js') as Pkcs11Js;
  return new pkcs11js.PKCS11();
}

/** @internal The PKCS#11 return-value name of a binding error (`CKR_PIN_INCORRECT` …), if it is one. */
export function ckrName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const message = (error as { message?: unknown }).message;
  if (typeof message !== 'string') return undefined;
  const match = /^(CKR_[A-Z0-9_]+)/.exec(message);
  return match?.[1];
}

/** @internal A handle as an unsigned integer (slot ids are shown to people this way). */
export function handleToBigInt(handle: Handle): bigint {
  if (handle.length === 8) return handle.readBigUInt64LE(0);
  if (handle.length === 4) return BigInt(handle.readUInt32LE(0));
  let n = 0n;
  for (let i = handle.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(handle[i]!);
  return n;
}

/** @internal Two handles name the same object / slot. */
export function sameHandle(a: Handle, b: Handle): boolean {
  return a.equals(b);
}

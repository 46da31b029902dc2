import { AwsError, validationError } from '../errors.js';

/** A decoded JSON request body. */
export type Input = Record<string, unknown>;

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** An optional string member; a non-string value is a serialization error, as in AWS. */
export function optString(input: Input, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new AwsError('SerializationException', `Member '${name}' must be a string`);
  }
  return value;
}

/** A required string member (`Member must not be null` otherwise). */
export function reqString(input: Input, name: string, limits?: { min?: number; max?: number }): string {
  const value = optString(input, name);
  if (value === undefined) {
    throw validationError(lowerFirst(name), 'Member must not be null', 'null');
  }
  const min = limits?.min ?? 1;
  if (value.length < min) {
    throw validationError(lowerFirst(name), `Member must have length greater than or equal to ${min}`);
  }
  if (limits?.max !== undefined && value.length > limits.max) {
    throw validationError(lowerFirst(name), `Member must have length less than or equal to ${limits.max}`);
  }
  return value;
}

/** An optional enum member checked against its value set. */
export function optEnum<T extends string>(input: Input, name: string, values: readonly T[]): T | undefined {
  const value = optString(input, name);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) {
    throw validationError(
      lowerFirst(name),
      `Member must satisfy enum value set: [${values.join(', ')}]`,
      value,
    );
  }
  return value as T;
}

/** A required enum member. */
export function reqEnum<T extends string>(input: Input, name: string, values: readonly T[]): T {
  const value = optEnum(input, name, values);
  if (value === undefined) throw validationError(lowerFirst(name), 'Member must not be null', 'null');
  return value;
}

/** An optional integer member. */
export function optInt(input: Input, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new AwsError('SerializationException', `Member '${name}' must be an integer`);
  }
  return value;
}

/** An optional boolean member. */
export function optBool(input: Input, name: string): boolean | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') {
    throw new AwsError('SerializationException', `Member '${name}' must be a boolean`);
  }
  return value;
}

/** An optional structure member. */
export function optObject(input: Input, name: string): Input | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new AwsError('SerializationException', `Member '${name}' must be a structure`);
  }
  return value as Input;
}

/** A required structure member. */
export function reqObject(input: Input, name: string): Input {
  const value = optObject(input, name);
  if (value === undefined) throw validationError(lowerFirst(name), 'Member must not be null', 'null');
  return value;
}

/** An optional list member. */
export function optList(input: Input, name: string): unknown[] | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    throw new AwsError('SerializationException', `Member '${name}' must be a list`);
  }
  return value;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Decodes a blob member (base64 in AWS JSON); invalid base64 is a serialization error. */
export function optBlob(input: Input, name: string): Uint8Array | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !BASE64.test(value)) {
    throw new AwsError('SerializationException', `Member '${name}' must be base64-encoded binary data`);
  }
  return new Uint8Array(Buffer.from(value, 'base64'));
}

/** A required blob member with AWS's length constraints. */
export function reqBlob(input: Input, name: string, limits: { min?: number; max: number }): Uint8Array {
  const value = optBlob(input, name);
  if (value === undefined) throw validationError(lowerFirst(name), 'Member must not be null', 'null');
  const min = limits.min ?? 1;
  if (value.length < min) {
    throw validationError(lowerFirst(name), `Member must have length greater than or equal to ${min}`);
  }
  if (value.length > limits.max) {
    throw validationError(lowerFirst(name), `Member must have length less than or equal to ${limits.max}`);
  }
  return value;
}

/** Encodes bytes for a blob member of a response. */
export function blob(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** AWS JSON timestamps are epoch seconds (fractional). */
export function timestamp(date: Date): number {
  return date.getTime() / 1000;
}

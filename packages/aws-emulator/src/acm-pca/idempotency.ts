import type { OperationContext } from '../context.js';
import { validationError } from '../errors.js';
import { type Input, optString } from '../internal/input.js';

/** AWS Private CA remembers an `IdempotencyToken` for five minutes (API reference, both operations). */
export const IDEMPOTENCY_WINDOW_MS: number = 5 * 60_000;

/** The model's pattern for `IdempotencyToken`: `[\u0009\u000A\u000D\u0020-\u00FF]*`. */
function matchesTokenPattern(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (!(c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c <= 0xff))) return false;
  }
  return true;
}

/**
 * Reads and checks `IdempotencyToken` (length 1..36 and the model's pattern, `ValidationException`
 * otherwise, as AWS answers a 41-character token).
 */
export function idempotencyToken(input: Input): string | undefined {
  const token = optString(input, 'IdempotencyToken');
  if (token === undefined) return undefined;
  if (token.length < 1) {
    throw validationError('idempotencyToken', 'Member must have length greater than or equal to 1', token);
  }
  if (token.length > 36) {
    throw validationError('idempotencyToken', 'Member must have length less than or equal to 36', token);
  }
  if (!matchesTokenPattern(token)) {
    throw validationError(
      'idempotencyToken',
      'Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]*',
      token,
    );
  }
  return token;
}

/** The ARN an earlier call with the same token returned within the last five minutes, if any. */
export function rememberedArn(context: OperationContext, key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  const seen = context.state.pca.idempotency.get(key);
  if (seen === undefined) return undefined;
  if (context.now().getTime() - seen.at.getTime() >= IDEMPOTENCY_WINDOW_MS) {
    context.state.pca.idempotency.delete(key);
    return undefined;
  }
  return seen.arn;
}

/** Records the ARN a call with this token returned. */
export function remember(context: OperationContext, key: string | undefined, arn: string): void {
  if (key === undefined) return;
  const seen = context.state.pca.idempotency;
  const now = context.now().getTime();
  if (seen.size >= 1024) {
    for (const [k, v] of seen) if (now - v.at.getTime() >= IDEMPOTENCY_WINDOW_MS) seen.delete(k);
  }
  seen.set(key, { arn, at: context.now() });
}

/**
 * An error the emulator sends on the wire the way AWS does: HTTP 400 (unless stated) with the body
 * `{"__type": "<Name>", "message": "..."}`. The SDK clients turn `__type` into the modeled exception
 * class (or a generic service exception whose `name` is `__type` for unmodeled names such as
 * `ThrottlingException`, `AccessDeniedException` and `ValidationException`).
 *
 * @example
 * ```ts
 * throw new AwsError('NotFoundException', `Key '${arn}' does not exist`);
 * ```
 */
export class AwsError extends Error {
  /** The AWS error name sent as `__type`. */
  readonly type: string;
  /** HTTP status code (400 for every client error AWS JSON services send). */
  readonly status: number;

  constructor(type: string, message: string, status = 400) {
    super(message);
    this.name = type;
    this.type = type;
    this.status = status;
  }
}

/**
 * The AWS JSON 1.1 form of a member-constraint violation, e.g.
 * `1 validation error detected: Value at 'message' failed to satisfy constraint: ...`.
 */
export function validationError(member: string, constraint: string, value?: string): AwsError {
  const shown = value === undefined ? 'Value' : `Value '${value}'`;
  return new AwsError(
    'ValidationException',
    `1 validation error detected: ${shown} at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

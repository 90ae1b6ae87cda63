/**
 * A mistake the user can fix (bad parameter, bad flag, unreadable run directory).
 * The CLI prints its message alone, without a stack trace; anything else is a bug and
 * is printed with its stack.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** Plain-object throwers (prometheus-query among them) become Errors with a useful message. */
export function toError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  try {
    return new Error(JSON.stringify(thrown));
  } catch {
    return new Error(String(thrown));
  }
}

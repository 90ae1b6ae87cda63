import type { ProbeTally } from '../types.ts';

/** A scan or lateral movement that failed or was aborted part-way; `partial` is what it had done by then. */
export class AttackError extends Error {
  override readonly name = 'AttackError';
  constructor(
    message: string,
    readonly partial: ProbeTally,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Throw an AbortError when `signal` has aborted: a step between two long ones checks in. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  const e = new Error('aborted');
  e.name = 'AbortError';
  throw e;
}

export function isAbort(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

/** An abort, as AbortSignal.throwIfAborted throws it (a DOMException named AbortError when aborted without a reason). */
export function isAbort(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

/**
 * Wait `millis`, or less when `signal` aborts (never rejects). Uses the global setTimeout,
 * so node:test mock timers drive it in tests.
 */
export function sleep(millis: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, millis));
    signal?.addEventListener('abort', done, { once: true });
  });
}

import { afterEach, beforeEach, mock } from 'node:test';
import { setLogSink } from '../../src/logger.ts';
import { setImmediate as nextMacrotask } from 'node:timers/promises';

// Virtual time for the traffic and exfiltration tests: node:test mock timers drive setTimeout
// and Date; after each small step the promise continuations the fired timers started are
// allowed to run (setImmediate is not mocked), so chains of awaits see the time they would.

export const T0_MILLIS = 1_800_000_000_000;

/** Mock setTimeout and Date, starting at T0_MILLIS. Pair with mock.timers.reset(). */
export function useVirtualTime(): void {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: T0_MILLIS });
}

/**
 * For a describe block of schedule tests: virtual time before each test, and the warnings and
 * errors logged during it (debug lines dropped) collected in `warnings`; both undone after it.
 */
export function virtualTimeCollectingWarnings(): { readonly warnings: string[] } {
  const state = { warnings: [] as string[] };
  let restoreLog: () => void = () => {};
  beforeEach(() => {
    useVirtualTime();
    state.warnings = [];
    restoreLog = setLogSink((level, m) => level !== 'debug' && state.warnings.push(m));
  });
  afterEach(() => {
    mock.timers.reset();
    restoreLog();
  });
  return {
    get warnings() {
      return state.warnings;
    },
  };
}

/** Let pending promise continuations run (a few macrotask turns). */
export async function settle(turns = 4): Promise<void> {
  for (let i = 0; i < turns; i++) await nextMacrotask();
}

/** Move virtual time forward by `millis`, in steps of `stepMillis`, settling after each. */
export async function advance(millis: number, stepMillis = 10): Promise<void> {
  await settle();
  for (let done = 0; done < millis; done += stepMillis) {
    mock.timers.tick(Math.min(stepMillis, millis - done));
    await settle();
  }
}

/** Virtual seconds since T0. */
export function virtualSeconds(): number {
  return (Date.now() - T0_MILLIS) / 1000;
}

/** A minimal fetch Response (what UserSession and exfiltrateViaApi read), without streams. */
export function fakeResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const bytes = new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body));
  return {
    status,
    ok: status < 400,
    headers: new Headers(headers),
    arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  } as unknown as Response;
}

import { SIDECAR_JOB } from './scrapeConfig.ts';

/** What readiness is checked against. */
export interface ReadinessProbe {
  /** Base URL of the server's HTTP API. */
  readonly url: string;
  /** Number of sidecars it must scrape. */
  readonly targets: number;
  /** Seconds queries trail "now" (see ManagedPrometheus.evaluationDelaySeconds). */
  readonly evaluationDelaySeconds: number;
}

const POLL_MILLIS = 200;
/** Polling once the first wait has run out: a server waiting for a dead sidecar may wait long. */
const SLOW_POLL_MILLIS = 1000;

/**
 * First start: resolves once every sidecar is up and a query at now − evaluationDelaySeconds
 * sees all of them (so the very first read does). Rejects as soon as `exited()` says how the
 * process ended (e.g. `exited with code 1 during start-up: <its output>`), or after `timeoutMillis`;
 * with the abort as soon as `signal` is aborted (an abort that did not reach the server, e.g. a
 * SIGTERM to munnin alone, would otherwise wait until it is ready).
 */
export async function waitUntilQueryable(probe: ReadinessProbe, timeoutMillis: number, exited: () => string | undefined, what: string, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    signal?.throwIfAborted();
    const how = exited();
    if (how !== undefined) throw new Error(`${what} ${how}`);
    if ((await allTargetsUp(probe.url, probe.targets)) === true && (await scrapedBy(probe.url, Date.now() / 1000 - probe.evaluationDelaySeconds)) >= probe.targets) return;
    if (Date.now() > deadline) {
      const state = await allTargetsUp(probe.url, probe.targets);
      throw new Error(`${what} did not scrape all ${probe.targets} sidecars within ${timeoutMillis} ms${state === true ? ' (targets up, data not yet queryable)' : `: ${state}`}`);
    }
    await sleep(POLL_MILLIS, signal);
  }
}

/**
 * After a restart: resolves true once the new process has scraped every sidecar (its
 * targets API reports them up: that is this process's own state, unlike queries, which
 * also see samples from before the crash), false as soon as `cancelled()` is true. Calls
 * `onSlow` once, with what is missing, when that takes longer than `slowAfterMillis`.
 */
export async function waitUntilScraping(probe: ReadinessProbe, slowAfterMillis: number, cancelled: () => boolean, onSlow: (state: string) => void): Promise<boolean> {
  const slowAt = Date.now() + slowAfterMillis;
  let slow = false;
  for (;;) {
    if (cancelled()) return false;
    const state = await allTargetsUp(probe.url, probe.targets);
    if (cancelled()) return false;
    if (state === true) return true;
    if (!slow && Date.now() > slowAt) {
      slow = true;
      onSlow(state);
    }
    await sleep(slow ? SLOW_POLL_MILLIS : POLL_MILLIS);
  }
}

/** True when /api/v1/targets lists every sidecar as up, else what is missing. */
export async function allTargetsUp(url: string, expected: number): Promise<true | string> {
  const body = await getJson(`${url}/api/v1/targets?state=active`);
  const targets = (body as { data?: { activeTargets?: unknown } } | undefined)?.data?.activeTargets;
  if (!Array.isArray(targets)) return 'targets API not answering yet';
  const down = targets.filter((t: { health?: unknown }) => t.health !== 'up') as { scrapeUrl?: unknown; health?: unknown; lastError?: unknown }[];
  if (targets.length >= expected && down.length === 0) return true;
  const detail = down.slice(0, 3).map((t) => `${String(t.scrapeUrl)} ${String(t.health)}${t.lastError ? ` (${String(t.lastError)})` : ''}`);
  return `${targets.length - down.length} of ${expected} targets up${detail.length ? `; ${detail.join('; ')}` : ''}`;
}

/** Number of sidecars whose scrape at or before `atSeconds` succeeded and is queryable. */
async function scrapedBy(url: string, atSeconds: number): Promise<number> {
  const query = encodeURIComponent(`count(up{job="${SIDECAR_JOB}"} == 1)`);
  const body = await getJson(`${url}/api/v1/query?query=${query}&time=${atSeconds.toFixed(3)}`);
  const value = (body as { data?: { result?: { value?: unknown[] }[] } } | undefined)?.data?.result?.[0]?.value?.[1];
  return typeof value === 'string' ? Number(value) : 0;
}

async function getJson(url: string): Promise<unknown> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return response.ok ? await response.json() : undefined;
  } catch {
    return undefined;
  }
}

/** Resolves after `millis`, or at once when `signal` is aborted (the caller checks it). */
function sleep(millis: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, millis);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

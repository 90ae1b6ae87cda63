import { UserError } from '../errors.ts';
import type { CounterSample, ScrapeTarget, TelemetryRead, TelemetrySource } from '../types.ts';
import { createIstioMapper, TelemetryDataError, type IstioMappingOptions } from './istioMapper.ts';
import { OutageLog } from './OutageLog.ts';
import { parseExposition } from './parseExposition.ts';
import { checkTargetUrl } from './scrapeConfig.ts';

export interface ScrapeSourceOptions extends IstioMappingOptions {
  /** Sidecar metrics endpoints, all read at every interval (at least one). */
  readonly targets: readonly ScrapeTarget[];
  /** Time-out of one sidecar scrape, whole body included, in milliseconds. Default 2000. */
  readonly scrapeTimeoutMillis?: number;
}

type Scraped = { readonly ok: true; readonly target: ScrapeTarget; readonly text: string } | { readonly ok: false; readonly target: ScrapeTarget; readonly reason: string };

/**
 * Reads every sidecar's Prometheus endpoint directly, all at once. A read is all or nothing:
 * one sidecar that cannot be read (refused, time-out, HTTP error, malformed text, a value
 * that is no counter) makes the whole read a fault naming it, because a partial read would
 * show that sidecar's edges as silent. A read is labelled with the time the last sidecar
 * answered (a few milliseconds after the requested time), a fault with the requested time.
 */
export function createScrapeSource(options: ScrapeSourceOptions): TelemetrySource {
  const targets = checkTargets(options.targets);
  const timeoutMillis = options.scrapeTimeoutMillis ?? 2000;
  if (!Number.isInteger(timeoutMillis) || timeoutMillis <= 0) {
    throw new UserError(`telemetry.scrapeTimeoutMillis must be a positive whole number of milliseconds, not ${JSON.stringify(timeoutMillis)}`);
  }
  const mapper = createIstioMapper(options);
  const keep = (sampleName: string) => mapper.istioNames.has(sampleName);
  const outage = new OutageLog(`scrape source (${targets.length} sidecars)`);
  let closed = false;

  /** Every sidecar read once: the counters labelled when the last one answered, or a fault naming what failed. */
  const collect = async (t: number): Promise<TelemetryRead> => {
    const askedAt = performance.now();
    const scraped = await Promise.all(targets.map((target) => scrape(target, timeoutMillis)));
    // Labelled when the last sidecar answered, not when asked: every byte the counters hold
    // then happened before the label, so an exfiltration that starts right at a boundary
    // can never be counted in the interval before its own.
    const answeredAt = t + (performance.now() - askedAt) / 1000;
    const failed = scraped.filter((s) => !s.ok);
    if (failed.length > 0) {
      const named = failed.slice(0, 3).map((s) => `${sidecarName(s.target)}: ${s.ok ? '' : s.reason}`);
      const more = failed.length > 3 ? `; and ${failed.length - 3} more` : '';
      return { kind: 'fault', t, reason: `${failed.length} of ${targets.length} sidecars unreadable: ${named.join('; ')}${more}` };
    }
    const samples: CounterSample[] = [];
    const seen = new Set<string>();
    for (const s of scraped) {
      if (!s.ok) continue;
      try {
        const origin = `${s.target.workload}@${s.target.url}`;
        for (const family of parseExposition(s.text, { keep })) {
          for (const sample of family.samples) {
            const counter = mapper.toSample(sample.name, sample.labels, sample.value, origin);
            if (!counter) continue;
            if (seen.has(counter.series)) throw new TelemetryDataError(`series exposed twice: ${counter.series}`);
            seen.add(counter.series);
            samples.push(counter);
          }
        }
      } catch (e) {
        return { kind: 'fault', t, reason: `${sidecarName(s.target)} sent unusable metrics: ${e instanceof Error ? e.message : String(e)}` };
      }
    }
    return { kind: 'read', t: answeredAt, samples };
  };

  return {
    kind: 'scrape',
    async read(t) {
      if (closed) return { kind: 'fault', t, reason: 'scrape source closed' };
      const read = await collect(t);
      if (read.kind === 'fault') outage.fault(read.t, read.reason);
      else outage.ok(read.t);
      return read;
    },
    // The recording's first read seeds its clock, and the first scrape of a sidecar pays for
    // its connection and for parsing code not yet compiled: on a loaded machine that made the
    // first interval 0.3 s shorter than the others (and its counts as much lower). A read
    // before the recording, whose answer nobody uses, pays for it instead.
    async warmUp() {
      if (!closed) await collect(Date.now() / 1000);
    },
    describe: () => ({ kind: 'scrape', targets: targets.length, reporter: mapper.reporter }),
    async close() {
      closed = true;
      outage.close();
    },
  };
}

async function scrape(target: ScrapeTarget, timeoutMillis: number): Promise<Scraped> {
  const deadline = AbortSignal.timeout(timeoutMillis);
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(target.url, { signal: deadline, headers: { accept: 'text/plain' } });
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        return { ok: false, target, reason: `HTTP ${response.status}` };
      }
      return { ok: true, target, text: await response.text() };
    } catch (e) {
      // A pooled keep-alive connection the sidecar has just closed fails at once; a fresh
      // connection tells whether the sidecar is really gone.
      if (attempt === 1 && !deadline.aborted && connectionLost(e)) continue;
      return { ok: false, target, reason: fetchFailure(e, timeoutMillis) };
    }
  }
}

function causeOf(e: unknown): { code?: unknown; message?: unknown } | undefined {
  return e instanceof Error ? (e.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
}

function connectionLost(e: unknown): boolean {
  const code = causeOf(e)?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE';
}

function fetchFailure(e: unknown, timeoutMillis: number): string {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return `no complete answer within ${timeoutMillis} ms`;
  const cause = causeOf(e);
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (connectionLost(e)) return `connection closed by the sidecar (${String(cause?.message ?? cause?.code)})`;
  if (typeof cause?.code === 'string') return typeof cause.message === 'string' ? `${cause.code}: ${cause.message}` : cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return e instanceof Error ? e.message : String(e);
}

function sidecarName(target: ScrapeTarget): string {
  return `sidecar ${target.workload} (${target.url})`;
}

function checkTargets(targets: readonly ScrapeTarget[] | undefined): readonly ScrapeTarget[] {
  if (!Array.isArray(targets) || targets.length === 0) throw new UserError('scrape source: no sidecar metrics endpoints (targets is empty)');
  for (const [i, target] of targets.entries()) checkTargetUrl(target, i);
  return [...targets];
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, sendJson } from './httpResponses.ts';
import { liveStream, type LiveStreamOptions } from './liveStream.ts';
import type { LiveHub } from './LiveHub.ts';
import { MAX_EDGES_PER_REQUEST, MAX_INTERVALS_PER_REQUEST, type RunCatalog } from './RunCatalog.ts';
import { handleSweepApi } from './sweepRoutes.ts';

export interface ApiContext {
  readonly catalog: RunCatalog;
  readonly hub: LiveHub;
  readonly stream?: LiveStreamOptions;
  /** Open live streams, ended when the server closes. */
  readonly streams: Set<() => void>;
}

/** What GET /api answers: the endpoints, for people and scripts finding their way. */
export const API_INDEX = {
  endpoints: {
    'GET /api/runs': 'runs in the data folder: name, date, duration, source, status, attacks, best detector',
    'GET /api/runs/{name}': `one run: run.json, interval count, gaps, the ${MAX_EDGES_PER_REQUEST} busiest edges and the edge count, events, replay summary`,
    'GET /api/runs/{name}/edges?from=0&count=1000': `edges [from, from + count), busiest first (count at most ${MAX_EDGES_PER_REQUEST}), with the total`,
    'GET /api/runs/{name}/snapshots?from=0&count=100': `intervals [from, from + count) as run-format lines (count at most ${MAX_INTERVALS_PER_REQUEST}), with the total so far; after an --inject replay (&variant=), with its injected bytes`,
    'GET /api/runs/{name}/events': 'events.ndjson (ground truth)',
    'GET /api/runs/{name}/alerts': 'replay/alerts.ndjson (empty when not replayed)',
    'GET /api/runs/{name}/report': 'the report charts as chart.js configurations (404 when not replayed)',
    'GET /api/sweeps': 'sweeps in the data folder (folders holding sweep.json, or the data folder itself): axes, progress',
    'GET /api/sweeps/{name}': 'one sweep: axes, progress, runs, comparison rows and F1 charts (chart.js configurations)',
    'GET /api/sweeps/{name}/runs/{run}[/...]': 'a run of the sweep, as /api/runs/{name}[/...]; ?variant= picks one of its replays',
    'GET /api/live?from=0&count=100': `the live experiment: run info, events, and the kept intervals [from, from + count) with their verdicts (count at most ${MAX_INTERVALS_PER_REQUEST}), with the total kept`,
    'GET /api/live/stream': 'Server-Sent Events: state, then the kept intervals and verdicts, then begin, snapshot, verdict, event, end',
  },
  note: 'read-only: nothing here changes files, runs commands or fetches from elsewhere',
} as const;

/** Route GET /api/... (segments already split on `/`, still percent-encoded). */
export async function handleApi(req: IncomingMessage, res: ServerResponse, rawSegments: readonly string[], query: URLSearchParams, ctx: ApiContext): Promise<void> {
  const segments = rawSegments.map(decodeSegment);
  const [first, name, part, ...rest] = segments;
  if (first === undefined || first === '') return sendJson(res, 200, API_INDEX);
  if (first === 'runs' && rest.length === 0) {
    if (name === undefined || name === '') {
      const { exists, runs } = await ctx.catalog.list();
      return sendJson(res, 200, { dataDir: ctx.catalog.dataDir, exists, runs });
    }
    switch (part) {
      case undefined:
        return sendJson(res, 200, await ctx.catalog.summary(name, variantParam(query)));
      case 'snapshots': {
        const { from, count } = pageParams(query, 100, MAX_INTERVALS_PER_REQUEST);
        return sendJson(res, 200, await ctx.catalog.intervals(name, from, count, variantParam(query)));
      }
      case 'edges': {
        const { from, count } = pageParams(query, MAX_EDGES_PER_REQUEST, MAX_EDGES_PER_REQUEST);
        return sendJson(res, 200, await ctx.catalog.edges(name, from, count));
      }
      case 'events':
        return sendJson(res, 200, { events: await ctx.catalog.events(name) });
      case 'alerts':
        return sendJson(res, 200, { alerts: await ctx.catalog.alerts(name, variantParam(query)) });
      case 'report':
        return sendJson(res, 200, await ctx.catalog.report(name, variantParam(query)));
    }
  }
  if (first === 'sweeps') return handleSweepApi(req, res, rawSegments.slice(1), query, ctx, handleApi);
  if (first === 'live' && part === undefined) {
    if (name === undefined) {
      const { from, count } = pageParams(query, 100, MAX_INTERVALS_PER_REQUEST);
      return sendJson(res, 200, livePage(ctx.hub, from, count));
    }
    if (name === 'stream') {
      const maxClients = ctx.stream?.maxClients ?? 20;
      if (ctx.streams.size >= maxClients) {
        res.setHeader('retry-after', '10');
        throw new HttpError(503, `too many live streams open (${maxClients}); try again later`);
      }
      const stop = liveStream(req, res, ctx.hub, ctx.stream);
      ctx.streams.add(stop);
      res.on('close', () => ctx.streams.delete(stop));
      return;
    }
  }
  throw new HttpError(404, `no such API endpoint: /api/${rawSegments.join('/')} (GET /api lists them)`);
}

/** `?variant=k%3D3`: which of a sweep run's replays (absent: the plain one, else the first). */
const variantParam = (query: URLSearchParams): string | undefined => query.get('variant') ?? undefined;

/** The live state with one page of its kept intervals and their verdicts: never the whole backlog in one answer. */
function livePage(hub: LiveHub, from: number, count: number): unknown {
  const state = hub.state();
  const snapshots = state.snapshots.slice(from, from + count);
  const first = snapshots[0]?.t ?? Number.POSITIVE_INFINITY;
  const last = snapshots[snapshots.length - 1]?.t ?? Number.NEGATIVE_INFINITY;
  return { ...state, from, totalIntervals: state.snapshots.length, snapshots, verdicts: state.verdicts.filter((v) => v.t >= first && v.t <= last) };
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new HttpError(400, `malformed percent-encoding in ${JSON.stringify(s.slice(0, 80))}`);
  }
}

/**
 * `?from=&count=` of a paged endpoint, both checked before answering: one 400 names every bad
 * parameter (`from: …; count: …`), so a script's author fixes them in one go.
 */
function pageParams(query: URLSearchParams, countFallback: number, countMax: number): { from: number; count: number } {
  const from = intParam(query, 'from', 0, 0, Number.MAX_SAFE_INTEGER);
  const count = intParam(query, 'count', countFallback, 1, countMax);
  const problems = [from, count].filter((p): p is string => typeof p === 'string');
  if (problems.length > 0) throw new HttpError(400, problems.join('; '));
  return { from: from as number, count: count as number };
}

/** The parameter's value, or what is wrong with it (a message naming it and the value given). */
function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number | string {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(Number.isSafeInteger(n) && n >= min && n <= max)) return `${name}: expected a whole number from ${min} to ${max} (got ${JSON.stringify(raw.slice(0, 40))})`;
  return n;
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiContext } from './apiRoutes.ts';
import { HttpError, sendJson } from './httpResponses.ts';
import type { RunCatalog } from './RunCatalog.ts';
import { SweepCatalog } from './SweepCatalog.ts';

type RunsHandler = (req: IncomingMessage, res: ServerResponse, rawSegments: readonly string[], query: URLSearchParams, ctx: ApiContext) => Promise<void>;

// One sweep catalog per run catalog (one per dashboard), made on first use.
const sweepCatalogs = new WeakMap<RunCatalog, SweepCatalog>();

/**
 * GET /api/sweeps: the sweeps; /api/sweeps/{name}: one sweep (axes, progress, comparison,
 * F1 charts, runs); /api/sweeps/{name}/runs/{run}[/...]: its runs, answered exactly as
 * /api/runs/... is for the data folder's own (same handler, the sweep folder as catalog).
 */
export async function handleSweepApi(req: IncomingMessage, res: ServerResponse, rawSegments: readonly string[], query: URLSearchParams, ctx: ApiContext, runs: RunsHandler): Promise<void> {
  let sweeps = sweepCatalogs.get(ctx.catalog);
  if (!sweeps) {
    sweeps = new SweepCatalog(ctx.catalog.dataDir, ctx.catalog);
    sweepCatalogs.set(ctx.catalog, sweeps);
  }
  const [rawName, part, ...rest] = rawSegments;
  if (rawName === undefined || rawName === '') return sendJson(res, 200, { dataDir: ctx.catalog.dataDir, sweeps: await sweeps.list() });
  const name = decode(rawName);
  if (part === undefined) return sendJson(res, 200, await sweeps.summary(name));
  if (part === 'runs') return runs(req, res, ['runs', ...rest], query, { ...ctx, catalog: await sweeps.runCatalog(name) });
  throw new HttpError(404, `no such API endpoint: /api/sweeps/${rawSegments.join('/')} (GET /api lists them)`);
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw new HttpError(400, `malformed percent-encoding in ${JSON.stringify(s.slice(0, 80))}`);
  }
}

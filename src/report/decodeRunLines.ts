import { UserError } from '../errors.ts';
import type { EdgeSample, MetricKey, RunEvent, RunManifest, Snapshot } from '../types.ts';

// Validation of the run files the report reads (run-format.md), with messages naming
// the file, line and field. Fields the format does not know are ignored.

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Check a parsed run.json: `format`, `intervalSeconds` and `metrics` are required. */
export function decodeManifest(value: unknown, file: string): RunManifest {
  if (!isObject(value)) throw new UserError(`${file}: expected a JSON object (got ${show(value)})`);
  if (value['format'] !== 'munnin-run/1') throw new UserError(`${file}: format: expected "munnin-run/1" (got ${show(value['format'])})`);
  const interval = value['intervalSeconds'];
  if (!isNumber(interval) || interval <= 0) throw new UserError(`${file}: intervalSeconds: expected a positive number (got ${show(interval)})`);
  const metrics = value['metrics'];
  if (!Array.isArray(metrics) || metrics.length === 0 || metrics.some((m) => typeof m !== 'string' || m === '')) {
    throw new UserError(`${file}: metrics: expected a non-empty list of metric keys (got ${show(metrics)})`);
  }
  const services = value['services'];
  if (services !== undefined && (!Array.isArray(services) || services.some((s) => typeof s !== 'string'))) {
    throw new UserError(`${file}: services: expected a list of node names (got ${show(services)})`);
  }
  return value as RunManifest;
}

/** Check one parsed line of snapshots.ndjson, keeping the manifest's metrics. */
export function decodeSnapshot(value: unknown, metrics: readonly MetricKey[], where: string): Snapshot {
  if (!isObject(value)) throw new UserError(`${where}: expected a JSON object (got ${show(value)})`);
  const { t, dt, gap } = value;
  if (!isNumber(t)) throw new UserError(`${where}: t: expected Unix seconds (got ${show(t)})`);
  if (!isNumber(dt) || dt <= 0) throw new UserError(`${where}: dt: expected a positive number of seconds (got ${show(dt)})`);
  if (gap !== undefined && typeof gap !== 'boolean') throw new UserError(`${where}: gap: expected true or false (got ${show(gap)})`);
  if (gap === true) return { t, dt, gap: true, edges: [] };
  const raw = value['edges'] ?? [];
  if (!Array.isArray(raw)) throw new UserError(`${where}: edges: expected an array (got ${show(raw)})`);
  const edges: EdgeSample[] = raw.map((e: unknown, i): EdgeSample => {
    if (!isObject(e) || typeof e['src'] !== 'string' || typeof e['dst'] !== 'string') {
      throw new UserError(`${where}: edges[${i}]: expected {"src": ..., "dst": ..., metrics} (got ${show(e)})`);
    }
    const values: Record<MetricKey, number> = {};
    for (const m of metrics) {
      const v = e[m];
      if (v === undefined) continue;
      if (!isNumber(v) || v < 0) throw new UserError(`${where}: edges[${i}].${m}: expected a non-negative number (got ${show(v)})`);
      values[m] = v;
    }
    return { src: e['src'], dst: e['dst'], values };
  });
  return { t, dt, gap: false, edges };
}

/** Check one parsed line of events.ndjson: `kind`, `start` and `end` are required. */
export function decodeEvent(value: unknown, where: string): RunEvent {
  if (!isObject(value)) throw new UserError(`${where}: expected a JSON object (got ${show(value)})`);
  if (typeof value['kind'] !== 'string') throw new UserError(`${where}: kind: expected a string (got ${show(value['kind'])})`);
  if (!isNumber(value['start'])) throw new UserError(`${where}: start: expected Unix seconds (got ${show(value['start'])})`);
  if (!isNumber(value['end'])) throw new UserError(`${where}: end: expected Unix seconds (got ${show(value['end'])})`);
  const path = value['path'];
  if (path !== undefined && (!Array.isArray(path) || path.some((p) => typeof p !== 'string'))) {
    throw new UserError(`${where}: path: expected a list of node names (got ${show(path)})`);
  }
  return value as RunEvent;
}

import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import type { RunManifest } from '../types.ts';
import { describeFsError } from './fsErrors.ts';
import { describeValue } from './lineReporting.ts';
import { parseJsonFile } from './jsonSyntaxError.ts';

/** The format string this reader understands (run-format.md). */
export const RUN_FORMAT = 'munnin-run/1';

/**
 * Read and check a run's run.json. Only `format`, `intervalSeconds` and `metrics` are
 * required; every other field is kept as read. Problems are user errors naming the file
 * and the field.
 */
export async function readManifest(dir: string): Promise<RunManifest> {
  await requireRunDirectory(dir);
  const file = join(dir, 'run.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (isNotFound(e)) throw new UserError(`${file}: not found (is ${dir} a run directory?)`);
    throw describeFsError(e, file, 'be read', '');
  }
  // A byte-order mark (some Windows editors write one) is not JSON, and not a mistake either.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return checkManifest(parseJsonFile(text, file), file);
}

/** Validate a parsed run.json; `file` names it in messages, every problem at once. */
function checkManifest(value: unknown, file = 'run.json'): RunManifest {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UserError(`${file}: expected a JSON object`);
  const o = value as Record<string, unknown>;
  const problems: string[] = [];
  const format = o['format'];
  if (format === undefined) problems.push(`format: missing (expected "${RUN_FORMAT}")`);
  else if (format !== RUN_FORMAT) problems.push(`format: expected "${RUN_FORMAT}" (got ${JSON.stringify(format)})`);
  const interval = o['intervalSeconds'];
  if (interval === undefined) problems.push('intervalSeconds: missing (expected a positive number of seconds)');
  else if (typeof interval !== 'number' || !Number.isFinite(interval) || interval <= 0) {
    problems.push(`intervalSeconds: expected a positive number of seconds (got ${describeValue(interval)})`);
  }
  const metrics = o['metrics'];
  if (metrics === undefined) problems.push('metrics: missing (expected a list of metric keys, e.g. ["requests", "response_bytes"])');
  else if (!Array.isArray(metrics) || metrics.length === 0) problems.push(`metrics: expected a non-empty list of metric keys (got ${JSON.stringify(metrics)})`);
  else {
    metrics.forEach((m: unknown, i) => {
      if (typeof m !== 'string' || m === '' || m === 'src' || m === 'dst') problems.push(`metrics[${i}]: expected a metric key (got ${JSON.stringify(m)})`);
    });
  }
  const services = o['services'];
  if (services !== undefined && (!Array.isArray(services) || services.some((s) => typeof s !== 'string'))) {
    problems.push(`services: expected a list of node names (got ${JSON.stringify(services).slice(0, 80)})`);
  }
  if (problems.length === 1) throw new UserError(`${file}: ${problems[0]}`);
  if (problems.length > 1) throw new UserError(`${file}: ${problems.length} problems:\n  ${problems.join('\n  ')}`);
  return o as RunManifest;
}

async function requireRunDirectory(dir: string): Promise<void> {
  try {
    const s = await stat(dir);
    if (!s.isDirectory()) throw new UserError(`${dir}: not a directory (expected a run directory holding run.json)`);
  } catch (e) {
    if (e instanceof UserError) throw e;
    if (isNotFound(e)) throw new UserError(`${dir}: no such run directory`);
    throw new UserError(`${dir}: cannot be read: ${(e as Error).message}`);
  }
}

export function isNotFound(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'ENOENT';
}


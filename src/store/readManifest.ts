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
 * and the field. An optional field of the wrong type (`name`, `complete`), which the spec lets
 * a reader do without, is left out and told to `warn` (the reader that reports the run's
 * problems passes one; others read quietly).
 */
export async function readManifest(dir: string, options: { readonly warn?: (message: string) => void } = {}): Promise<RunManifest> {
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
  return checkManifest(parseJsonFile(text, file), file, options.warn);
}

/** Validate a parsed run.json; `file` names it in messages, every problem at once. */
function checkManifest(value: unknown, file = 'run.json', warn?: (message: string) => void): RunManifest {
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
  // Optional fields a reader can do without: a wrong type is left out (the folder names the
  // run; a run not marked complete is read like any other), with a word.
  const ignored: string[] = [];
  if (o['name'] !== undefined && typeof o['name'] !== 'string') ignored.push(`name: expected a string (got ${describeValue(o['name'])}); ignored, the folder's name is used`);
  if (o['complete'] !== undefined && typeof o['complete'] !== 'boolean') ignored.push(`complete: expected true or false (got ${describeValue(o['complete'])}); ignored, the run is read as not marked complete`);
  if (ignored.length === 0) return o as RunManifest;
  for (const w of ignored) warn?.(`${file}: ${w}`);
  const kept: Record<string, unknown> = { ...o };
  if (typeof kept['name'] !== 'string') delete kept['name'];
  if (typeof kept['complete'] !== 'boolean') delete kept['complete'];
  return kept as RunManifest;
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


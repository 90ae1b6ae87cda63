import { join } from 'node:path';
import { access } from 'node:fs/promises';
import type { RunEvent } from '../types.ts';
import { eventKindWarnings } from './eventKindWarnings.ts';
import { BadLines, describeValue, readerLog } from './lineReporting.ts';
import { overlongProblem, readLines } from './readLines.ts';

/**
 * Read a run's events.ndjson (ground truth). A run without the file has no events. Bad lines
 * are reported with file:line and skipped; a last line cut off mid-write is ignored quietly.
 * Fields this reader does not know are kept as read. Kinds it does not know are kept too, but
 * said, as for an `--events` file (eventKindWarnings): a misspelt attack would otherwise be
 * dropped from the ground truth without a word.
 */
export async function readEvents(dir: string, options: { readonly quiet?: boolean; readonly onBadLines?: ((count: number) => void) | undefined } = {}): Promise<RunEvent[]> {
  const file = join(dir, 'events.ndjson');
  const say = readerLog(options.quiet);
  try {
    await access(file);
  } catch {
    say.warn(`${file}: not found; the run has no ground truth (every interval counts as benign)`);
    return [];
  }
  const events: RunEvent[] = [];
  const kinds: { kind: string; line: number }[] = [];
  // The first 10 bad lines reported each, then their count.
  const bad = new BadLines(file, say);
  let ignoredSaid = false;
  for await (const line of readLines(file)) {
    if (line.overlongChars !== undefined) {
      say.warn(`${file}:${line.number}: ${overlongProblem(line.overlongChars)}; line skipped`);
      continue;
    }
    if (line.text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch (e) {
      if (!line.terminated) {
        say.info(`${file}:${line.number}: last line is incomplete (run interrupted while writing it); ignored`);
        continue;
      }
      bad.warn(`${file}:${line.number}: not valid JSON (${(e as Error).message}); line skipped`);
      continue;
    }
    const checked = checkEvent(value);
    if (typeof checked === 'string') bad.warn(`${file}:${line.number}: ${checked}; line skipped`);
    else {
      events.push(checked);
      kinds.push({ kind: checked.kind, line: line.number });
      const ignored = ignoredSaid ? undefined : ignoredEventField(value);
      if (ignored !== undefined) {
        ignoredSaid = true;
        say.warn(`${file}:${line.number}: ${ignored} (said for the first such line only)`);
      }
    }
  }
  bad.finish();
  for (const warning of eventKindWarnings(file, kinds, { emptyIsBenign: true })) say.warn(warning);
  options.onBadLines?.(bad.count);
  return events;
}

/**
 * A parsed line → RunEvent, or everything that is wrong with it (each field and value, `; `
 * between them). `path`, `bytes` and `method` are optional detail (run-format.md): one of the
 * wrong type is left out and the event kept (ignoredEventField says so), since dropping the
 * attack would score its interval benign. `strictDetail` (an `--events` file, refused whole at
 * any mistake, as documented) makes a bad `path` or `bytes` a mistake of the line instead; a
 * line refused for its required fields lists them too.
 */
export function checkEvent(value: unknown, options: { readonly strictDetail?: boolean } = {}): RunEvent | string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `expected a JSON object (got ${describeValue(value)})`;
  const o = value as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof o['kind'] !== 'string' || o['kind'] === '') problems.push(`kind: expected a string such as "exfiltration" (got ${describeValue(o['kind'])})`);
  const start = o['start'];
  const end = o['end'];
  const startValid = typeof start === 'number' && Number.isFinite(start);
  const endValid = typeof end === 'number' && Number.isFinite(end);
  if (!startValid) problems.push(`start: expected Unix seconds (got ${describeValue(start)})`);
  if (!endValid) problems.push(`end: expected Unix seconds (got ${describeValue(end)})`);
  else if (startValid && end < start) problems.push(`end: must not come before start (${start}) (got ${end})`);
  const bad = badDetail(o);
  // A line refused anyway has every mistake listed, its detail's too.
  if (options.strictDetail || problems.length > 0) problems.push(...bad.filter((d) => d.field !== 'method').map((d) => d.problem));
  if (problems.length > 0) return problems.join('; ');
  if (bad.length === 0) return o as RunEvent;
  // Optional detail of the wrong type: the event stands without it (ignoredEventField says so).
  const kept: Record<string, unknown> = { ...o };
  for (const d of bad) delete kept[d.field];
  return kept as RunEvent;
}

/** What checkEvent leaves out of a valid event, for the reader to say: its optional fields of the wrong type (with strictDetail, `method` only). */
export function ignoredEventField(value: unknown, options: { readonly strictDetail?: boolean } = {}): string | undefined {
  const ignored = badDetail(value as Record<string, unknown>).filter((d) => !options.strictDetail || d.field === 'method');
  return ignored.length === 0 ? undefined : `${ignored.map((d) => d.problem).join('; ')}; ignored, the event is kept`;
}

/** The optional detail fields present with the wrong type, each with what was expected and the value. */
function badDetail(o: Record<string, unknown>): { readonly field: 'bytes' | 'path' | 'method'; readonly problem: string }[] {
  const out: { field: 'bytes' | 'path' | 'method'; problem: string }[] = [];
  const bytes = o['bytes'];
  if (bytes !== undefined && (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0)) out.push({ field: 'bytes', problem: `bytes: expected a non-negative number (got ${describeValue(bytes)})` });
  const path = o['path'];
  if (path !== undefined && (!Array.isArray(path) || path.some((p) => typeof p !== 'string'))) out.push({ field: 'path', problem: `path: expected a list of node names (got ${describeValue(path)})` });
  const method = o['method'];
  if (method !== undefined && typeof method !== 'string') out.push({ field: 'method', problem: `method: expected a string such as "api" (got ${describeValue(method)})` });
  return out;
}

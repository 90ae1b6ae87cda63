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

/** A parsed line → RunEvent, or everything that is wrong with it (each field and value, `; ` between them). */
export function checkEvent(value: unknown): RunEvent | string {
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
  const bytes = o['bytes'];
  if (bytes !== undefined && (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0)) problems.push(`bytes: expected a non-negative number (got ${describeValue(bytes)})`);
  const path = o['path'];
  if (path !== undefined && (!Array.isArray(path) || path.some((p) => typeof p !== 'string'))) problems.push(`path: expected a list of node names (got ${describeValue(path)})`);
  if (problems.length > 0) return problems.join('; ');
  if (o['method'] === undefined || typeof o['method'] === 'string') return o as RunEvent;
  // Optional detail of the wrong type: the event stands without it (ignoredEventField says so).
  const kept: Record<string, unknown> = { ...o };
  delete kept['method'];
  return kept as RunEvent;
}

/** What checkEvent leaves out of a valid event, for the reader to say: a `method` that is not a string. */
export function ignoredEventField(value: unknown): string | undefined {
  const method = (value as Record<string, unknown>)['method'];
  return method === undefined || typeof method === 'string' ? undefined : `method: expected a string such as "api" (got ${describeValue(method)}); ignored, the event is kept`;
}

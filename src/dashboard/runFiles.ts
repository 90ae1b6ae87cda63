import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeAlert, decodeSummary, type AlertLine, type ReplaySummary } from '../report/index.ts';
import { checkEvent, describeFsError } from '../store/index.ts';
import type { RunEvent } from '../types.ts';

// A run's small files, read quietly for the dashboard: bad lines are counted and skipped
// (the replay and report commands are where they get reported line by line).

/** Text of a file, or undefined when it does not exist. */
export async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return undefined;
    // A folder where a file belongs, no permission: the run is unreadable, a 422 naming the file.
    throw describeFsError(e, file, 'be read', '');
  }
}

/**
 * Parsed JSON lines of a text. A last line without its newline is kept when it is whole (a
 * writer need not end the file with one) and left out, uncounted, when it does not parse: a
 * run killed mid-write, which run-format.md says a reader tolerates.
 */
export function jsonLines(text: string): { values: unknown[]; bad: number } {
  const lines = text.split('\n');
  const last = text.endsWith('\n') ? undefined : lines.pop();
  const values: unknown[] = [];
  let bad = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    try {
      values.push(JSON.parse(line));
    } catch {
      bad += 1;
    }
  }
  if (last !== undefined && last.trim() !== '') {
    try {
      values.push(JSON.parse(last));
    } catch {
      // Half written: not a bad line.
    }
  }
  return { values, bad };
}

/** events.ndjson (none when absent), with how many lines were not valid events. */
export async function readRunEvents(dir: string): Promise<{ events: RunEvent[]; badLines: number }> {
  const text = await readOptional(join(dir, 'events.ndjson'));
  if (text === undefined) return { events: [], badLines: 0 };
  const { values, bad } = jsonLines(text);
  const events: RunEvent[] = [];
  let badLines = bad;
  for (const v of values) {
    const e = checkEvent(v);
    if (typeof e === 'string') badLines += 1;
    else events.push(e);
  }
  return { events, badLines };
}

/** replay/summary.json (or replay/<variant>/summary.json): undefined when the run was not replayed; a problem when it is unreadable. */
export async function readReplaySummary(dir: string, variant = ''): Promise<{ readonly summary: ReplaySummary } | { readonly problem: string } | undefined> {
  const name = variant === '' ? 'replay/summary.json' : `replay/${variant}/summary.json`;
  const text = await readOptional(join(dir, name));
  if (text === undefined) return undefined;
  try {
    return { summary: decodeSummary(JSON.parse(text), name) };
  } catch (e) {
    return { problem: e instanceof SyntaxError ? `${name}: not valid JSON (${e.message})` : (e as Error).message };
  }
}

/** An alert as served: alerts.ndjson's line with its score and threshold kept (NaN/Infinity as strings). */
export type ServedAlert = AlertLine & { readonly dt?: number; readonly score?: number | string; readonly threshold?: number | string; readonly attack?: boolean };

/** replay/alerts.ndjson, or replay/<variant>/alerts.ndjson (empty when absent). */
export async function readReplayAlerts(dir: string, variant = ''): Promise<ServedAlert[]> {
  const text = await readOptional(variant === '' ? join(dir, 'replay', 'alerts.ndjson') : join(dir, 'replay', variant, 'alerts.ndjson'));
  if (text === undefined) return [];
  const alerts: ServedAlert[] = [];
  for (const v of jsonLines(text).values) {
    try {
      const a = decodeAlert(v, 'alerts.ndjson');
      const o = v as Record<string, unknown>;
      const pick = (x: unknown) => (typeof x === 'number' || typeof x === 'string' ? { value: x } : undefined);
      const score = pick(o['score']);
      const threshold = pick(o['threshold']);
      alerts.push({
        ...a,
        ...(typeof o['dt'] === 'number' ? { dt: o['dt'] } : {}),
        ...(score ? { score: score.value } : {}),
        ...(threshold ? { threshold: threshold.value } : {}),
        ...(typeof o['attack'] === 'boolean' ? { attack: o['attack'] } : {}),
      });
    } catch {
      // Skipped: the report command names bad alert lines.
    }
  }
  return alerts;
}

/**
 * The detector with the best F1 (AUC breaks ties and stands in when no F1 is known); none when
 * the replay scored no attack interval: F1 then measures no detection (0 for a detector with a
 * false alarm, null for one without), and that 0 must not rank it above those without. None
 * either when every detector missed every attack interval (see missedByAll): ranked by AUC,
 * one that caught nothing would be shown as the best.
 */
export function bestDetector(summary: ReplaySummary): { name: string; f1: number | null; auc: number | null } | undefined {
  if (scoredAttackIntervals(summary) === 0 || missedByAll(summary) !== undefined) return undefined;
  let best: { name: string; f1: number | null; auc: number | null } | undefined;
  for (const [name, d] of Object.entries(summary.detectors)) {
    const candidate = { name, f1: d.f1 ?? null, auc: d.auc ?? null };
    if (!best || rankedAbove(candidate, best)) best = candidate;
  }
  return best;
}

/** Whether `a` ranks above `b` as the best detector: higher F1, then higher AUC (an unknown one below any known). */
export function rankedAbove(a: { readonly f1: number | null; readonly auc: number | null }, b: { readonly f1: number | null; readonly auc: number | null }): boolean {
  const [f, bf] = [a.f1 ?? -1, b.f1 ?? -1];
  return f > bf || (f === bf && (a.auc ?? -1) > (b.auc ?? -1));
}

/**
 * What every detector missed when attack intervals were scored and none has F1 > 0 (no true
 * positive): 'every attack' when none detected an attack at all, 'every attack interval' when
 * some did only in a grace interval; undefined when some detector caught an attack interval.
 */
export function missedByAll(summary: ReplaySummary): 'every attack' | 'every attack interval' | undefined {
  const detectors = Object.values(summary.detectors);
  if (scoredAttackIntervals(summary) === 0 || detectors.some((d) => (d.f1 ?? 0) > 0)) return undefined;
  return detectors.some((d) => (d.events?.detected ?? 0) > 0) ? 'every attack interval' : 'every attack';
}

/** summary.json's attackIntervals; from the detectors' TP + FN when a writer left it out. */
function scoredAttackIntervals(summary: ReplaySummary): number {
  if (typeof summary.attackIntervals === 'number') return summary.attackIntervals;
  return Math.max(0, ...Object.values(summary.detectors).map((d) => (d.tp ?? 0) + (d.fn ?? 0)));
}

import { rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { from, lastValueFrom, toArray, type MonoTypeOperatorFunction } from 'rxjs';
import { UserError } from '../errors.ts';
import { describeValue } from '../store/lineReporting.ts';
import type { MetricKey, Snapshot } from '../types.ts';
import { DEFAULT_INJECTION_PATH, injectExfiltration, type InjectExfiltrationOptions } from './injectExfiltration.ts';
import type { InjectionSpec } from './runReplay.ts';

/**
 * What a replay injected (`--inject`, `--inject-path`, `--inject-metrics`, `--inject-requests`),
 * kept beside its results as injection.json: the report, the dashboard and the export redo the
 * injection from it, so they show the traffic the detectors saw, not the recording alone.
 * An addition to the replay folder: readers that do not know it ignore it.
 */
export interface ReplayInjection {
  readonly inject: readonly InjectionSpec[];
  /** Nodes the injected data flowed through; null: the default (DEFAULT_INJECTION_PATH). */
  readonly path: readonly string[] | null;
  /** Metric of each hop; null: chosen by hop (hopMetric). */
  readonly metrics: readonly MetricKey[] | null;
  readonly requestBytesPerByte: number;
}

export const INJECTION_FILE = 'injection.json';

/** Write injection.json into a replay folder, or remove an earlier one when nothing was injected. */
export function writeReplayInjection(replayDir: string, injection: ReplayInjection | undefined): void {
  const file = join(replayDir, INJECTION_FILE);
  if (injection === undefined || injection.inject.length === 0) rmSync(file, { force: true });
  else writeFileSync(file, `${JSON.stringify(injection, null, 2)}\n`);
}

/** A replay folder's injection.json; undefined when it has none (nothing injected, or a replay from before the file existed). */
export async function readReplayInjection(replayDir: string): Promise<ReplayInjection | undefined> {
  const file = join(replayDir, INJECTION_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return undefined;
    throw new UserError(`${file}: cannot read (${e instanceof Error ? e.message : String(e)})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  return decodeInjection(value, file);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNames = (v: unknown): v is string[] => Array.isArray(v) && v.every((n) => typeof n === 'string');

/** Every problem of the file at once, each with its field and value. */
function decodeInjection(value: unknown, file: string): ReplayInjection {
  if (!isRecord(value)) throw new UserError(`${file}: expected an object (got ${describeValue(value)})`);
  const problems: string[] = [];
  const { inject, path = null, metrics = null, requestBytesPerByte = 0 } = value;
  if (!Array.isArray(inject) || inject.length === 0) problems.push(`inject: expected a non-empty list (got ${describeValue(inject)})`);
  else {
    inject.forEach((spec: unknown, i) => {
      const s = isRecord(spec) ? spec : {};
      if (!(typeof s['bytesPerInterval'] === 'number' && s['bytesPerInterval'] > 0)) problems.push(`inject[${i}].bytesPerInterval: expected a positive number (got ${describeValue(s['bytesPerInterval'])})`);
      const at = s['at'];
      if (!Array.isArray(at)) problems.push(`inject[${i}].at: expected a list of windows (got ${describeValue(at)})`);
      else
        at.forEach((w: unknown, j) => {
          const ok = isRecord(w) && typeof w['startSeconds'] === 'number' && typeof w['endSeconds'] === 'number';
          if (!ok) problems.push(`inject[${i}].at[${j}]: expected {startSeconds, endSeconds} in seconds (got ${describeValue(w)})`);
        });
    });
  }
  if (path !== null && !isNames(path)) problems.push(`path: expected a list of node names or null (got ${describeValue(path)})`);
  if (metrics !== null && !isNames(metrics)) problems.push(`metrics: expected a list of metric keys or null (got ${describeValue(metrics)})`);
  if (!(typeof requestBytesPerByte === 'number' && requestBytesPerByte >= 0)) problems.push(`requestBytesPerByte: expected a number ≥ 0 (got ${describeValue(requestBytesPerByte)})`);
  if (problems.length > 0) throw new UserError(`${file}: ${problems.join('; ')}`);
  return { inject: inject as InjectionSpec[], path: path as string[] | null, metrics: metrics as MetricKey[] | null, requestBytesPerByte: requestBytesPerByte as number };
}

/** Per `--inject` flag, the callbacks runReplay listens with (its evaluator and warnings); readers need none. */
export type InjectionHooks = (spec: InjectionSpec) => Pick<InjectExfiltrationOptions, 'onEvent' | 'onRevised' | 'onSettled'>;

/**
 * The injection's steps, one injectExfiltration per `--inject` flag in flag order: what
 * runReplay pipes the run through, and what the report, dashboard and export redo from
 * injection.json. `runStartSeconds`: when the stream does not begin at the run's first interval
 * (a page of it), the run's start.
 */
export function injectionSteps(injection: ReplayInjection, run: { readonly intervalSeconds: number; readonly metrics: readonly MetricKey[] }, runStartSeconds?: number, hooks?: InjectionHooks): MonoTypeOperatorFunction<Snapshot>[] {
  return injection.inject.map((spec) =>
    injectExfiltration({
      path: injection.path ?? undefined,
      bytesPerInterval: spec.bytesPerInterval,
      intervalSeconds: run.intervalSeconds,
      at: spec.at,
      runMetrics: run.metrics,
      hopMetrics: injection.metrics ?? undefined,
      requestBytesPerByte: injection.requestBytesPerByte,
      runStartSeconds,
      ...hooks?.(spec),
    }),
  );
}

/** The injection as runReplay applied it (injectionSteps), as one operator; a mistake in the file is named with it. */
export function replayedInjection(injection: ReplayInjection, run: { readonly intervalSeconds: number; readonly metrics: readonly MetricKey[] }, file: string, runStartSeconds?: number): MonoTypeOperatorFunction<Snapshot> {
  try {
    const steps = injectionSteps(injection, run, runStartSeconds);
    return (snapshots) => steps.reduce((stream, step) => stream.pipe(step), snapshots);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(`${file}: ${e.message}`);
    throw e;
  }
}

/** `snapshots` with the replay's injected bytes added (see replayedInjection). */
export function injectedSnapshots(snapshots: readonly Snapshot[], injection: ReplayInjection, run: { readonly intervalSeconds: number; readonly metrics: readonly MetricKey[] }, file: string, runStartSeconds?: number): Promise<Snapshot[]> {
  return lastValueFrom(from(snapshots).pipe(replayedInjection(injection, run, file, runStartSeconds), toArray()));
}

/** One line for readers: what the injected bytes are (e.g. `30000 B per interval along user-db → user → front-end → 172.17.0.1`). */
export function describeInjection(injection: ReplayInjection): string {
  const path = (injection.path ?? DEFAULT_INJECTION_PATH).join(' → ');
  const rates = injection.inject.map((s) => `${s.bytesPerInterval} B per interval`).join(', ');
  return `${rates} along ${path}`;
}

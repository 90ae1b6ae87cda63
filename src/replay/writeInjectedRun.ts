import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, tap, type MonoTypeOperatorFunction } from 'rxjs';
import { UserError } from '../errors.ts';
import { readEvents, readManifest, snapshotToLine } from '../store/index.ts';
import type { MetricKey, RunEvent, Snapshot } from '../types.ts';
import { injectExfiltration } from './injectExfiltration.ts';
import { replayRun } from './replayRun.ts';
import { staleReads, type StaleRead } from './staleReads.ts';
import type { InjectionSpec } from './runReplay.ts';
import { writeRunCopyFiles } from './writeRunCopy.ts';

export interface InjectedRunOptions {
  /** The synthetic exfiltrations to add (as replay's --inject). */
  readonly inject: readonly InjectionSpec[];
  /** Route of the injected data (default user-db,user,front-end,external). */
  readonly path?: readonly string[] | undefined;
  /** Metric of each hop (default: by hop, see hopMetric). */
  readonly metrics?: readonly MetricKey[] | undefined;
  /** Request bytes the injected client sends per byte pulled (see injectExfiltration; default 0). */
  readonly requestBytesPerByte?: number | undefined;
  /** How the windows meet the intervals (see injectExfiltration's spread; default whole-intervals). */
  readonly spread?: 'whole-intervals' | 'pro-rata' | undefined;
  /** run.json `name` of the copy (default: the run's name + `-injected`). */
  readonly name?: string | undefined;
  /**
   * Slices read stale after the injection, as Munnin's converter wrote stale reads (staleReads):
   * a number is a slice's position (0-based, gaps counted), read stale in every metric (a gap, its
   * traffic in the next slice); `{ slice, metrics }` reads only those metrics stale. Default none.
   */
  readonly staleReads?: readonly (number | StaleRead)[] | undefined;
}

/**
 * Write a copy of a run with synthetic exfiltrations added, as replay's `--inject` adds them
 * while replaying (injectExfiltration: the same bytes on every hop), but kept on disk: a folder
 * of such copies, one per size, is a sweep that `npm run replay -- <folder>` compares. The copy's
 * events.ndjson holds the run's events and the injected ones (method "synthetic", injected:
 * true); its run.json says what was injected into which run (`injected`, a field readers that do
 * not know it ignore). Gaps stay gaps; bad lines of the original are left out, as a replay does.
 * With `staleReads`, the copy also has those slices read stale (after the injection, so an
 * attack's bytes move with its slice's traffic).
 */
export async function writeInjectedRun(runDir: string, outDir: string, options: InjectedRunOptions): Promise<{ readonly events: readonly RunEvent[] }> {
  const stale = options.staleReads ?? [];
  if (options.inject.length === 0 && stale.length === 0) throw new UserError('writeInjectedRun: nothing to inject');
  const manifest = await readManifest(runDir);
  const events: RunEvent[] = [...(await readEvents(runDir))];
  const injected: RunEvent[] = [];
  const steps: MonoTypeOperatorFunction<Snapshot>[] = options.inject.map((spec) =>
    injectExfiltration({ path: options.path, bytesPerInterval: spec.bytesPerInterval, intervalSeconds: manifest.intervalSeconds, at: spec.at, runMetrics: manifest.metrics, hopMetrics: options.metrics, requestBytesPerByte: options.requestBytesPerByte, spread: options.spread, onSettled: (windows) => injected.push(...windows.flatMap((w) => (w.injected ? [w.injected] : []))) }),
  );
  mkdirSync(outDir, { recursive: true });
  const fd = openSync(join(outDir, 'snapshots.ndjson'), 'w');
  try {
    let stream = replayRun(runDir);
    for (const step of steps) stream = stream.pipe(step);
    if (stale.length > 0) stream = stream.pipe(staleReads(stale));
    await lastValueFrom(stream.pipe(tap((s) => writeSync(fd, `${snapshotToLine(s)}\n`))), { defaultValue: undefined });
  } finally {
    closeSync(fd);
  }
  const all = [...events, ...injected].sort((a, b) => a.start - b.start);
  writeRunCopyFiles(runDir, outDir, {
    suffix: 'injected',
    name: options.name,
    events: all,
    injected: {
      inject: options.inject,
      path: options.path ?? null,
      metrics: options.metrics ?? null,
      requestBytesPerByte: options.requestBytesPerByte ?? 0,
      ...(options.spread ? { spread: options.spread } : {}),
      ...(stale.length > 0 ? { staleReads: stale } : {}),
    },
  });
  return { events: all };
}

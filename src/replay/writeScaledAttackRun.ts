import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { UserError } from '../errors.ts';
import { isAttack, overlaps } from '../evaluation/attackIntervals.ts';
import { readEvents, snapshotToLine } from '../store/index.ts';
import type { EdgeSample, RunEvent, Snapshot } from '../types.ts';
import { median } from '../median.ts';
import { replayRun } from './replayRun.ts';
import { edgeKey } from '../edgeKey.ts';
import { writeRunCopyFiles } from './writeRunCopy.ts';

/** How writeScaledAttackRun scales; every field but `factor` and `links` has a default. */
export interface ScaledAttackOptions {
  /** What each exfiltration's excess becomes: 1/3 turns a 30 kB attack into a 10 kB one. */
  readonly factor: number;
  /**
   * The links whose excess is scaled, each in both directions: the attack's hops whose counters
   * count the slice's bytes. Leave out hops a recording cannot show per slice (Munnin's database
   * edges count per connection since it opened: their baseline is not a slice's traffic).
   */
  readonly links: readonly (readonly [string, string])[];
  /** Non-attack slices whose median is an edge's baseline (default 6). */
  readonly baselineSlices?: number;
  /** Only slices this many apart (or a multiple) make a baseline: the phase of a repeating pattern (default 1: any). */
  readonly periodSlices?: number;
  /** run.json `name` of the copy (default: the run's name + `-scaled`). */
  readonly name?: string;
}

/**
 * Write a copy of a recorded attack run whose exfiltrations are scaled by `factor`: in each
 * attack's slices and the slice after each (the run format's grace interval, where an attack's
 * bytes may spill), every metric of the listed links becomes baseline + factor × excess, the
 * baseline being the median of the same edge and metric over the nearest `baselineSlices`
 * non-attack slices in the same phase of `periodSlices`, the excess what the slice holds above
 * it (a slice at or under its baseline is left as recorded: there is nothing of the attack to
 * scale). The events' `bytes` are scaled alike. So a real attack, requests and all, is replayed
 * at the sizes a run does not hold: a measurement of how its own signature fades, where an
 * injection (writeInjectedRun) adds bytes of a model's shape. Its run.json says so (`injected`,
 * with `scaledAttacks`), so a folder replay leaves the copy out of the false-alarm promise test
 * as it does injected copies. The estimate of the excess is only as good as the baseline: on a
 * busy edge a slice's benign swing is scaled with it.
 */
export async function writeScaledAttackRun(runDir: string, outDir: string, options: ScaledAttackOptions): Promise<{ readonly events: readonly RunEvent[] }> {
  const { factor, links, baselineSlices = 6, periodSlices = 1 } = options;
  if (!(factor >= 0) || !Number.isFinite(factor)) throw new UserError(`writeScaledAttackRun: factor must be a number ≥ 0 (got ${factor})`);
  const events = await readEvents(runDir);
  const attacks = events.filter((e) => isAttack(e) && e.kind === 'exfiltration');
  if (attacks.length === 0) throw new UserError(`${runDir}: no exfiltration to scale (events.ndjson)`);
  const slices = await lastValueFrom(replayRun(runDir).pipe(toArray()));
  const inAttack = new Set<number>();
  slices.forEach((s, k) => {
    if (!s.gap && attacks.some((a) => overlaps(s.t, s.dt, a))) inAttack.add(k).add(k + 1);
  });
  const scaled = new Set(links.flatMap(([a, b]) => [edgeKey(a, b), edgeKey(b, a)]));
  // Per slice, its edges by key: a baseline reads the same edge in a dozen slices.
  const byEdge = slices.map((s) => new Map(s.gap ? [] : s.edges.map((x) => [edgeKey(x.src, x.dst), x])));
  const value = (k: number, e: EdgeSample, metric: string): number | undefined => byEdge[k]!.get(edgeKey(e.src, e.dst))?.values[metric];
  const baseline = (k: number, e: EdgeSample, metric: string): number | undefined => {
    const near: number[] = [];
    for (let d = periodSlices; near.length < baselineSlices && (k - d >= 0 || k + d < slices.length); d += periodSlices) {
      for (const j of [k - d, k + d]) {
        if (j < 0 || j >= slices.length || inAttack.has(j) || near.length >= baselineSlices) continue;
        const v = value(j, e, metric);
        if (v !== undefined) near.push(v);
      }
    }
    return near.length === 0 ? undefined : median(near);
  };
  const copy: Snapshot[] = slices.map((s, k) => {
    if (s.gap || !inAttack.has(k)) return s;
    const edges = s.edges.map((e) => {
      if (!scaled.has(edgeKey(e.src, e.dst))) return e;
      const values: Record<string, number> = { ...e.values };
      for (const [metric, v] of Object.entries(e.values)) {
        const b = baseline(k, e, metric);
        if (b !== undefined && v > b) values[metric] = Math.round(b + factor * (v - b));
      }
      return { ...e, values };
    });
    return { ...s, edges };
  });
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'snapshots.ndjson'), copy.map((s) => `${snapshotToLine(s)}\n`).join(''));
  const out = events.map((e): RunEvent => {
    if (!attacks.includes(e)) return e;
    const requested = e['requestedBytes'];
    return {
      ...e,
      ...(typeof e.bytes === 'number' ? { bytes: Math.round(e.bytes * factor), scaledFrom: e.bytes } : {}),
      ...(typeof requested === 'number' ? { requestedBytes: Math.round(requested * factor) } : {}),
    };
  });
  writeRunCopyFiles(runDir, outDir, { suffix: 'scaled', name: options.name, events: out, injected: { scaledAttacks: { factor, links, baselineSlices, periodSlices } } });
  return { events: out };
}

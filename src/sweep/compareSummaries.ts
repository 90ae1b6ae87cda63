import { poolPromises, thresholdCaveat, type CaveatFields, type FalseAlarmPromise, type PooledPromise } from '../evaluation/index.ts';
import type { AxisValues } from './applyAxisValues.ts';
import { meanStd, type Stat } from './meanStd.ts';

/** The summary.json metrics a comparison aggregates. */
export const COMPARED_METRICS = ['tpr', 'fpr', 'f1', 'auc'] as const;
export type ComparedMetric = (typeof COMPARED_METRICS)[number];

/** One replay of one run: where it sits in the sweep and what each detector scored. */
export interface ReplayedSummary {
  readonly run: string;
  readonly repeat: number;
  /** Replay variant folder ('' for the plain replay/). */
  readonly variant: string;
  /** Values of every axis, experiment- and detector-side. */
  readonly axisValues: AxisValues;
  /** Injected bytes per interval; null without injection. */
  readonly injectBytesPerInterval: number | null;
  /** summary.json written. */
  readonly file: string;
  /** summary.json `detectors` (the counts only where it has them: they say whether a detector had no threshold where it mattered; its falseAlarmPromise where it has one). */
  readonly detectors: Readonly<Record<string, Readonly<Partial<Record<ComparedMetric, number | null>> & CaveatFields & { readonly falseAlarmPromise?: FalseAlarmPromise }>>>;
}

/** One detector at one combination of axis values (and injected rate), over the repeats. */
export type ComparisonRow = {
  readonly detector: string;
  readonly axisValues: AxisValues;
  readonly injectBytesPerInterval: number | null;
  /** Replays aggregated (one per repeat recorded). */
  readonly runs: number;
  /**
   * Of those, the ones where the detector had no threshold on every scored interval (never
   * judged: its FPR 0 says nothing) or on attack intervals (no alarm possible there): thresholdCaveat.
   */
  readonly uncalibratedRuns: number;
  /**
   * The runs' falseAlarmPromise pooled (poolPromises: each repeat is its own recording);
   * absent when a replay's summary lacks it or the detector promises no rate here (a fixed k).
   */
  readonly promise?: PooledPromise;
} & { readonly [M in ComparedMetric]: Stat };

/**
 * The one detector a parameter path changes (`detectors.options.<name>...`), or undefined when
 * it changes them all (experiment-side paths, `detectors.trainingSeconds`, ...).
 */
export function detectorOfPath(path: string): string | undefined {
  return /^detectors\.options\.([^.[\]]+)/.exec(path)?.[1];
}

/** An axis as the comparison needs it: its name, and the one detector it changes (if only one). */
export interface ComparedAxis {
  readonly name: string;
  readonly path?: string;
}

interface Group {
  readonly axisValues: AxisValues;
  readonly inject: number | null;
  readonly detector: string;
  readonly entries: ReplayedSummary[];
  readonly runs: Set<string>;
}

/** An axis value as a map key; absent (the axis does not change the row's detector) is its own. */
function valueKey(value: unknown): string {
  return value === undefined ? '-' : `v${JSON.stringify(value) ?? String(value)}`;
}

/**
 * The rank of each of an axis's values: ascending when they are all numbers (a sweep may list
 * them in any order, `--inject` flags too), else in the order first seen, which is the sweep's.
 */
function valueRanks(values: readonly unknown[]): Map<string, number> {
  const distinct = new Map<string, unknown>();
  for (const v of values) if (!distinct.has(valueKey(v))) distinct.set(valueKey(v), v);
  const list = [...distinct];
  const present = list.filter(([, v]) => v !== undefined);
  if (present.every(([, v]) => typeof v === 'number')) list.sort(([, a], [, b]) => (a === undefined ? -1 : b === undefined ? 1 : (a as number) - (b as number)));
  return new Map(list.map(([k], i) => [k, i]));
}

/**
 * Aggregate replays over repeats: one row per detector and combination of the values of the
 * axes that change it, and injected rate; each metric as mean ± sample std over the runs
 * where it is defined. An axis on one detector's options (`detectors.options.ewma.k`) leaves
 * the others unchanged: their rows leave that axis out (its value is absent from
 * `axisValues`), and each run counts once however many of its replays differ only there.
 * Rows are ordered by the swept values (numerically where an axis's values are all numbers,
 * else in the order they first appear) and the injected rate; detectors keep their order.
 */
export function compareSummaries(entries: readonly ReplayedSummary[], axes: readonly (string | ComparedAxis)[]): ComparisonRow[] {
  const list = axes.map((a) => (typeof a === 'string' ? { name: a } : a));
  const only = new Map(list.map((a) => [a.name, a.path === undefined ? undefined : detectorOfPath(a.path)]));
  const groups = new Map<string, Group>();
  for (const e of entries) {
    for (const detector of Object.keys(e.detectors)) {
      const axisValues: Record<string, unknown> = {};
      for (const { name } of list) {
        const target = only.get(name);
        if (target === undefined || target === detector) axisValues[name] = e.axisValues[name];
      }
      const key = JSON.stringify([list.map((a) => (a.name in axisValues ? ['v', axisValues[a.name]] : ['-'])), e.injectBytesPerInterval, detector]);
      let group = groups.get(key);
      if (group === undefined) {
        group = { axisValues, inject: e.injectBytesPerInterval, detector, entries: [], runs: new Set() };
        groups.set(key, group);
      }
      // The same run replayed with settings this detector ignores: the same numbers, counted once.
      if (group.runs.has(e.run)) continue;
      group.runs.add(e.run);
      group.entries.push(e);
    }
  }
  // Ordered by the values of the axes that change every detector (first axis slowest), then the
  // injected rate, then detector by detector (so one detector's rows for its own axis stand
  // together), then by that axis: each in the swept values' order, as the F1 charts' x axis.
  const shared = list.filter((a) => only.get(a.name) === undefined).map((a) => a.name);
  const own = list.filter((a) => only.get(a.name) !== undefined).map((a) => a.name);
  const all = [...groups.values()];
  const rank = new Map(list.map((a) => [a.name, valueRanks(all.map((g) => g.axisValues[a.name]))]));
  const byAxes = (names: readonly string[], a: Group, b: Group) => {
    for (const n of names) {
      const d = rank.get(n)!.get(valueKey(a.axisValues[n]))! - rank.get(n)!.get(valueKey(b.axisValues[n]))!;
      if (d !== 0) return d;
    }
    return 0;
  };
  const detectorOrder = new Map<string, number>();
  for (const g of all) if (!detectorOrder.has(g.detector)) detectorOrder.set(g.detector, detectorOrder.size);
  const ordered = all
    .map((g, i) => ({ g, i }))
    .sort((a, b) => byAxes(shared, a.g, b.g) || (a.g.inject ?? -1) - (b.g.inject ?? -1) || detectorOrder.get(a.g.detector)! - detectorOrder.get(b.g.detector)! || byAxes(own, a.g, b.g) || a.i - b.i);
  const rows: ComparisonRow[] = [];
  for (const { g: { detector, axisValues, inject, entries: used } } of ordered) {
    const stat = (m: ComparedMetric) => meanStd(used.map((e) => e.detectors[detector]?.[m] ?? null));
    const uncalibratedRuns = used.filter((e) => thresholdCaveat(e.detectors[detector] ?? {}) !== undefined).length;
    const promise = poolPromises(used.map((e) => e.detectors[detector]?.falseAlarmPromise));
    rows.push({ detector, axisValues, injectBytesPerInterval: inject, runs: used.length, uncalibratedRuns, tpr: stat('tpr'), fpr: stat('fpr'), f1: stat('f1'), auc: stat('auc'), ...(promise === undefined ? {} : { promise }) });
  }
  return rows;
}

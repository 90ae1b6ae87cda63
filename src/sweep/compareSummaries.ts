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
  /** summary.json `detectors`. */
  readonly detectors: Readonly<Record<string, Readonly<Partial<Record<ComparedMetric, number | null>>>>>;
}

/** One detector at one combination of axis values (and injected rate), over the repeats. */
export type ComparisonRow = {
  readonly detector: string;
  readonly axisValues: AxisValues;
  readonly injectBytesPerInterval: number | null;
  /** Replays aggregated (one per repeat recorded). */
  readonly runs: number;
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

/**
 * Aggregate replays over repeats: one row per detector and combination of the values of the
 * axes that change it, and injected rate; each metric as mean ± sample std over the runs
 * where it is defined. An axis on one detector's options (`detectors.options.ewma.k`) leaves
 * the others unchanged: their rows leave that axis out (its value is absent from
 * `axisValues`), and each run counts once however many of its replays differ only there.
 * Rows follow the order combinations first appear, detectors their order within it.
 */
export function compareSummaries(entries: readonly ReplayedSummary[], axes: readonly (string | ComparedAxis)[]): ComparisonRow[] {
  const list = axes.map((a) => (typeof a === 'string' ? { name: a } : a));
  const only = new Map(list.map((a) => [a.name, a.path === undefined ? undefined : detectorOfPath(a.path)]));
  const groups = new Map<string, { axisValues: AxisValues; inject: number | null; detector: string; entries: ReplayedSummary[]; runs: Set<string> }>();
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
  // Grouped by the values of the axes that change every detector (and rate), then detector
  // by detector, so one detector's rows for its own axis stand together.
  const shared = list.filter((a) => only.get(a.name) === undefined).map((a) => a.name);
  const sharedKey = (g: { axisValues: AxisValues; inject: number | null }) => JSON.stringify([shared.map((n) => g.axisValues[n]), g.inject]);
  const firstOf = new Map<string, number>();
  const detectorOrder = new Map<string, number>();
  for (const g of groups.values()) {
    if (!firstOf.has(sharedKey(g))) firstOf.set(sharedKey(g), firstOf.size);
    if (!detectorOrder.has(g.detector)) detectorOrder.set(g.detector, detectorOrder.size);
  }
  const ordered = [...groups.values()].map((g, i) => ({ g, i })).sort((a, b) => firstOf.get(sharedKey(a.g))! - firstOf.get(sharedKey(b.g))! || detectorOrder.get(a.g.detector)! - detectorOrder.get(b.g.detector)! || a.i - b.i);
  const rows: ComparisonRow[] = [];
  for (const { g: { detector, axisValues, inject, entries: used } } of ordered) {
    const stat = (m: ComparedMetric) => meanStd(used.map((e) => e.detectors[detector]?.[m] ?? null));
    rows.push({ detector, axisValues, injectBytesPerInterval: inject, runs: used.length, tpr: stat('tpr'), fpr: stat('fpr'), f1: stat('f1'), auc: stat('auc') });
  }
  return rows;
}

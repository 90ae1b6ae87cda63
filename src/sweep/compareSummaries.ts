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
 * Aggregate replays over repeats: one row per detector and combination of `axisNames` values
 * and injected rate, each metric as mean ± sample std over the runs where it is defined.
 * Rows follow the order combinations first appear, detectors their order within it.
 */
export function compareSummaries(entries: readonly ReplayedSummary[], axisNames: readonly string[]): ComparisonRow[] {
  const groups = new Map<string, { axisValues: AxisValues; inject: number | null; byDetector: Map<string, ReplayedSummary[]> }>();
  for (const e of entries) {
    const axisValues: Record<string, unknown> = {};
    for (const name of axisNames) axisValues[name] = e.axisValues[name];
    const key = JSON.stringify([axisNames.map((n) => axisValues[n]), e.injectBytesPerInterval]);
    let group = groups.get(key);
    if (group === undefined) {
      group = { axisValues, inject: e.injectBytesPerInterval, byDetector: new Map() };
      groups.set(key, group);
    }
    for (const detector of Object.keys(e.detectors)) {
      const list = group.byDetector.get(detector) ?? [];
      list.push(e);
      group.byDetector.set(detector, list);
    }
  }
  const rows: ComparisonRow[] = [];
  for (const group of groups.values()) {
    for (const [detector, list] of group.byDetector) {
      const stat = (m: ComparedMetric) => meanStd(list.map((e) => e.detectors[detector]?.[m] ?? null));
      rows.push({
        detector,
        axisValues: group.axisValues,
        injectBytesPerInterval: group.inject,
        runs: list.length,
        tpr: stat('tpr'),
        fpr: stat('fpr'),
        f1: stat('f1'),
        auc: stat('auc'),
      });
    }
  }
  return rows;
}

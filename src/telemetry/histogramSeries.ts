import { labelSetKey } from './labelSetKey.ts';
import type { ExpositionFamily } from './parseExposition.ts';

/** One label set of a histogram family, its _bucket, _sum and _count lines together. */
export interface HistogramSeries {
  /** The label set without `le`. */
  readonly labels: Readonly<Record<string, string>>;
  /** Cumulative buckets in the order they were exposed. */
  readonly buckets: readonly { readonly le: number; readonly count: number }[];
  readonly sum?: number;
  readonly count?: number;
}

/**
 * Group a histogram family by label set. Istio exposes one label set per edge under a
 * single family (istio_request_bytes), so each label set stays a series of its own.
 */
export function histogramSeries(family: ExpositionFamily): HistogramSeries[] {
  if (family.type !== 'histogram') throw new TypeError(`${family.name} is a ${family.type}, not a histogram`);
  const bySet = new Map<string, { labels: Record<string, string>; buckets: { le: number; count: number }[]; sum?: number; count?: number }>();
  for (const sample of family.samples) {
    const labels: Record<string, string> = Object.create(null) as Record<string, string>;
    let le: string | undefined;
    for (const name of Object.keys(sample.labels)) {
      if (name === 'le') le = sample.labels[name];
      else labels[name] = sample.labels[name] as string;
    }
    const key = labelSetKey(labels);
    let series = bySet.get(key);
    if (!series) {
      series = { labels, buckets: [] };
      bySet.set(key, series);
    }
    const suffix = sample.name.slice(family.name.length + 1);
    if (suffix === 'sum') series.sum = sample.value;
    else if (suffix === 'count') series.count = sample.value;
    else series.buckets.push({ le: le === undefined ? Number.NaN : le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le), count: sample.value });
  }
  return [...bySet.values()];
}

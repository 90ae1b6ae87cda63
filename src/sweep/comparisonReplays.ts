import { z } from 'zod';
import type { InjectionSpec } from '../replay/index.ts';
import { sweepAxisSchema, type SweepIndexAxis } from './sweepIndex.ts';

/** The `format` of a sweep replay's comparison.json. */
export const COMPARISON_FORMAT = 'munnin-sweep-comparison/1';

/** One replay a sweep's comparison.json lists: its run, its variant ('' for the plain replay/) and its summary.json, relative to the comparison's folder. */
export interface ComparisonReplay {
  readonly run: string;
  readonly variant: string;
  readonly summary: string | undefined;
}

/**
 * The replays a comparison.json text lists, for everything that must agree on which replays
 * belong to a sweep's latest replay (the dashboard's variant picker and best-of, the removal of
 * what an older sweep replay left). None when there is no text, it is not JSON, or not of
 * COMPARISON_FORMAT; entries without a run or variant name are skipped.
 */
export function comparisonReplays(text: string | undefined): ComparisonReplay[] {
  if (text === undefined) return [];
  let value: { format?: unknown; replays?: unknown };
  try {
    value = JSON.parse(text) as typeof value;
  } catch {
    return [];
  }
  if (value === null || typeof value !== 'object' || value.format !== COMPARISON_FORMAT || !Array.isArray(value.replays)) return [];
  return value.replays.flatMap((r: { run?: unknown; variant?: unknown; summary?: unknown }) =>
    typeof r?.run === 'string' && typeof r.variant === 'string' ? [{ run: r.run, variant: r.variant, summary: typeof r.summary === 'string' ? r.summary : undefined }] : [],
  );
}

const planSchema = z.looseObject({
  format: z.literal(COMPARISON_FORMAT),
  axes: z.array(sweepAxisSchema),
  inject: z.array(z.looseObject({ bytesPerInterval: z.number().positive(), at: z.array(z.looseObject({ startSeconds: z.number(), endSeconds: z.number() })).min(1) })).optional(),
});

/**
 * The axes and injected rates the latest sweep replay compared (its comparison.json), or
 * undefined without a readable one. A sweep may be replayed with other detector-side axes than
 * sweep.json records (parameters.ts's own `sweep`): its variant folders are then this plan's,
 * and whoever reads them (the export) must plan from it, not from sweep.json.
 */
export function comparisonPlan(text: string | undefined): { readonly axes: readonly SweepIndexAxis[]; readonly injections: readonly InjectionSpec[] } | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = planSchema.safeParse(value);
  if (!parsed.success) return undefined;
  return { axes: parsed.data.axes as SweepIndexAxis[], injections: (parsed.data.inject ?? []).map((i) => ({ bytesPerInterval: i.bytesPerInterval, at: i.at.map((w) => ({ startSeconds: w.startSeconds, endSeconds: w.endSeconds })) })) };
}

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

import { decodeSnapshotOrGap, encodeSnapshot, parseLineJson, type SnapshotLine } from '../store/index.ts';
import type { MetricKey, Snapshot } from '../types.ts';

/** One interval as the API serves it: a run-format line (only the run's metrics) with its position. */
export type IntervalLine = SnapshotLine & { readonly i: number };

/** A line that is not an interval at all (no readable `t`/`dt`), reported with its position. */
export interface InvalidLine {
  readonly i: number;
  readonly invalid: string;
}

/**
 * Decode one line of snapshots.ndjson as readers must (run-format.md): a line with readable
 * `t` and `dt` but bad content is kept as a gap (the interval happened, its traffic is
 * unknown); anything else is invalid. `i` is the line's position among the indexed lines.
 */
export function decodeIntervalLine(text: string, metrics: readonly MetricKey[], i: number): { readonly line: IntervalLine | InvalidLine; readonly snapshot?: Snapshot } {
  let value: unknown;
  try {
    // NaN and ±Infinity (Python's json.dumps) are read, to be refused field by field, as replay does.
    ({ value } = parseLineJson(text));
  } catch (e) {
    return { line: { i, invalid: `not valid JSON (${(e as Error).message})` } };
  }
  const kept = decodeSnapshotOrGap(value, metrics);
  if (kept.snapshot === undefined) return { line: { i, invalid: kept.problem } };
  return { line: { ...encodeSnapshot(kept.snapshot), i }, snapshot: kept.snapshot };
}

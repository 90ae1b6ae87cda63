import { UserError } from '../errors.ts';

/** Points per series per range query that the Prometheus API accepts at most. */
export const PROMETHEUS_MAX_POINTS = 11_000;

/** The evaluation times of an import and how they are split into range queries. */
export interface HistoryGrid {
  readonly startSeconds: number;
  readonly stepSeconds: number;
  /** Evaluation times: start, start + step, ... ≤ end. */
  readonly points: number;
  /** Point indices [from, to] (inclusive) of each range query, in order. */
  readonly chunks: readonly { readonly from: number; readonly to: number }[];
}

/** Evaluation time k, rounded to the millisecond as Prometheus stores time. */
export function gridTime(grid: Pick<HistoryGrid, 'startSeconds' | 'stepSeconds'>, k: number): number {
  return Math.round((grid.startSeconds + k * grid.stepSeconds) * 1000) / 1000;
}

/**
 * The grid of an import of [start, end] every step, cut into chunks of at most
 * `pointsPerQuery` points per series (the API refuses more than 11,000). Chunks do not
 * overlap: the differencing runs on across their boundaries as on one stream.
 */
export function historyGrid(startSeconds: number, endSeconds: number, stepSeconds: number, pointsPerQuery: number): HistoryGrid {
  if (!(stepSeconds > 0) || !Number.isFinite(stepSeconds)) throw new UserError(`--step: expected a positive number of seconds (got ${stepSeconds})`);
  if (!(endSeconds > startSeconds)) {
    throw new UserError(`--end must come after --start (got start ${new Date(startSeconds * 1000).toISOString()}, end ${new Date(endSeconds * 1000).toISOString()})`);
  }
  if (!Number.isInteger(pointsPerQuery) || pointsPerQuery < 2 || pointsPerQuery > PROMETHEUS_MAX_POINTS) {
    throw new UserError(`--points-per-query: expected a whole number from 2 to ${PROMETHEUS_MAX_POINTS} (got ${pointsPerQuery})`);
  }
  const points = Math.floor((endSeconds - startSeconds) / stepSeconds + 1e-9) + 1;
  if (points < 2) throw new UserError(`--start to --end must span at least one --step (${stepSeconds} s)`);
  const chunks: { from: number; to: number }[] = [];
  for (let from = 0; from < points; from += pointsPerQuery) chunks.push({ from, to: Math.min(points, from + pointsPerQuery) - 1 });
  return { startSeconds, stepSeconds, points, chunks };
}

/**
 * How far (seconds) a t of traffic.csv may be from its grid point and still be on it: times
 * are stored to the millisecond, so anything further is another time, not rounding.
 */
export const GRID_TOLERANCE_SECONDS = 0.001;

/** The interval grid of a traffic.csv without intervals.csv: t0, t0 + interval, t0 + 2 interval, ... */
export interface TrafficGrid {
  readonly startSeconds: number;
  readonly intervalSeconds: number;
  /** True when the interval was inferred from the file rather than given (--interval). */
  readonly inferred: boolean;
}

/**
 * The interval length a traffic.csv most likely has: the most common step between two
 * consecutive distinct t (ms-rounded; on a tie, the shortest). Not the smallest step: one
 * row a second late would then make every interval that second shorter, and the whole run
 * wrong. Undefined with fewer than two t.
 */
export function inferIntervalSeconds(times: readonly number[]): number | undefined {
  const counts = new Map<number, number>();
  for (let i = 1; i < times.length; i++) {
    const step = Math.round((times[i]! - times[i - 1]!) * 1000) / 1000;
    counts.set(step, (counts.get(step) ?? 0) + 1);
  }
  let best: number | undefined;
  let bestCount = 0;
  for (const [step, count] of counts) {
    if (count > bestCount || (count === bestCount && step < best!)) {
      best = step;
      bestCount = count;
    }
  }
  return best;
}

/** The grid index of t (the nearest one; `onGrid` says whether t is really there). */
export function gridIndex(grid: TrafficGrid, t: number): number {
  return Math.round((t - grid.startSeconds) / grid.intervalSeconds);
}

/** Grid point k, ms-rounded as run times are. */
export function gridPoint(grid: TrafficGrid, k: number): number {
  return Math.round((grid.startSeconds + k * grid.intervalSeconds) * 1000) / 1000;
}

/**
 * `file:line: t: ...` for every t off the grid (its first row's line), so that a file whose
 * times are not one interval apart is refused as a whole rather than written as intervals
 * that overlap or leave holes. Empty when every t is on it.
 */
export function offGridProblems(grid: TrafficGrid, times: readonly number[], lines: readonly number[], file: string): string[] {
  const problems: string[] = [];
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    const k = gridIndex(grid, t);
    if (Math.abs(t - (grid.startSeconds + k * grid.intervalSeconds)) <= GRID_TOLERANCE_SECONDS + 1e-9) continue;
    const below = Math.floor((t - grid.startSeconds) / grid.intervalSeconds);
    problems.push(`${file}:${lines[i]}: t: ${t} is not on the ${grid.intervalSeconds} s grid from ${grid.startSeconds} (nearest ${gridPoint(grid, below)} and ${gridPoint(grid, below + 1)})`);
  }
  return problems;
}

/** What to do about off-grid times, said once after them. */
export function offGridHint(grid: TrafficGrid): string {
  const rule = 'without intervals.csv every t must be the first t plus a whole number of intervals';
  return grid.inferred
    ? `(${rule}; the interval, ${grid.intervalSeconds} s, is the most common step between two t: give --interval if it is another, or intervals.csv with every interval's t and dt)`
    : `(${rule}, here of --interval ${grid.intervalSeconds} s: give the interval the file was written at, or intervals.csv with every interval's t and dt)`;
}

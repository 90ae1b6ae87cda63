/** The interval length of a traffic.csv without intervals.csv: every t is a whole number of them after the t before it. */
export interface TrafficGrid {
  readonly intervalSeconds: number;
  /** True when the interval was inferred from the file rather than given (--interval). */
  readonly inferred: boolean;
}

/**
 * How far (seconds) a step may be from a whole number of intervals and still be one: real
 * recorders jitter (Munnin's 2018 run steps 5.002-5.005 s for 5-s intervals), so 1% of the
 * interval, and never less than the millisecond times are stored to. Each t is checked from
 * the t before it, never from the first, so the jitter does not add up along the file.
 */
export function gridToleranceSeconds(intervalSeconds: number): number {
  return Math.max(0.001, intervalSeconds / 100);
}

/** k when `step` is k ≥ 1 intervals (within the tolerance), else undefined. */
export function wholeIntervals(stepSeconds: number, intervalSeconds: number): number | undefined {
  const k = Math.round(stepSeconds / intervalSeconds);
  // 1e-6: the step is a difference of ms-rounded binary floats, ~2e-7 s apart at Unix times.
  return k >= 1 && Math.abs(stepSeconds - k * intervalSeconds) <= gridToleranceSeconds(intervalSeconds) + 1e-6 ? k : undefined;
}

/**
 * The interval length of a traffic.csv: the shortest distinct step between two consecutive t
 * (ms-rounded) that every step is a whole number of. Not the most common step: export writes
 * no row for a silent interval, so a quiet run's most common step can be two intervals
 * (1000, 1020, 1030, 1050 is a 10-s run). Two steps that both fit are within 1% of each
 * other (the same interval, jittered): the shortest, so that intervals (t − dt, t] do not
 * overlap (Munnin's run with its longest step, 5.005 s, had attack intervals its own 5-s
 * intervals did not). Not the smallest step when it does not fit: one row a second late
 * would make every interval that second shorter. When no step fits, the most common one
 * (on a tie, the shortest): the rows that are off it are then reported (offGridProblems).
 * Undefined with fewer than two t.
 */
export function inferIntervalSeconds(times: readonly number[]): number | undefined {
  const counts = new Map<number, number>();
  for (let i = 1; i < times.length; i++) {
    const step = Math.round((times[i]! - times[i - 1]!) * 1000) / 1000;
    counts.set(step, (counts.get(step) ?? 0) + 1);
  }
  // Ascending: a candidate longer than the shortest step by more than 1% fails on it at once.
  const steps = [...counts.keys()].sort((a, b) => a - b);
  for (const candidate of steps) {
    if (steps.every((s) => wholeIntervals(s, candidate) !== undefined)) return candidate;
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

/**
 * `file:line: t: ...` for every t that is not a whole number of intervals after the last t
 * that was (its first row's line), so that a file whose times are not intervals apart is
 * refused as a whole rather than written as intervals that overlap or leave holes. Empty
 * when every t fits.
 */
export function offGridProblems(grid: TrafficGrid, times: readonly number[], lines: readonly number[], file: string): string[] {
  const problems: string[] = [];
  const interval = grid.intervalSeconds;
  let prev = times[0]!;
  for (let i = 1; i < times.length; i++) {
    const t = times[i]!;
    if (wholeIntervals(t - prev, interval) !== undefined) {
      prev = t;
      continue;
    }
    const below = Math.floor((t - prev) / interval);
    const at = (k: number) => Math.round((prev + k * interval) * 1000) / 1000;
    problems.push(`${file}:${lines[i]}: t: ${t} is not a whole number of ${interval}-s intervals after ${prev} (nearest ${at(below)} and ${at(below + 1)})`);
  }
  return problems;
}

/** What to do about off-grid times, said once after them. */
export function offGridHint(grid: TrafficGrid): string {
  const rule = 'without intervals.csv each t must be a whole number of intervals after the t before it';
  return grid.inferred
    ? `(${rule}; no step between two t divides every other one, so the interval, ${grid.intervalSeconds} s, is the most common step: give --interval if it is another, or intervals.csv with every interval's t and dt)`
    : `(${rule}, here of --interval ${grid.intervalSeconds} s: give the interval the file was written at, or intervals.csv with every interval's t and dt)`;
}

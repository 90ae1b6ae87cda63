import { log } from '../logger.ts';

/** `1h02m`, `4m05s`, `12s`. */
export function formatDuration(millis: number): string {
  const s = Math.max(0, Math.round(millis / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/**
 * Time left: the recorded seconds still to go, scaled by how much wall time each recorded
 * second has cost so far (start-up and shut-down included). Before any run has finished the
 * scale is unknown and 1 is assumed, so the estimate is a lower bound.
 */
export function estimateRemainingMillis(doneWallMillis: number, doneRecordedSeconds: number, remainingRecordedSeconds: number): { millis: number; lowerBound: boolean } {
  if (doneRecordedSeconds <= 0) return { millis: remainingRecordedSeconds * 1000, lowerBound: true };
  return { millis: (remainingRecordedSeconds * doneWallMillis) / doneRecordedSeconds, lowerBound: false };
}

/** Progress across the runs of a sweep, one line per run on stderr (each run prints its own progress too). */
export class SweepProgress {
  private readonly startedAt: number;
  private doneWallMillis = 0;
  private doneRecordedSeconds = 0;
  private runStartedAt = 0;

  constructor(
    private readonly enabled: boolean,
    private readonly sweepName: string,
    private readonly total: number,
    private readonly now: () => number = Date.now,
  ) {
    this.startedAt = now();
  }

  /** Runs found complete on disk and not recorded again. */
  skipped(count: number): void {
    if (this.enabled && count > 0) log.info(`sweep ${this.sweepName}: ${count} of ${this.total} runs already complete, skipping them`);
  }

  /** `position` is 1-based among all runs; `remainingSeconds` the recorded seconds of this run and those after it. */
  runStarting(position: number, runName: string, remainingSeconds: number): string {
    this.runStartedAt = this.now();
    const eta = estimateRemainingMillis(this.doneWallMillis, this.doneRecordedSeconds, remainingSeconds);
    const line = `sweep ${this.sweepName}: run ${position}/${this.total} ${runName} (elapsed ${formatDuration(this.runStartedAt - this.startedAt)}, ETA ${eta.lowerBound ? '≥ ' : ''}${formatDuration(eta.millis)})`;
    if (this.enabled) log.info(line);
    return line;
  }

  /** A run ended; only complete runs teach the ETA (an interrupted one says nothing about the rest). */
  runEnded(recordedSeconds: number, complete: boolean): void {
    if (!complete) return;
    this.doneWallMillis += this.now() - this.runStartedAt;
    this.doneRecordedSeconds += recordedSeconds;
  }

  elapsedMillis(): number {
    return this.now() - this.startedAt;
  }
}

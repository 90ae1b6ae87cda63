import { log } from '../logger.ts';

/**
 * An import's progress on stderr: a bar with the share done and an ETA from the wall time
 * the work so far has cost, rewritten in place on a terminal, a line per tenth otherwise.
 */
export class ImportProgress {
  private readonly startedAt = performance.now();
  private readonly tty = process.stderr.isTTY === true;
  private lastTenth = -1;
  private dirty = false;

  constructor(
    private readonly enabled: boolean,
    private readonly what: string,
    private readonly unit: string,
  ) {}

  update(done: number, total: number): void {
    if (!this.enabled || total <= 0) return;
    const line = ImportProgress.line(this.what, done, total, (performance.now() - this.startedAt) / 1000, this.unit);
    if (this.tty) {
      process.stderr.write(`\r${line}\u001b[K`);
      this.dirty = true;
      return;
    }
    const tenth = Math.floor((10 * done) / total);
    if (tenth > this.lastTenth) {
      this.lastTenth = tenth;
      log.info(line);
    }
  }

  /** A message of its own, on a line of its own. */
  note(message: string): void {
    if (!this.enabled) return;
    this.clear();
    log.info(message);
  }

  clear(): void {
    if (this.dirty) process.stderr.write('\r\u001b[K');
    this.dirty = false;
  }

  /** `importing [#####.....]  50 % 500/1000 intervals, 12 s left`: the ETA assumes the rest goes as fast as what is done. */
  static line(what: string, done: number, total: number, elapsedSeconds: number, unit: string): string {
    const share = Math.min(1, Math.max(0, done / total));
    const width = 20;
    const filled = Math.round(share * width);
    const eta = done > 0 && done < total ? `, ${formatSeconds((elapsedSeconds * (total - done)) / done)} left` : done >= total ? `, ${formatSeconds(elapsedSeconds)}` : '';
    return `${what} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(100 * share).toFixed(0).padStart(3)} % ${done}/${total} ${unit}${eta}`;
  }
}

function formatSeconds(s: number): string {
  if (s < 60) return `${Math.ceil(s)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

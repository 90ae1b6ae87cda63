import { log } from '../logger.ts';
import type { ReadProgress } from '../store/index.ts';

/**
 * Replay progress on stderr: intervals done and the share of snapshots.ndjson read, at most
 * once a second: rewritten in place on a terminal, one line per update otherwise (CI logs).
 * Short replays print nothing.
 */
export class ReplayProgress {
  private lastPrintMillis: number;
  private dirty = false;
  private readonly tty = process.stderr.isTTY === true;

  constructor(
    private readonly enabled: boolean,
    private readonly label: string,
    private readonly everyMillis = 1000,
    private readonly now: () => number = Date.now,
  ) {
    this.lastPrintMillis = now();
  }

  update(p: ReadProgress & { readonly intervals: number }): void {
    if (!this.enabled) return;
    const now = this.now();
    if (now - this.lastPrintMillis < this.everyMillis) return;
    this.lastPrintMillis = now;
    const percent = p.totalBytes > 0 ? Math.min(100, (100 * p.bytesRead) / p.totalBytes) : 100;
    const text = `${this.label}: ${p.intervals} intervals, ${percent.toFixed(0)} % of snapshots.ndjson read`;
    if (this.tty) {
      process.stderr.write(`\r${text}\u001b[K`);
      this.dirty = true;
    } else log.info(text);
  }

  /** A line of its own (an alert), without garbling the progress line. */
  note(message: string): void {
    this.clear();
    log.info(message);
  }

  clear(): void {
    if (this.dirty) process.stderr.write('\r\u001b[K');
    this.dirty = false;
  }
}

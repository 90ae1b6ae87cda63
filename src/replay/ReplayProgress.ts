import { log } from '../logger.ts';
import type { ReadProgress } from '../store/index.ts';
import { terminalText } from '../terminalText.ts';

/**
 * Replay progress on stderr: intervals done out of an estimate of the total (from the share
 * of snapshots.ndjson read), rewritten in place on a terminal at most once a second, or a
 * line every ten seconds otherwise (CI logs). Short replays print nothing.
 */
export class ReplayProgress {
  private lastPrintMillis: number;
  private dirty = false;
  private readonly tty = process.stderr.isTTY === true;

  constructor(
    private readonly enabled: boolean,
    private readonly label: string,
    private readonly everyMillis = process.stderr.isTTY === true ? 1000 : 10_000,
    private readonly now: () => number = Date.now,
  ) {
    this.lastPrintMillis = now();
  }

  update(p: ReadProgress & { readonly intervals: number }): void {
    if (!this.enabled) return;
    const now = this.now();
    if (now - this.lastPrintMillis < this.everyMillis) return;
    this.lastPrintMillis = now;
    const share = p.totalBytes > 0 && p.bytesRead > 0 ? Math.min(1, p.bytesRead / p.totalBytes) : 1;
    const total = Math.max(p.intervals, Math.round(p.intervals / share));
    const text = `${terminalText(this.label)}: ${p.intervals}/~${total} intervals (${(100 * share).toFixed(0)} %)`;
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

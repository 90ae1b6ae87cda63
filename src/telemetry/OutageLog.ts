import { log } from '../logger.ts';

/**
 * One warning when a source starts failing and one message when it reads again, instead
 * of a line per interval: a five-minute outage at 2 s intervals is one event, not 150.
 */
export class OutageLog {
  private failedReads = 0;
  private since: number | undefined;
  private closed = false;

  /** `name` says which source, e.g. `prometheus source (http://127.0.0.1:9090)`. */
  constructor(private readonly name: string) {}

  /** A read failed at `tSeconds` for `reason`. */
  fault(tSeconds: number, reason: string): void {
    if (this.closed) return;
    this.failedReads += 1;
    if (this.since !== undefined) return;
    this.since = tSeconds;
    log.warn(`${this.name}: cannot read telemetry (${reason}); intervals are recorded as gaps until it recovers`);
  }

  /** A read succeeded at `tSeconds`. */
  ok(tSeconds: number): void {
    if (this.closed || this.since === undefined) return;
    const seconds = Math.max(0, tSeconds - this.since);
    log.info(`${this.name}: telemetry readable again after ${this.failedReads} failed read(s) over ${seconds.toFixed(1)} s`);
    this.since = undefined;
    this.failedReads = 0;
  }

  /**
   * The source closed: a read still in flight then (a recording stopped mid-read) fails as the
   * server goes, which is no outage to announce after the recording ended.
   */
  close(): void {
    this.closed = true;
  }
}

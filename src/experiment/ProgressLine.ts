import { log } from '../logger.ts';
import { formatAlert } from '../replay/index.ts';
import { terminalText } from '../terminalText.ts';
import type { RunEvent, Snapshot, Verdict } from '../types.ts';

/**
 * The experiment's progress on stderr: one line rewritten in place on a terminal, a line
 * every tenth of the run otherwise (CI logs), and alerts and exfiltrations as their own lines.
 */
export class ProgressLine {
  private startedAt: number | undefined;
  private lastPrintedTenth = -1;
  private exfiltrations = 0;
  private scans = 0;
  private lateralMovements = 0;
  private alarms = 0;
  private intervals = 0;
  private gaps = 0;
  private elapsed = 0;
  private readonly tty = process.stderr.isTTY === true;
  private dirty = false;

  constructor(
    private readonly enabled: boolean,
    private readonly durationSeconds: number,
    private readonly exfiltrationsPlanned: number,
    /** Scans and lateral movements scheduled: counted on the line beside the exfiltrations (none shown when none is). */
    private readonly attacksPlanned: { readonly scans: number; readonly lateralMovements: number } = { scans: 0, lateralMovements: 0 },
  ) {}

  /** A one-off message (setting up, choices made). */
  note(message: string): void {
    if (!this.enabled) return;
    this.clear();
    log.info(message);
  }

  start(t: number): void {
    this.startedAt = t;
    this.note(`recording: ${this.durationSeconds} s`);
  }

  interval(snapshot: Snapshot, intervals: number, gaps: number): void {
    this.intervals = intervals;
    this.gaps = gaps;
    this.elapsed = this.startedAt === undefined ? 0 : snapshot.t - this.startedAt;
    if (!this.enabled) return;
    if (this.tty) {
      process.stderr.write(`\r${this.line()}\u001b[K`);
      this.dirty = true;
      return;
    }
    const tenth = Math.floor((10 * this.elapsed) / this.durationSeconds);
    if (tenth > this.lastPrintedTenth) {
      this.lastPrintedTenth = tenth;
      log.info(this.line());
    }
  }

  exfiltrationDone(event: RunEvent): void {
    this.exfiltrations += 1;
    const at = this.startedAt === undefined ? '' : ` at +${(event.start - this.startedAt).toFixed(1)} s`;
    this.note(`exfiltration ${this.exfiltrations}/${this.exfiltrationsPlanned} (${event.method ?? '?'})${at}: ${event.bytes ?? 0} bytes in ${(event.end - event.start).toFixed(2)} s`);
  }

  /** A scan or lateral movement finished. */
  attackDone(event: RunEvent): void {
    if (event.kind === 'scan') this.scans += 1;
    else this.lateralMovements += 1;
    const at = this.startedAt === undefined ? '' : ` at +${(event.start - this.startedAt).toFixed(1)} s`;
    const what = event.kind === 'scan' ? `scan from ${terminalText(String(event['workload']))}` : `lateral movement ${(event.path ?? []).map(terminalText).join(' → ')}`;
    const cut = event['incomplete'] === true ? ' (cut short)' : '';
    this.note(`${what}${at}: ${String(event['attempts'])} attempts, ${String(event['answered'])} answered in ${(event.end - event.start).toFixed(2)} s${cut}`);
  }

  alarm(verdict: Verdict): void {
    this.alarms += 1;
    this.note(formatAlert(verdict, this.startedAt));
  }

  stop(interrupted: boolean): void {
    // Nothing was recorded (the target or the source failed to start): nothing to sum up.
    if (!this.enabled || this.startedAt === undefined) return;
    this.clear();
    log.info(`${interrupted ? 'stopped early' : 'done'}: ${this.line()}`);
  }

  private line(): string {
    const elapsed = Math.min(this.elapsed, this.durationSeconds).toFixed(0).padStart(String(this.durationSeconds).length);
    // A recording of an existing mesh (npm run record) plans no exfiltration: none is shown.
    // Each kind of attack scheduled, done / planned (a run of scans only shows no exfiltrations).
    const count = (what: string, done: number, planned: number) => (planned > 0 ? `, ${what} ${done}/${planned}` : '');
    const attacks =
      count('exfiltrations', this.exfiltrations, this.exfiltrationsPlanned) +
      count('scans', this.scans, this.attacksPlanned.scans) +
      count('lateral movements', this.lateralMovements, this.attacksPlanned.lateralMovements);
    return `[${elapsed}/${this.durationSeconds} s] intervals ${this.intervals}${this.gaps ? ` (gaps ${this.gaps})` : ''}${attacks}, alerts ${this.alarms}`;
  }

  private clear(): void {
    if (this.dirty) process.stderr.write('\r\u001b[K');
    this.dirty = false;
  }
}

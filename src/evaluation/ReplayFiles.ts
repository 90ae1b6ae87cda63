import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import { describeFsError } from '../store/fsErrors.ts';
import type { BlamedEdge, Verdict } from '../types.ts';
import { csvField, jsonNumber } from './outputFields.ts';
import type { ReplaySummary } from './ReplaySummary.ts';

const FLUSH_CHARS = 1 << 16;

/**
 * replay/ as run-format.md prescribes: scores.csv (`t,detector,score,threshold,alarm`, one
 * row per scored interval per detector) and alerts.ndjson (one line per alarm, with the
 * blamed edges) are streamed as verdicts come; summary.json is written at the end. Each file
 * is written under a temporary name and renamed when complete, so a replay that fails half
 * way never leaves files that disagree with each other.
 */
export class ReplayFiles {
  private readonly scoresFd: number;
  private readonly alertsFd: number;
  private scores = 't,detector,score,threshold,alarm\n';
  private alerts = '';
  private closed = false;
  // Every detector's verdict of one interval shares `t`, and most detectors' thresholds stay
  // put (a constant k, a limit fitted once): their text is kept rather than re-formatted per
  // row. Number → shortest round-trip text costs ~0.1–0.2 µs, seven rows per interval.
  private lastT = Number.NaN;
  private lastTText = '';
  private readonly columns = new Map<string, { readonly name: string; threshold: number; thresholdText: string }>();

  constructor(readonly dir: string) {
    try {
      mkdirSync(dir, { recursive: true });
      this.scoresFd = openSync(join(dir, 'scores.csv.tmp'), 'w');
      this.alertsFd = openSync(join(dir, 'alerts.ndjson.tmp'), 'w');
    } catch (e) {
      throw new UserError(`${dir}: cannot write the replay output there: ${(e as Error).message} (choose another folder with --out)`);
    }
  }

  /** Record a verdict; `attack` says whether its interval overlaps an attack (kept with alerts). */
  addVerdict(v: Verdict, attack: boolean): void {
    if (v.training || v.gap) return;
    if (v.t !== this.lastT) {
      this.lastT = v.t;
      this.lastTText = String(v.t);
    }
    let column = this.columns.get(v.detector);
    if (column === undefined) {
      column = { name: csvField(v.detector), threshold: Number.NaN, thresholdText: 'NaN' };
      this.columns.set(v.detector, column);
    }
    if (!Object.is(v.threshold, column.threshold)) {
      column.threshold = v.threshold;
      column.thresholdText = scoreText(v.threshold);
    }
    this.scores += `${this.lastTText},${column.name},${Number.isFinite(v.score) ? v.score : scoreText(v.score)},${column.thresholdText},${v.alarm}\n`;
    if (this.scores.length >= FLUSH_CHARS) this.flushScores();
    if (v.alarm) {
      const alert = { t: v.t, dt: v.dt, detector: v.detector, score: jsonNumber(v.score), threshold: jsonNumber(v.threshold), attack, blamed: blamedJson(v.blamed) };
      this.alerts += `${JSON.stringify(alert)}\n`;
      if (this.alerts.length >= FLUSH_CHARS) this.flushAlerts();
    }
  }

  /** Write summary.json and put every file in place. */
  finish(summary: ReplaySummary): void {
    this.close();
    renameSync(join(this.dir, 'scores.csv.tmp'), join(this.dir, 'scores.csv'));
    renameSync(join(this.dir, 'alerts.ndjson.tmp'), join(this.dir, 'alerts.ndjson'));
    try {
      writeFileSync(join(this.dir, 'summary.json.tmp'), `${JSON.stringify(summary, null, 2)}\n`);
    } catch (e) {
      rmSync(join(this.dir, 'summary.json.tmp'), { force: true });
      throw describeFsError(e, join(this.dir, 'summary.json'), 'write the replay output', 'free some space or choose another folder with --out');
    }
    renameSync(join(this.dir, 'summary.json.tmp'), join(this.dir, 'summary.json'));
  }

  /** A failed or interrupted replay: close and remove the unfinished files (earlier results stay). */
  abort(): void {
    try {
      this.close();
    } catch {
      // Failing already (e.g. the disk is full): the files go anyway.
    }
    for (const name of ['scores.csv.tmp', 'alerts.ndjson.tmp']) rmSync(join(this.dir, name), { force: true });
  }

  /** Close the files without putting them in place. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flushScores();
      this.flushAlerts();
    } finally {
      closeSync(this.scoresFd);
      closeSync(this.alertsFd);
    }
  }

  private flushScores(): void {
    if (this.scores !== '') this.write(this.scoresFd, this.scores, 'scores.csv');
    this.scores = '';
  }

  private flushAlerts(): void {
    if (this.alerts !== '') this.write(this.alertsFd, this.alerts, 'alerts.ndjson');
    this.alerts = '';
  }

  /** Disk full, a folder gone read-only: a user error naming the file, not a stack trace. */
  private write(fd: number, text: string, name: string): void {
    try {
      writeSync(fd, text);
    } catch (e) {
      throw describeFsError(e, join(this.dir, name), 'write the replay output', 'free some space or choose another folder with --out');
    }
  }
}

/**
 * A score or threshold as scores.csv holds it: a number, or `NaN` for anything that is not a
 * finite one (not scored yet, or ±Infinity from an overflow: no score to compare or plot; the
 * alarm column keeps what the detector decided, and the replay warns about infinities).
 */
function scoreText(x: number): string {
  return Number.isFinite(x) ? String(x) : 'NaN';
}

/**
 * Blamed edges as written: as they are, or, when a score is not finite, copies with that score
 * JSON-safe. Noisy runs alarm every other interval, each naming up to five edges, and copying
 * every edge (an object spread costs ~1 µs) was most of writing an alert.
 */
function blamedJson(blamed: readonly BlamedEdge[]): readonly unknown[] {
  return blamed.every(hasFiniteScore) ? blamed : blamed.map((b) => ({ ...b, score: jsonNumber(b.score) }));
}

function hasFiniteScore(b: BlamedEdge): boolean {
  return Number.isFinite(b.score);
}

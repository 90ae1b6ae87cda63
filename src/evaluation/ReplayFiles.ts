import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import type { Verdict } from '../types.ts';
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
    this.scores += `${v.t},${csvField(v.detector)},${v.score},${v.threshold},${v.alarm}\n`;
    if (this.scores.length >= FLUSH_CHARS) this.flushScores();
    if (v.alarm) {
      const alert = { t: v.t, dt: v.dt, detector: v.detector, score: jsonNumber(v.score), threshold: jsonNumber(v.threshold), attack, blamed: v.blamed.map((b) => ({ ...b, score: jsonNumber(b.score) })) };
      this.alerts += `${JSON.stringify(alert)}\n`;
      if (this.alerts.length >= FLUSH_CHARS) this.flushAlerts();
    }
  }

  /** Write summary.json and put every file in place. */
  finish(summary: ReplaySummary): void {
    this.close();
    renameSync(join(this.dir, 'scores.csv.tmp'), join(this.dir, 'scores.csv'));
    renameSync(join(this.dir, 'alerts.ndjson.tmp'), join(this.dir, 'alerts.ndjson'));
    writeFileSync(join(this.dir, 'summary.json.tmp'), `${JSON.stringify(summary, null, 2)}\n`);
    renameSync(join(this.dir, 'summary.json.tmp'), join(this.dir, 'summary.json'));
  }

  /** A failed or interrupted replay: close and remove the unfinished files (earlier results stay). */
  abort(): void {
    this.close();
    for (const name of ['scores.csv.tmp', 'alerts.ndjson.tmp']) rmSync(join(this.dir, name), { force: true });
  }

  /** Close the files without putting them in place. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.flushScores();
    this.flushAlerts();
    closeSync(this.scoresFd);
    closeSync(this.alertsFd);
    this.closed = true;
  }

  private flushScores(): void {
    if (this.scores !== '') writeSync(this.scoresFd, this.scores);
    this.scores = '';
  }

  private flushAlerts(): void {
    if (this.alerts !== '') writeSync(this.alertsFd, this.alerts);
    this.alerts = '';
  }
}

/** JSON has no Infinity or NaN: such scores are written as strings rather than silently as null. */
function jsonNumber(x: number): number | string {
  return Number.isFinite(x) ? x : String(x);
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

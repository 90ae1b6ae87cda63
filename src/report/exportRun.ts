import { mkdir, rm, stat } from 'node:fs/promises';
import { UserError } from '../errors.ts';
import { spreadsheetText } from '../evaluation/outputFields.ts';
import { basename, join, resolve } from 'node:path';
import { describeInjection, INJECTION_FILE, injectedSnapshots, readReplayInjection } from '../replay/replayInjection.ts';
import { checkEvent, checkWritableDir, describeFsError } from '../store/index.ts';
import type { RunEvent, RunManifest, Snapshot } from '../types.ts';
import { CsvFile, type RowContext } from './CsvFile.ts';
import { ALERT_COLUMNS, alertsTable, INTERVAL_COLUMNS, intervalsTable, SCORE_COLUMNS, scoresTable, TRAFFIC_COLUMNS, trafficTable, type ExportedAlert } from './exportTables.ts';
import { readRun } from './loadReportInputs.ts';
import { readNdjson } from './readNdjson.ts';
import { readScoresCsv } from './readScoresCsv.ts';
import { exists, readText } from './readText.ts';
import { alertNumber, decodeAlert } from './replayFiles.ts';
import { buildTimeline } from './timeline.ts';

export interface ExportOptions {
  /** The run directory. */
  readonly runDir: string;
  /** Folder the CSV files go to. Default: runDir/export. */
  readonly outDir?: string;
  /** Folder holding replay's scores.csv. Default: runDir/replay. */
  readonly replayDir?: string;
}

type Written = { readonly path: string; readonly rows: number };

export interface ExportResult {
  /** Long-form traffic: run, t, src, dst, metric, value. */
  readonly traffic: Written;
  /** Every interval: run, t, dt, gap, attack, grace. */
  readonly intervals: Written;
  /** Scores with the ground truth: run, variant, t, detector, score, threshold, alarm, training, attack, grace (absent without a replay). */
  readonly scores?: Written;
  /** One row per alarm and blamed edge (absent without a replay). */
  readonly alerts?: Written;
  /** What the exported replay injected (`--inject`), in words: traffic.csv holds those bytes, intervals.csv marks those attacks. */
  readonly injected?: string;
}

/** One replay of a run to export: its folder and the constant columns its rows carry. */
export interface ReplayToExport {
  readonly dir: string;
  readonly context: RowContext;
}

/** The CSV files of an export, written run after run. */
export class ExportFiles {
  readonly traffic: CsvFile;
  readonly intervals: CsvFile;
  readonly scores: CsvFile;
  readonly alerts: CsvFile;
  replays = 0;

  /** `runColumns`: context columns of every file; `replayColumns`: further ones of scores.csv and alerts.csv. */
  constructor(
    readonly outDir: string,
    runColumns: readonly string[],
    replayColumns: readonly string[],
  ) {
    this.traffic = new CsvFile(join(outDir, 'traffic.csv'), [...runColumns, ...TRAFFIC_COLUMNS]);
    this.intervals = new CsvFile(join(outDir, 'intervals.csv'), [...runColumns, ...INTERVAL_COLUMNS]);
    this.scores = new CsvFile(join(outDir, 'scores.csv'), [...runColumns, ...replayColumns, ...SCORE_COLUMNS]);
    this.alerts = new CsvFile(join(outDir, 'alerts.csv'), [...runColumns, ...replayColumns, ...ALERT_COLUMNS]);
  }

  /**
   * A run's traffic and intervals, then each of its replays' scores and alerts. `seenBy`: the
   * one replay folder exported with the run, whose view the traffic and intervals take: the
   * bytes an `--inject` replay added (its injection.json) and the ground truth it scored.
   * Returns what that replay injected, in words, when it did.
   */
  async addRun(runDir: string, runContext: RowContext, replays: readonly ReplayToExport[], seenBy?: string): Promise<string | undefined> {
    const { run, snapshots: recorded, events } = await readRun(runDir);
    const injection = seenBy === undefined ? undefined : await readReplayInjection(seenBy);
    const snapshots = injection === undefined ? recorded : await injectedSnapshots(recorded, injection, run, join(seenBy!, INJECTION_FILE));
    const truth = seenBy === undefined ? events : ((await replayAttacks(seenBy)) ?? events);
    const timeline = buildTimeline(snapshots, truth);
    await this.traffic.append(trafficTable(run, snapshots), runContext);
    await this.intervals.append(intervalsTable(snapshots, timeline), runContext);
    for (const replay of replays) await this.addReplay(run, snapshots, events, replay, runContext);
    return injection === undefined ? undefined : describeInjection(injection);
  }

  private async addReplay(run: RunManifest, snapshots: readonly Snapshot[], events: readonly RunEvent[], replay: ReplayToExport, runContext: RowContext): Promise<void> {
    const scoresFile = join(replay.dir, 'scores.csv');
    if (!(await exists(scoresFile))) return;
    this.replays += 1;
    // The ground truth the replay scored against: summary.json's attacks hold injected ones too.
    const timeline = buildTimeline(snapshots, (await replayAttacks(replay.dir)) ?? events);
    const context = { ...runContext, ...replay.context };
    await this.scores.append(scoresTable(await readScoresCsv(scoresFile), snapshots, timeline, run.intervalSeconds), context);
    await this.alerts.append(alertsTable(await readAlerts(join(replay.dir, 'alerts.ndjson')), timeline, run.intervalSeconds), context);
  }

  async finish(): Promise<ExportResult> {
    const traffic = await this.traffic.finish();
    const intervals = await this.intervals.finish();
    if (this.replays === 0) {
      await this.scores.abort();
      await this.alerts.abort();
      // An earlier export's scores and alerts would sit beside this one's traffic as if they were its own.
      await rm(this.scores.path, { force: true });
      await rm(this.alerts.path, { force: true });
      return { traffic, intervals };
    }
    return { traffic, intervals, scores: await this.scores.finish(), alerts: await this.alerts.finish() };
  }

  async abort(): Promise<void> {
    for (const f of [this.traffic, this.intervals, this.scores, this.alerts]) await f.abort();
  }
}

const OUT_FIX = 'choose another folder with --out, or free some space';

/**
 * The run as CSV for pandas and R: traffic in long form (one row per interval, edge and
 * metric; every metric of run.json for each edge that carried traffic, 0 where it carried
 * none of that metric; pairs absent in an interval carried nothing), the intervals with
 * their gap, attack and grace flags (a gap is unknown traffic, not zero: filter on it), and
 * replay's scores and alerts joined with the ground truth. Every row names its run; scores and
 * alerts name their replay `variant` ('' for the run's own replay/).
 */
export async function exportRun(options: ExportOptions): Promise<ExportResult> {
  // Before making runDir/export: a mistyped run directory must not be created.
  const kind = await stat(options.runDir).then((s) => (s.isDirectory() ? 'folder' : 'file'), () => 'none');
  if (kind === 'none') throw new UserError(`${options.runDir}: no such run directory`);
  if (kind === 'file') throw new UserError(`${options.runDir}: a file, not a run directory (give the folder that holds run.json)`);
  if (!(await exists(join(options.runDir, 'run.json')))) throw new UserError(`${options.runDir}: not a run directory (no run.json in it)`);
  // A --replay folder that is not there would export no scores, silently.
  if (options.replayDir !== undefined && !(await stat(options.replayDir).then((s) => s.isDirectory(), () => false))) {
    throw new UserError(`--replay ${options.replayDir}: no such folder (a replay's outputs: summary.json, scores.csv, alerts.ndjson)`);
  }
  const outDir = options.outDir ?? join(options.runDir, 'export');
  const replayDir = options.replayDir ?? join(options.runDir, 'replay');
  // Checked before any work: an unwritable --out is one line naming it, not a stack trace.
  checkWritableDir(outDir, 'the export', OUT_FIX);
  await mkdir(outDir, { recursive: true }).catch((e: unknown) => {
    throw describeFsError(e, outDir, 'write the export', OUT_FIX);
  });
  const files = new ExportFiles(outDir, ['run'], ['variant']);
  try {
    // The folder's name is the user's (or an attacker's, for a run passed on): neutralised like every name.
    const name = spreadsheetText(basename(resolve(options.runDir)));
    // The replay exported is the view: traffic.csv and intervals.csv as its detectors saw the run.
    const seenBy = (await exists(join(replayDir, 'summary.json'))) ? replayDir : undefined;
    const injected = await files.addRun(options.runDir, { run: name }, [{ dir: replayDir, context: { variant: '' } }], seenBy);
    return { ...(await files.finish()), ...(injected !== undefined ? { injected } : {}) };
  } catch (e) {
    await files.abort();
    throw e;
  }
}

/** summary.json's `attacks`, when the replay wrote them (each checked like an events.ndjson line). */
async function replayAttacks(replayDir: string): Promise<RunEvent[] | undefined> {
  const file = join(replayDir, 'summary.json');
  if (!(await exists(file))) return undefined;
  let attacks: unknown;
  try {
    attacks = (JSON.parse(await readText(file)) as { attacks?: unknown }).attacks;
  } catch {
    return undefined;
  }
  if (!Array.isArray(attacks)) return undefined;
  const checked = attacks.map((a) => checkEvent(a));
  return checked.every((c) => typeof c !== 'string') ? (checked as RunEvent[]) : undefined;
}

async function readAlerts(file: string): Promise<ExportedAlert[]> {
  if (!(await exists(file))) return [];
  return (await readNdjson(file)).map(({ line, value }) => {
    const o = value as Record<string, unknown>;
    return { ...decodeAlert(value, `${file}:${line}`), score: alertNumber(o['score']), threshold: alertNumber(o['threshold']) };
  });
}

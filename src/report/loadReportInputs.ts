import { access, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import type { RunEvent, RunManifest, Snapshot } from '../types.ts';
import { decodeEvent, decodeManifest, decodeSnapshot } from './decodeRunLines.ts';
import { readNdjson } from './readNdjson.ts';
import { readScoresCsv, type ScoreRow } from './readScoresCsv.ts';
import { decodeAlert, decodeSummary, type AlertLine, type ReplaySummary } from './replayFiles.ts';

/** Everything a report is made from: the run and its replay outputs, as read from disk. */
export interface ReportInputs {
  readonly run: RunManifest;
  /** In file order (increasing t). */
  readonly snapshots: readonly Snapshot[];
  readonly events: readonly RunEvent[];
  readonly summary: ReplaySummary;
  readonly scores: readonly ScoreRow[];
  readonly alerts: readonly AlertLine[];
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') throw new UserError(`${file}: file not found`);
    throw new UserError(`${file}: cannot read (${e instanceof Error ? e.message : String(e)})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** Read the run (run.json, snapshots, events) and what replay wrote about it. */
export async function readRun(runDir: string): Promise<Pick<ReportInputs, 'run' | 'snapshots' | 'events'>> {
  const isDir = await stat(runDir).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw new UserError(`${runDir}: no such run directory`);
  const runFile = join(runDir, 'run.json');
  const run = decodeManifest(await readJson(runFile), runFile);
  const snapshotsFile = join(runDir, 'snapshots.ndjson');
  const snapshots = (await readNdjson(snapshotsFile)).map(({ line, value }) => decodeSnapshot(value, run.metrics, `${snapshotsFile}:${line}`));
  for (let i = 1; i < snapshots.length; i++) {
    const prev = snapshots[i - 1];
    const cur = snapshots[i];
    if (prev && cur && !(cur.t > prev.t)) throw new UserError(`${snapshotsFile}: t must increase from line to line (${cur.t} after ${prev.t})`);
  }
  // A run without events.ndjson has no ground truth; every interval is then benign.
  const eventsFile = join(runDir, 'events.ndjson');
  const events = (await exists(eventsFile)) ? (await readNdjson(eventsFile)).map(({ line, value }) => decodeEvent(value, `${eventsFile}:${line}`)) : [];
  return { run, snapshots, events };
}

/** Read everything a report needs; missing or malformed files are UserErrors naming them. */
export async function loadReportInputs(runDir: string, replayDir: string): Promise<ReportInputs> {
  const { run, snapshots, events } = await readRun(runDir);
  const summaryFile = join(replayDir, 'summary.json');
  const summary = decodeSummary(await readJson(summaryFile), summaryFile);
  const scores = await readScoresCsv(join(replayDir, 'scores.csv'));
  const alertsFile = join(replayDir, 'alerts.ndjson');
  const alerts = (await exists(alertsFile)) ? (await readNdjson(alertsFile)).map(({ line, value }) => decodeAlert(value, `${alertsFile}:${line}`)) : [];
  return { run, snapshots, events, summary, scores, alerts };
}

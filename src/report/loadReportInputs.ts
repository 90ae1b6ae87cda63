import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import type { RunEvent, RunManifest, Snapshot } from '../types.ts';
import { readEvents, readManifest, readSnapshots } from '../store/index.ts';
import { INJECTION_FILE, injectedSnapshots, readReplayInjection, type ReplayInjection } from '../replay/replayInjection.ts';
import { staleMetricGaps } from '../replay/staleMetricReads.ts';
import { readNdjson } from './readNdjson.ts';
import { readScoresCsv, type ScoreRow } from './readScoresCsv.ts';
import { exists, readText } from './readText.ts';
import { decodeAlert, decodeSummary, type AlertLine, type ReplaySummary } from './replayFiles.ts';

/** Everything a report is made from: the run and its replay outputs, as read from disk. */
export interface ReportInputs {
  readonly run: RunManifest;
  /** In file order (increasing t); with the replay's injected bytes added when it injected (`injection`). */
  readonly snapshots: readonly Snapshot[];
  /** What the replay injected (its injection.json): `snapshots` hold those bytes, as the detectors saw them. */
  readonly injection?: ReplayInjection;
  readonly events: readonly RunEvent[];
  readonly summary: ReplaySummary;
  readonly scores: readonly ScoreRow[];
  readonly alerts: readonly AlertLine[];
}

async function readJson(file: string): Promise<unknown> {
  const text = await readText(file);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * Read the run (run.json, snapshots, events) with the store's readers, so a report accepts
 * exactly the runs replay accepts, and its slices as replay reads them: a stale read of one
 * metric is a gap, its traffic in the next slice (staleMetricReads), so the traffic shown and
 * exported is what the detectors saw. Quiet: replay has already reported any bad line.
 */
export async function readRun(runDir: string, options: { readonly quiet?: boolean } = {}): Promise<Pick<ReportInputs, 'run' | 'snapshots' | 'events'>> {
  const isDir = await stat(runDir).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw new UserError(`${runDir}: no such run directory`);
  const run = await readManifest(runDir);
  const recorded: Snapshot[] = [];
  for await (const s of readSnapshots(runDir, run.metrics, { quiet: options.quiet === true })) recorded.push(s);
  const snapshots = staleMetricGaps(recorded, run.metrics);
  const events = await readEvents(runDir, { quiet: options.quiet === true });
  return { run, snapshots, events };
}

/** Read everything a report needs; missing or malformed files are UserErrors naming them. */
export async function loadReportInputs(runDir: string, replayDir: string): Promise<ReportInputs> {
  const { run, snapshots: recorded, events: runEvents } = await readRun(runDir, { quiet: true });
  const injection = await readReplayInjection(replayDir);
  // The traffic the detectors saw: an `--inject` replay added bytes to a copy of the run's stream.
  const snapshots = injection === undefined ? recorded : await injectedSnapshots(recorded, injection, run, join(replayDir, INJECTION_FILE));
  // A replay scored against another ground truth (`npm run replay -- --events`) keeps it beside its results.
  const events = (await exists(join(replayDir, 'events.ndjson'))) ? await readEvents(replayDir, { quiet: true }) : runEvents;
  const summaryFile = join(replayDir, 'summary.json');
  const summary = decodeSummary(await readJson(summaryFile), summaryFile);
  const scores = await readScoresCsv(join(replayDir, 'scores.csv'));
  const alertsFile = join(replayDir, 'alerts.ndjson');
  const alerts = (await exists(alertsFile)) ? (await readNdjson(alertsFile)).map(({ line, value }) => decodeAlert(value, `${alertsFile}:${line}`)) : [];
  return { run, snapshots, events, summary, scores, alerts, ...(injection !== undefined ? { injection } : {}) };
}

import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunManifest } from '../types.ts';
import { ATTACK_KINDS } from '../types.ts';
import { chooseVariant, replayDir, replayVariants } from './replayVariants.ts';
import { bestDetector, missedByAll, rankedAbove, readReplaySummary, readRunEvents } from './runFiles.ts';
import type { RunStats } from './RunStats.ts';
import type { SnapshotIndex } from './SnapshotIndex.ts';

/** `complete`: run.json says so; `recording`: still being written; `interrupted`: neither. */
/** `unreadable`: a run whose files cannot be read (its `problem` says why); never mistaken for an interrupted one. */
export type RunStatus = 'complete' | 'recording' | 'interrupted' | 'unreadable';

/** One row of the runs list. */
export interface RunListing {
  readonly name: string;
  readonly createdAt?: string;
  readonly status: RunStatus;
  readonly intervals: number;
  readonly intervalSeconds?: number;
  /** From the first interval's start to the last interval's end. */
  readonly durationSeconds?: number;
  /** run.json's source.kind (scrape, prometheus, import, ...). */
  readonly source?: string;
  readonly target?: string;
  /** Attacks in the ground truth the shown replay was scored against (ListedFiles.events). */
  readonly attacks: number;
  readonly replayed: boolean;
  /** By F1 over its replays; absent when none scored an attack interval (F1 undefined: the page says "no attacks") or every detector missed (`missed`). */
  readonly bestDetector?: { readonly name: string; readonly f1: number | null; readonly auc: number | null; readonly variant?: string };
  /** Without a best detector: every detector of every replay missed every attack (or every attack interval), said as "none caught an attack". */
  readonly missed?: 'every attack' | 'every attack interval';
  /** Its replays: '' for replay/ itself, else the sweep's variant folders (replay/<variant>/). */
  readonly variants: readonly string[];
  /** Why the run could not be read fully (it is still listed): each unreadable replay's summary.json named, with why. */
  readonly problem?: string;
  /** Those of `variants` whose summary.json cannot be read (the pages mark them and count only the others). */
  readonly unreadableReplays?: readonly string[];
}

/** A run opened for a request: its manifest, with line index and totals brought up to date. */
export interface OpenRun {
  readonly dir: string;
  readonly manifest: RunManifest;
  readonly index: SnapshotIndex;
  readonly stats: RunStats;
}

/** A run not ended whose snapshots changed this recently (or within 3 intervals) is taken as still recording. */
export const RECORDING_GRACE_MILLIS = 10_000;
/**
 * Whether a run is complete, still being recorded or was interrupted. run.json says
 * `complete: true` when it is; the experiment writes `endedAt` when it stops either way; a
 * run with neither is being recorded if its snapshots changed lately (or the live
 * experiment is writing it), else it was killed.
 */
export function runStatus(name: string, manifest: RunManifest, index: SnapshotIndex, liveRunName: string | undefined, nowMillis: number): RunStatus {
  if (manifest.complete === true) return 'complete';
  if (manifest['endedAt'] !== undefined) return 'interrupted';
  if (liveRunName === name) return 'recording';
  const grace = Math.max(RECORDING_GRACE_MILLIS, 3000 * manifest.intervalSeconds);
  return nowMillis - index.mtimeMillis < grace ? 'recording' : 'interrupted';
}

/** The files a row is made from besides run.json (the full summary shows them too: read once). */
export interface ListedFiles {
  /** The ground truth the shown replay was scored against (see eventsSource); the run's own when not replayed. */
  readonly events: Awaited<ReturnType<typeof readRunEvents>>;
  /** Where `events` come from: the shown replay's events.ndjson (`--events`, `--inject`), or the run's. */
  readonly eventsSource: 'replay' | 'run';
  /** The replay shown (`variant`): the one asked for, else the plain one, else the first variant. */
  readonly replay: Awaited<ReturnType<typeof readReplaySummary>>;
  readonly variant?: string;
  readonly variants: readonly string[];
  /** Best detector over every replay of the run. */
  readonly best?: NonNullable<RunListing['bestDetector']>;
  /** Without `best`, when some replay scored attack intervals: what every detector missed (in every such replay). */
  readonly missed?: RunListing['missed'];
  /** The replays whose summary.json cannot be read, each with its problem (file and why). */
  readonly unreadable: readonly { readonly variant: string; readonly problem: string }[];
}

export async function readListedFiles(dir: string, requestedVariant?: string, name = ''): Promise<ListedFiles> {
  const variants = await replayVariants(dir);
  const variant = chooseVariant(variants, requestedVariant, name);
  const summaries = await Promise.all(variants.map((v) => readReplaySummary(dir, v)));
  const replay = variant === undefined ? undefined : summaries[variants.indexOf(variant)];
  // The ground truth the shown replay was scored against, as its report shows it: the
  // replay's events.ndjson (an `--events` file, or the run's events plus injected attacks),
  // else the run's own. The row's attack count and the events table both come from it.
  const shown = replay && 'summary' in replay && variant !== undefined ? replayDir(dir, variant) : undefined;
  const fromReplay = shown !== undefined && (await stat(join(shown, 'events.ndjson')).then((s) => s.isFile(), () => false));
  const events = await readRunEvents(fromReplay ? shown : dir);
  let best: ListedFiles['best'];
  summaries.forEach((r, i) => {
    const b = r && 'summary' in r ? bestDetector(r.summary) : undefined;
    if (b && (!best || rankedAbove(b, best))) best = { ...b, ...(variants[i] ? { variant: variants[i] } : {}) };
  });
  // No best, yet attacks were scored: every detector missed; 'every attack interval' when one replay's detectors caught an attack in grace.
  const misses = summaries.map((r) => (r && 'summary' in r ? missedByAll(r.summary) : undefined)).filter((m) => m !== undefined);
  const missed = best || misses.length === 0 ? undefined : misses.includes('every attack interval') ? 'every attack interval' : 'every attack';
  // Every replay's problem, not only the shown one's: the best is ranked without a broken replay, which must be said.
  const unreadable = summaries.flatMap((r, i) => (r && 'problem' in r ? [{ variant: variants[i]!, problem: r.problem }] : []));
  return { events, eventsSource: fromReplay ? 'replay' : 'run', replay, ...(variant !== undefined ? { variant } : {}), variants, ...(best ? { best } : {}), ...(missed ? { missed } : {}), unreadable };
}

/** A row of the runs list for an opened run. */
export function runListing(name: string, run: OpenRun, status: RunStatus, files: ListedFiles): RunListing {
  const { manifest, stats } = run;
  const { events: { events }, replay, best, missed, unreadable } = files;
  const source = manifest.source?.['kind'];
  return {
    name,
    ...(typeof manifest.createdAt === 'string' ? { createdAt: manifest.createdAt } : {}),
    status,
    intervals: stats.processed - stats.invalid,
    intervalSeconds: manifest.intervalSeconds,
    ...(stats.t0 !== undefined && stats.lastT !== undefined ? { durationSeconds: stats.lastT - stats.t0 } : {}),
    ...(typeof source === 'string' ? { source } : {}),
    ...(typeof manifest['target'] === 'string' ? { target: manifest['target'] } : {}),
    attacks: events.filter((e) => ATTACK_KINDS.has(e.kind)).length,
    replayed: replay !== undefined && 'summary' in replay,
    ...(best ? { bestDetector: best } : {}),
    ...(missed ? { missed } : {}),
    variants: files.variants,
    ...(unreadable.length > 0 ? { problem: unreadable.map((u) => u.problem).join('; '), unreadableReplays: unreadable.map((u) => u.variant) } : {}),
  };
}

/** The row of a run that could not be opened at all (still listed, with why). */
export function failedListing(name: string, e: unknown): RunListing {
  return { name, status: 'unreadable', intervals: 0, attacks: 0, replayed: false, variants: [], problem: e instanceof Error ? e.message : String(e) };
}

import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.ts';
import { terminalText } from '../terminalText.ts';
import type { MetricKey, Snapshot } from '../types.ts';
import { isNotFound } from './readManifest.ts';
import { BadLines, readerLog } from './lineReporting.ts';
import { readLineBytes } from './readLineBytes.ts';
import { overlongProblem } from './readLines.ts';
import { parseLineJson } from './parseLineJson.ts';
import { decodeSnapshotOrGap, unlistedMetric } from './snapshotCodec.ts';
import { SnapshotLineParser } from './snapshotLineParser.ts';
import { farJumpProblem, isFarJump, timeOrderProblem } from './timeOrder.ts';

/** Longest stretch of reading and handing on lines without a turn of the event loop, in ms. */
const TURN_MS = 20;

/** How far reading has got, for progress displays. */
export interface ReadProgress {
  /** Lines read so far. */
  readonly lines: number;
  /** Bytes of snapshots.ndjson up to the end of the line just read (not the chunks read ahead). */
  readonly bytesRead: number;
  /** Size of snapshots.ndjson when reading began. */
  readonly totalBytes: number;
}

export interface ReadSnapshotsOptions {
  /** Called after each line (cheap; throttle any display yourself). */
  readonly progress?: (p: ReadProgress) => void;
  /** Do not report bad lines (a second reader of a run whose problems were already reported). */
  readonly quiet?: boolean;
  /** Told, once the file is read (or reading stops), how many lines were bad (skipped or kept as gaps). */
  readonly onBadLines?: ((count: number) => void) | undefined;
}

/**
 * Stream a run's snapshots.ndjson as Snapshots, one line at a time (memory does not grow
 * with the run's length). Follows run-format.md as a reader must:
 * - keeps only the manifest's metrics; unknown fields are ignored; missing metric/pair = 0;
 * - a last line cut off mid-write (a killed run) is ignored with a warning (not counted as bad);
 * - any other bad line is reported as `file:line: problem` and skipped, except that a line
 *   whose `t` and `dt` are readable becomes a gap: the interval happened, its traffic is unknown;
 * - a line whose `t` does not increase is reported and skipped (time never runs backwards);
 * - a line whose `t` is implausible (beyond 1e11, or far after both its neighbours) is reported
 *   and skipped without dropping what follows;
 * - a line longer than 64 Mi characters is reported and skipped; a leading byte-order mark is dropped.
 * - the first 10 bad lines are reported each, then one line says how many there were in all.
 */
export async function* readSnapshots(dir: string, metrics: readonly MetricKey[], options: ReadSnapshotsOptions = {}): AsyncGenerator<Snapshot, void, undefined> {
  const file = join(dir, 'snapshots.ndjson');
  let totalBytes: number;
  try {
    totalBytes = (await stat(file)).size;
  } catch (e) {
    if (isNotFound(e)) throw new UserError(`${file}: not found (a run directory holds run.json and snapshots.ndjson)`);
    throw new UserError(`${file}: cannot be read: ${(e as Error).message}`);
  }
  const say = readerLog(options.quiet);
  const bad = new BadLines(file, say);
  try {
    yield* decodeLines(file, metrics, totalBytes, bad, say, options);
  } finally {
    bad.finish();
    options.onBadLines?.(bad.count);
  }
}

async function* decodeLines(
  file: string,
  metrics: readonly MetricKey[],
  totalBytes: number,
  bad: BadLines,
  say: { readonly warn: (message: string) => void },
  options: ReadSnapshotsOptions,
): AsyncGenerator<Snapshot, void, undefined> {
  let previousT: number | undefined;
  // Where the held line is: its line number.
  let held: { readonly snapshot: Snapshot; readonly where: number } | undefined;
  let lastTurn = performance.now();
  // Most lines have one shape, read straight from their bytes; any other line (and every bad
  // one, whose error this loop words) takes the general path below: decoded, JSON.parse'd and
  // checked field by field. Both give the same snapshot for any line the fast path reads.
  const parser = new SnapshotLineParser(metrics);
  // What the spec has readers ignore, said once each (first line, field and value): a metric key
  // not listed in run.json's metrics, and a gap line's edges.
  const known = new Set(metrics);
  let unlistedSaid = false;
  let gapEdgesSaid = false;
  const sayUnlisted = (lineNumber: number, u: { readonly key: string; readonly value: string }) => {
    unlistedSaid = true;
    parser.seekUnlisted = false;
    say.warn(`${file}:${lineNumber}: edges: ${terminalText(u.key)} (${terminalText(u.value)}) is not among run.json's metrics (${metrics.map(terminalText).join(', ')}), so it is ignored (a writer must list every metric key it writes; said for the first such line only)`);
  };
  for await (const line of readLineBytes(file)) {
    // A 1 MiB chunk holds hundreds of short lines, all handed on without returning to the event
    // loop: with slow consumers (detectors on a graph of 100,000 edges) that was seconds in which
    // Ctrl-C, timers and progress could not run. Give the loop a turn every TURN_MS.
    if (performance.now() - lastTurn > TURN_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      lastTurn = performance.now();
    }
    options.progress?.({ lines: line.number, bytesRead: line.consumedBytes, totalBytes });
    if (line.overlongChars !== undefined) {
      bad.warn(`${file}:${line.number}: ${overlongProblem(line.overlongChars)}; line skipped`);
      continue;
    }
    let snapshot: Snapshot | undefined = parser.parse(line.bytes, line.start, line.end);
    if (snapshot === undefined) {
      const where = `${file}:${line.number}`;
      const text = line.bytes.toString('utf8', line.start, line.end);
      if (text.trim() === '') continue;
      let value: unknown;
      let nonFinite: boolean;
      try {
        ({ value, nonFinite } = parseLineJson(text));
      } catch (e) {
        if (line.terminated) bad.warn(`${where}: not valid JSON (${(e as Error).message}); line skipped`);
        // A warning like the others (warn: prefix, shown under --quiet), but not a bad line: a killed run's last write.
        else say.warn(`${where}: last line is incomplete (run interrupted while writing it); ignored`);
        continue;
      }
      const kept = decodeSnapshotOrGap(value, metrics);
      if (kept.problem !== undefined) bad.warn(`${where}: ${kept.problem}; ${kept.snapshot === undefined ? 'line skipped' : 'interval kept as a gap'}`);
      // NaN or ±Infinity only where the reader looks at nothing: the traffic is readable, the line is still not JSON.
      else if (nonFinite) bad.warn(`${where}: NaN or Infinity, which JSON does not allow, in a field the reader ignores; line read`);
      if (kept.snapshot === undefined) continue;
      snapshot = kept.snapshot;
      if (snapshot.gap && kept.problem === undefined && !gapEdgesSaid) {
        const edges = (value as { edges?: unknown }).edges;
        if (Array.isArray(edges) && edges.length > 0) {
          gapEdgesSaid = true;
          say.warn(`${where}: gap: true, with ${edges.length} edge${edges.length === 1 ? '' : 's'}: a gap's traffic is unknown, so ${edges.length === 1 ? 'it is' : 'they are'} ignored (said for the first such line only)`);
        }
      }
      // Said of a line read as an interval, not a gap (whose edges are ignored whole), here as on
      // the fast path, which reads no gap line; what the fast parser saw of this line before
      // leaving it is not used: it may be a line skipped since.
      if (!unlistedSaid && !snapshot.gap) {
        const u = unlistedMetric(value, known);
        if (u !== undefined) sayUnlisted(line.number, u);
      }
    } else if (!unlistedSaid && parser.unlisted !== undefined) sayUnlisted(line.number, parser.unlisted);
    const where = line.number;
    if (held !== undefined) {
      // The line after a far jump decides: back between its neighbours, the jump was one bad `t`.
      if (previousT !== undefined && snapshot.t > previousT && snapshot.t < held.snapshot.t) {
        bad.warn(`${file}:${held.where}: ${farJumpProblem(held.snapshot.t, previousT, snapshot.t)}; line skipped`);
      } else {
        previousT = held.snapshot.t;
        yield held.snapshot;
      }
      held = undefined;
    }
    const disorder = timeOrderProblem(snapshot.t, previousT);
    if (disorder !== undefined) {
      bad.warn(`${file}:${where}: ${disorder}; line skipped`);
      continue;
    }
    if (isFarJump(snapshot.t, snapshot.dt, previousT)) {
      held = { snapshot, where };
      continue;
    }
    previousT = snapshot.t;
    yield snapshot;
  }
  if (held !== undefined) yield held.snapshot;
}


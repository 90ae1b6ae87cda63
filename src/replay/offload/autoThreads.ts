import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseLineJson } from '../../store/index.ts';
import { OFFLOADED_DETECTORS } from './offloadProtocol.ts';

/** `--threads`: a count, or `auto` (the command-line default): let the run's first lines decide. */
export type ThreadsSetting = 1 | 2 | 'auto';

/**
 * Nodes named in the run's first lines at or above which `auto` may use a second thread: when
 * they also outnumber a line's edges. The worker reads and parses the run again, and
 * `eigenspace`'s work an interval grows with the rows and entries of its window's graph, so it
 * pays where the graph is large next to what a line holds: a connection log, thousands of hosts
 * over ~100 pairs a minute, not a large mesh, whose every line lists its thousands of edges.
 * Measured whole processes (7 Dec, `dist/cli/replay.js <run> --no-report --quiet`, all eleven
 * detectors, rounds alternated, one thread → two): the connection log × 3,000 (3,645 nodes in
 * its first 64 lines, ~100 edges a line) 5.71-5.88 → 4.37-4.65 s, × 60,000 96.6 → 52.7-53.9 s;
 * 1,001 services × 2,000 (~5,000 edges a line) 15.8-17.3 → 15.8-16.9 s at 1.3-1.4× the memory;
 * 501 services 7.94-8.30 → 8.05-8.41 s; 201 services 3.76-3.78 → 4.12-4.15 s; 15 nodes × 2,000
 * 0.81-0.87 → 0.99-1.06 s.
 */
export const AUTO_MIN_NODES = 400;

/** Estimated intervals below which `auto` keeps one thread: the worker's start (~0.2 s) would not pay for itself. */
export const AUTO_MIN_INTERVALS = 1_000;

/** Lines of snapshots.ndjson looked at, and the most bytes read for them. */
const PEEK_LINES = 64;
const PEEK_BYTES = 1 << 20;

export interface ThreadsChoice {
  readonly threads: 1 | 2;
  /** Why two threads, for the log; undefined with one. */
  readonly reason?: string | undefined;
}

/**
 * The threads a replay of the run in `dir` uses with `--threads auto`: two when a second core
 * is there, an offloaded detector (eigenspace) is enabled beside others, and the graph is large
 * next to a line, i.e. the first PEEK_LINES lines of snapshots.ndjson name AUTO_MIN_NODES nodes
 * or more and more nodes than a line has edges on average, in a run of AUTO_MIN_INTERVALS
 * lines or more (estimated from the file's size); else one. Only the first
 * megabyte is read: a line that is not JSON is skipped here and reported by the replay itself.
 */
export function autoThreads(dir: string, enabled: readonly string[], cores = availableParallelism()): ThreadsChoice {
  // The worker pays only beside work of the main thread's own: eigenspace alone would be read twice.
  const away = enabled.filter((n) => OFFLOADED_DETECTORS.includes(n)).length;
  if (cores < 2 || away === 0 || away === enabled.length) return { threads: 1 };
  let fd: number;
  try {
    fd = openSync(join(dir, 'snapshots.ndjson'), 'r');
  } catch {
    return { threads: 1 }; // the replay says what is wrong with the run
  }
  let size: number;
  let head: string;
  let cut: boolean;
  try {
    size = fstatSync(fd).size;
    const buffer = Buffer.alloc(Math.min(size, PEEK_BYTES));
    const read = readSync(fd, buffer, 0, buffer.length, 0);
    head = buffer.toString('utf8', 0, read);
    cut = read < size;
  } finally {
    closeSync(fd);
  }
  const lines = head.split('\n');
  if (cut) lines.pop(); // the last line read is cut short
  const nodes = new Set<string>();
  let looked = 0;
  let bytes = 0;
  let edges = 0;
  for (const line of lines.slice(0, PEEK_LINES)) {
    bytes += Buffer.byteLength(line) + 1;
    looked++;
    const names = namesOf(line);
    edges += names.length / 2;
    for (const name of names) nodes.add(name);
  }
  const intervals = looked === 0 ? 0 : Math.round(size / (bytes / looked));
  const perLine = looked === 0 ? 0 : edges / looked;
  if (nodes.size < AUTO_MIN_NODES || nodes.size < perLine || intervals < AUTO_MIN_INTERVALS) return { threads: 1 };
  return { threads: 2, reason: `${nodes.size} nodes in the first ${looked} intervals, ${Math.round(perLine)} edges an interval, ~${intervals} intervals in all` };
}

/** The src and dst names of one snapshots.ndjson line's edges, in pairs; none when it is not a snapshot's JSON. */
function namesOf(line: string): string[] {
  let value: unknown;
  try {
    // The store's own line parse: a line with Python's bare NaN is read as the replay reads it.
    ({ value } = parseLineJson(line));
  } catch {
    return [];
  }
  const edges = (value as { edges?: unknown } | null)?.edges;
  if (!Array.isArray(edges)) return [];
  const out: string[] = [];
  for (const e of edges as unknown[]) {
    const { src, dst } = (e ?? {}) as { src?: unknown; dst?: unknown };
    if (typeof src === 'string' && typeof dst === 'string') out.push(src, dst);
  }
  return out;
}

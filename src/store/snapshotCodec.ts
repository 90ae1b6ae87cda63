import { MAX_PLAUSIBLE_VALUE } from '../matrix/plausibleValue.ts';
import { setOwnValue } from '../ownValue.ts';
import type { EdgeSample, MetricKey, Snapshot } from '../types.ts';
import { describeValue } from './lineReporting.ts';
import { terminalText } from '../terminalText.ts';

// One line of snapshots.ndjson ⇄ a Snapshot, exactly as run-format.md prescribes.

/** An edge as written: `src`, `dst` and one key per non-zero metric. */
export interface SnapshotLineEdge {
  readonly src: string;
  readonly dst: string;
  readonly [metric: string]: string | number;
}

/** A line of snapshots.ndjson as an object (JSON.stringify it to write). */
export interface SnapshotLine {
  readonly t: number;
  readonly dt: number;
  /** Present (true) only on gaps. */
  readonly gap?: true;
  /** Why a gap is a gap; informational, readers need not know it. */
  readonly reason?: string;
  readonly edges: readonly SnapshotLineEdge[];
}

/**
 * Snapshot → line object. Zero metrics and edges without traffic are left out (a missing
 * metric or pair means 0), `gap` is written only when true.
 */
export function encodeSnapshot(s: Snapshot): SnapshotLine {
  if (s.gap) return s.reason === undefined ? { t: s.t, dt: s.dt, gap: true, edges: [] } : { t: s.t, dt: s.dt, gap: true, reason: s.reason, edges: [] };
  const edges: SnapshotLineEdge[] = [];
  for (const e of s.edges) {
    const line: Record<string, string | number> = { src: e.src, dst: e.dst };
    let any = false;
    for (const key in e.values) {
      const v = e.values[key];
      if (v !== undefined && v !== 0) {
        setOwnValue(line, key, v);
        any = true;
      }
    }
    if (any) edges.push(line as SnapshotLineEdge);
  }
  return { t: s.t, dt: s.dt, edges };
}

/** Snapshot → the text of one line (without the newline). */
export function snapshotToLine(s: Snapshot): string {
  return JSON.stringify(encodeSnapshot(s));
}

/** The result of decoding one parsed line: a snapshot, or what is wrong with it. */
export type DecodedSnapshot =
  | { readonly ok: true; readonly snapshot: Snapshot }
  /** `t` and `dt` are given when they were readable, so the caller may keep the interval as a gap. */
  | { readonly ok: false; readonly problem: string; readonly t?: number; readonly dt?: number };

/**
 * A parsed line → Snapshot, keeping only the manifest's metrics (other keys are fields this
 * reader does not know, and are ignored). Validation names the field and the bad value: the
 * first problem found sends the line to badLine, which lists all of them, so a valid line
 * (nearly every one) is walked once and pays for no list.
 */
export function decodeSnapshot(value: unknown, metrics: readonly MetricKey[]): DecodedSnapshot {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, problem: `expected a JSON object (got ${describeValue(value)})` };
  const o = value as Record<string, unknown>;
  const t = o['t'];
  const dt = o['dt'];
  const gap = o['gap'];
  if (!isTime(t) || !isLength(dt) || (gap !== undefined && typeof gap !== 'boolean')) return badLine(o, metrics);
  const reason = typeof o['reason'] === 'string' ? o['reason'] : undefined;
  if (gap === true) return { ok: true, snapshot: reason === undefined ? { t, dt, gap: true, edges: [] } : { t, dt, gap: true, reason, edges: [] } };
  const rawEdges = o['edges'];
  if (!Array.isArray(rawEdges)) return badLine(o, metrics);
  const edges: EdgeSample[] = [];
  // src → dsts seen: nested maps avoid building a concatenated key per edge (measured ~2× faster).
  const seen = new Map<string, Set<string>>();
  for (let i = 0; i < rawEdges.length; i++) {
    const e: unknown = rawEdges[i];
    if (e === null || typeof e !== 'object' || Array.isArray(e)) return badLine(o, metrics);
    const r = e as Record<string, unknown>;
    const src = r['src'];
    const dst = r['dst'];
    if (!isName(src) || !isName(dst)) return badLine(o, metrics);
    let dsts = seen.get(src);
    if (dsts === undefined) seen.set(src, (dsts = new Set()));
    else if (dsts.has(dst)) return badLine(o, metrics);
    dsts.add(dst);
    const values: Record<MetricKey, number> = {};
    let any = false;
    for (const m of metrics) {
      const v = r[m];
      // A metric named like an Object.prototype member (constructor, toString) that this edge
      // does not carry reads that member: it is missing (0), not a bad value.
      if (v === undefined || (typeof v !== 'number' && !Object.hasOwn(r, m))) continue;
      if (!isValue(v)) return badLine(o, metrics);
      if (v !== 0) {
        setOwnValue(values, m, v);
        any = true;
      }
    }
    if (any) edges.push({ src, dst, values });
  }
  return { ok: true, snapshot: { t, dt, gap: false, edges } };
}

/** Problems listed for one line at most; the rest are counted (a converter's bad line may hold 20,000 bad edges). */
const LISTED_PROBLEMS = 10;

/**
 * Every problem of a line decodeSnapshot found bad, in one message (README: every mistake at
 * once), each naming its field and value; `t` is given when valid, and `dt` when both are
 * (the caller keeps the interval as a gap with them).
 */
function badLine(o: Record<string, unknown>, metrics: readonly MetricKey[]): DecodedSnapshot {
  const problems: string[] = [];
  const t = o['t'];
  const dt = o['dt'];
  const gap = o['gap'];
  if (!isTime(t)) problems.push(`t: expected a number of Unix seconds (got ${describeValue(t)})`);
  if (!isLength(dt)) problems.push(`dt: expected a positive number of seconds (got ${describeValue(dt)})`);
  if (gap !== undefined && typeof gap !== 'boolean') problems.push(`gap: expected true or false (got ${describeValue(gap)})`);
  const rawEdges = o['edges'];
  if (gap !== true && !Array.isArray(rawEdges)) problems.push(`edges: expected an array (got ${describeValue(rawEdges)})`);
  else if (gap !== true) edgeProblems(rawEdges as unknown[], metrics, problems);
  const listed = problems.length <= LISTED_PROBLEMS ? problems : [...problems.slice(0, LISTED_PROBLEMS), `and ${problems.length - LISTED_PROBLEMS} more problems`];
  return { ok: false, problem: listed.join('; '), ...(isTime(t) ? { t } : {}), ...(isTime(t) && isLength(dt) ? { dt } : {}) };
}

function edgeProblems(rawEdges: readonly unknown[], metrics: readonly MetricKey[], problems: string[]): void {
  const seen = new Set<string>();
  for (let i = 0; i < rawEdges.length; i++) {
    const e: unknown = rawEdges[i];
    if (e === null || typeof e !== 'object' || Array.isArray(e)) {
      problems.push(`edges[${i}]: expected an object (got ${describeValue(e)})`);
      continue;
    }
    const r = e as Record<string, unknown>;
    const src = r['src'];
    const dst = r['dst'];
    if (!isName(src)) problems.push(`edges[${i}].src: expected a node name (got ${describeValue(src)})`);
    if (!isName(dst)) problems.push(`edges[${i}].dst: expected a node name (got ${describeValue(dst)})`);
    if (isName(src) && isName(dst)) {
      // The pair as JSON: one key per pair whatever the names hold.
      const key = JSON.stringify([src, dst]);
      if (seen.has(key)) problems.push(`edges[${i}]: ${terminalText(src)} → ${terminalText(dst)} appears twice`);
      seen.add(key);
    }
    for (const m of metrics) {
      const v = r[m];
      if (v === undefined || (typeof v !== 'number' && !Object.hasOwn(r, m))) continue;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) problems.push(`edges[${i}].${terminalText(m)}: expected a non-negative number (got ${describeValue(v)})`);
      else if (v > MAX_PLAUSIBLE_VALUE) problems.push(`edges[${i}].${terminalText(m)}: ${v} is beyond any real traffic (at most ${MAX_PLAUSIBLE_VALUE})`);
    }
  }
}

function isTime(t: unknown): t is number {
  return typeof t === 'number' && Number.isFinite(t);
}

function isLength(dt: unknown): dt is number {
  return typeof dt === 'number' && Number.isFinite(dt) && dt > 0;
}

function isName(name: unknown): name is string {
  return typeof name === 'string' && name !== '';
}

function isValue(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_PLAUSIBLE_VALUE;
}

/**
 * The first key of a parsed line's edges that is not src, dst or one of `known`'s metrics and
 * has a number value: a metric the writer did not list in run.json's `metrics` (which it must),
 * ignored like any field this reader does not know. For the reader to say, once.
 */
export function unlistedMetric(value: unknown, known: ReadonlySet<string>): { readonly key: string; readonly value: string } | undefined {
  const edges = (value as { edges?: unknown } | null)?.edges;
  if (!Array.isArray(edges)) return undefined;
  for (const e of edges) {
    if (e === null || typeof e !== 'object') continue;
    for (const [key, v] of Object.entries(e as object)) {
      if (typeof v === 'number' && key !== 'src' && key !== 'dst' && !known.has(key)) return { key, value: String(v) };
    }
  }
  return undefined;
}

/** A line as readers keep it: a snapshot (a gap when the line was bad), and what was wrong with the line, if anything. */
export type KeptSnapshot = { readonly snapshot: Snapshot; readonly problem?: string | undefined } | { readonly snapshot?: undefined; readonly problem: string };

/**
 * A parsed line → Snapshot as run-format.md tells readers to take it: a line whose `t` and `dt`
 * are readable but whose content is bad becomes a gap (the interval happened, its traffic is
 * unknown); any other bad line gives no snapshot, only its problem.
 */
export function decodeSnapshotOrGap(value: unknown, metrics: readonly MetricKey[]): KeptSnapshot {
  const decoded = decodeSnapshot(value, metrics);
  // The decoded result itself, not a copy: readers take this path for nearly every line.
  if (decoded.ok) return decoded;
  if (decoded.t === undefined || decoded.dt === undefined) return { problem: decoded.problem };
  return { snapshot: { t: decoded.t, dt: decoded.dt, gap: true, reason: `invalid line: ${decoded.problem}`, edges: [] }, problem: decoded.problem };
}

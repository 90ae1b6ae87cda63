import { startsBefore } from '../intervalBounds.ts';
import { ATTACK_KINDS, type BlamedEdge, type RunEvent } from '../types.ts';

// The one classification of intervals against the ground truth (run-format.md, "events.ndjson"
// and "replay/"). Replay's evaluator, the report, export and the dashboard page (this file is
// loaded in the browser too: no node imports here) all ask these functions, so they never
// disagree about an interval.

/** True for the kinds of event that are attacks (exfiltration, scan, lateral). */
export function isAttack(event: RunEvent): boolean {
  return ATTACK_KINDS.has(event.kind);
}

/**
 * Whether the interval (t − dt, t] is an attack interval of the event [start, end): it shares
 * a stretch of time with it, `t > start && t − dt < end`. An interval that ends exactly when
 * the attack starts only touches it at one instant and holds none of its traffic, so it is not
 * one. An instantaneous event (end == start) marks the one interval holding that instant,
 * `t − dt < start <= t`. An event whose end is NaN marks none: synthetic injection's attack
 * before the stream reaches its window (injectExfiltration's onEvent). `t − dt <` is decided
 * in exact arithmetic (startsBefore): rounding must not make an interval that only touches an
 * attack one of its intervals.
 */
export function overlaps(t: number, dt: number, event: Pick<RunEvent, 'start' | 'end'>): boolean {
  if (event.end <= event.start) return startsBefore(t, dt, event.start) && event.start <= t;
  return t > event.start && startsBefore(t, dt, event.end);
}

/** Whether (t − dt, t] is an attack interval for any of the given attacks. */
export function isAttackInterval(t: number, dt: number, attacks: readonly RunEvent[]): boolean {
  for (const a of attacks) if (overlaps(t, dt, a)) return true;
  return false;
}

/** An interval of the stream: (t − dt, t]. */
export interface IntervalSpan {
  readonly t: number;
  readonly dt: number;
}

/** Where an interval stands against the attacks. */
export interface IntervalClass {
  /** An attack interval of at least one attack: counted as a positive. */
  readonly attack: boolean;
  /**
   * The interval right after an attack's last attack interval, and not itself an attack
   * interval: left out of tp/fp/tn/fn and the ROC (telemetry may report an attack's last
   * bytes one interval late), though an alarm here still detects that attack.
   */
  readonly grace: boolean;
  /** Positions (in the attacks list) of the attacks this interval is an attack interval of. */
  readonly inside: readonly number[];
  /** Positions of the attacks whose last attack interval was the previous one, and not this. */
  readonly after: readonly number[];
}

const NONE: readonly number[] = [];

/**
 * Classify the interval (t − dt, t] given the interval before it in the stream (undefined for
 * the first): the attack intervals of each attack form one stretch of consecutive intervals,
 * so "right after the last of them" is "this one is not, the previous one was".
 */
export function classifyInterval(interval: IntervalSpan, previous: IntervalSpan | undefined, attacks: readonly RunEvent[]): IntervalClass {
  let inside: number[] | undefined;
  let after: number[] | undefined;
  for (let i = 0; i < attacks.length; i++) {
    const a = attacks[i]!;
    if (overlaps(interval.t, interval.dt, a)) (inside ??= []).push(i);
    else if (previous !== undefined && overlaps(previous.t, previous.dt, a)) (after ??= []).push(i);
  }
  const attack = inside !== undefined;
  return { attack, grace: !attack && after !== undefined, inside: inside ?? NONE, after: after ?? NONE };
}

/**
 * Classify a whole sequence of intervals (in stream order): the same answers, interval by
 * interval, as classifyInterval with each one's predecessor.
 */
export function classifyIntervals(intervals: readonly IntervalSpan[], attacks: readonly RunEvent[]): IntervalClass[] {
  return intervals.map((s, i) => classifyInterval(s, i > 0 ? intervals[i - 1] : undefined, attacks));
}

/**
 * An attack's edges (run-format.md, "events.ndjson"): the consecutive pairs of its `path`,
 * taken without direction; `*` stands for any node (unless `wildcard` is false: then only
 * edges the path names outright). Does the edge src–dst lie on it?
 */
export function isOnAttackPath(edge: Pick<BlamedEdge, 'src' | 'dst'>, path: readonly string[] | undefined, wildcard = true): boolean {
  if (path === undefined) return false;
  const match = (node: string, name: string) => (wildcard && node === '*') || node === name;
  for (let i = 0; i + 1 < path.length; i++) {
    const a = path[i]!;
    const b = path[i + 1]!;
    if ((match(a, edge.src) && match(b, edge.dst)) || (match(a, edge.dst) && match(b, edge.src))) return true;
  }
  return false;
}

/** Whether an attack's path names an edge (two nodes or more): else there is nothing to check a blamed edge against. */
export function hasAttackPath(path: readonly string[] | undefined): path is readonly string[] {
  return path !== undefined && path.length >= 2;
}

/**
 * For `blame.withoutPath` in summary.json: an alarm in an attack interval none of whose attacks
 * (`inside`) has a path: counted in `alarms`, never on path, and nothing to check it against.
 */
export function noPathToCheck(attacks: readonly RunEvent[], inside: readonly number[]): boolean {
  return !inside.some((i) => hasAttackPath(attacks[i]?.path));
}

/**
 * For `blame` in summary.json: does an alarm raised in an attack interval name an edge of
 * that attack (of any of the attacks it is an attack interval of) as its first blamed edge?
 */
export function firstBlameOnPath(blamed: readonly Pick<BlamedEdge, 'src' | 'dst'>[], attacks: readonly RunEvent[], inside: readonly number[]): boolean {
  const first = blamed[0];
  if (first === undefined) return false;
  for (const i of inside) if (isOnAttackPath(first, attacks[i]?.path)) return true;
  return false;
}

/**
 * The edge an alarm blamed first, and whether it lies on the given attack's path: summary.json's
 * per-attack outcome, so a reader sees whether the alarm that detected an attack was about it or
 * only fell in its interval (an exfiltration in a scan's span, background noise). Null edge:
 * the alarm blamed nothing.
 */
export function firstBlame(blamed: readonly Pick<BlamedEdge, 'src' | 'dst'>[], path: readonly string[] | undefined): { edge: { src: string; dst: string } | null; onPath: boolean } {
  const first = blamed[0];
  if (first === undefined) return { edge: null, onPath: false };
  return { edge: { src: first.src, dst: first.dst }, onPath: isOnAttackPath(first, path) };
}

/**
 * What to say beside "detected" about the detecting alarm's first blamed edge (the report's and
 * the dashboard's per-attack tables): nothing when it is an edge of the attack's path named
 * outright; the edge when it matched only through a `*` hop (a scan's `[workload, "*"]` matches
 * every edge touching the workload, so an exfiltration's edge there matches too: the reader
 * judges), or the attack has no path; "blamed elsewhere" when it is no edge of the attack, so
 * the alarm only fell in its interval.
 */
export function blameNote(blame: { edge: { src: string; dst: string } | null; onPath: boolean }, path: readonly string[] | undefined): string | undefined {
  if (blame.edge === null) return 'no edge blamed';
  const edge = `${blame.edge.src} → ${blame.edge.dst}`;
  // An attack recorded without a path has no edge to be on or off.
  if (!hasAttackPath(path)) return `blamed ${edge}`;
  if (!blame.onPath) return `blamed elsewhere: ${edge}`;
  return isOnAttackPath(blame.edge, path, false) ? undefined : `blamed ${edge}`;
}

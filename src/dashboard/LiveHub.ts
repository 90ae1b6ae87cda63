import { reportError } from '../logger.ts';
import { encodeSnapshot, type SnapshotLine } from '../store/index.ts';
import type { RunEvent, Snapshot, Verdict } from '../types.ts';
import { jsonNumber } from '../evaluation/index.ts';

/** What the live view knows about the experiment before its first interval. */
export interface LiveRunInfo {
  readonly name: string;
  readonly intervalSeconds: number;
  readonly durationSeconds: number;
  /** Intervals the experiment will record. */
  readonly plannedIntervals: number;
  readonly metrics: readonly string[];
  readonly detectors: readonly string[];
  readonly trainingSeconds: number;
  /** The exfiltration schedule, seconds after recording starts. */
  readonly exfiltration: readonly { readonly atSeconds: number; readonly bytes: number; readonly method: string; readonly workload?: string }[];
  /** EWMA weight and band width for the edge chart (the ewma detector's, else 0.2 and 3). */
  readonly ewma: { readonly lambda: number; readonly k: number };
  readonly target?: string;
  /** ISO time the experiment began. */
  readonly startedAt: string;
}

/** A verdict as sent to the page: NaN and ±Infinity as strings; blamed edges only on alarms. */
export interface LiveVerdict {
  readonly t: number;
  readonly dt: number;
  readonly detector: string;
  readonly score: number | string;
  readonly threshold: number | string;
  readonly alarm: boolean;
  readonly training: boolean;
  readonly gap: boolean;
  readonly blamed?: readonly { readonly src: string; readonly dst: string; readonly metric?: string; readonly score: number | string }[];
}

export interface LiveEnd {
  readonly complete: boolean;
  readonly intervals: number;
  readonly error?: string;
}

/** Everything the live view shows, as sent when a page connects. */
export interface LiveState {
  readonly active: boolean;
  readonly info: LiveRunInfo | null;
  readonly snapshots: readonly SnapshotLine[];
  readonly verdicts: readonly LiveVerdict[];
  readonly events: readonly RunEvent[];
  readonly ended: LiveEnd | null;
  /** Intervals dropped from the front to bound memory in long experiments. */
  readonly droppedIntervals: number;
}

export type LiveMessage =
  | { readonly type: 'begin'; readonly info: LiveRunInfo }
  | { readonly type: 'snapshot'; readonly snapshot: SnapshotLine }
  | { readonly type: 'verdict'; readonly verdict: LiveVerdict }
  | { readonly type: 'event'; readonly event: RunEvent }
  | { readonly type: 'end'; readonly end: LiveEnd };

/** One interval or verdict of the backlog, numbered in the order it happened. */
export type LiveEntry =
  | { readonly seq: number; readonly type: 'snapshot'; readonly data: SnapshotLine }
  | { readonly seq: number; readonly type: 'verdict'; readonly data: LiveVerdict };

export interface LiveHubOptions {
  /** Most intervals kept for pages that connect late (default 5000). */
  readonly maxIntervals?: number;
  /** Most blamed edges kept per alarm (default 20). */
  readonly maxBlamed?: number;
}

/**
 * The live experiment as the dashboard sees it: keeps what happened so far (for pages that
 * connect late) and passes each new thing to every subscriber. Its inputs are called from
 * the experiment's pipeline, so it never throws: a failing subscriber is logged and dropped.
 */
export class LiveHub {
  private info: LiveRunInfo | null = null;
  private snapshots: SnapshotLine[] = [];
  private verdicts: LiveVerdict[] = [];
  private events: RunEvent[] = [];
  private ended: LiveEnd | null = null;
  private dropped = 0;
  /** Snapshots and verdicts in the order they came, for streams that page through them. */
  private entries: LiveEntry[] = [];
  private nextSeq = 1;
  private readonly listeners = new Set<(message: LiveMessage) => void>();
  private readonly maxIntervals: number;
  private readonly maxBlamed: number;

  constructor(options: LiveHubOptions = {}) {
    this.maxIntervals = options.maxIntervals ?? 5000;
    this.maxBlamed = options.maxBlamed ?? 20;
    if (!(Number.isInteger(this.maxIntervals) && this.maxIntervals > 0)) throw new RangeError(`LiveHub maxIntervals: expected a positive whole number (got ${this.maxIntervals})`);
  }

  /** Name of the run being recorded, while one is. */
  get runName(): string | undefined {
    return this.info && !this.ended ? this.info.name : undefined;
  }

  /** A new experiment: forget the previous one. */
  begin(info: LiveRunInfo): void {
    this.info = info;
    this.snapshots = [];
    this.verdicts = [];
    this.events = [];
    this.ended = null;
    this.dropped = 0;
    this.entries = [];
    this.publish({ type: 'begin', info });
  }

  snapshot(s: Snapshot): void {
    const line = encodeSnapshot(s);
    this.snapshots.push(line);
    this.entries.push({ seq: this.nextSeq++, type: 'snapshot', data: line });
    if (this.snapshots.length > this.maxIntervals) {
      const cut = this.snapshots.length - this.maxIntervals;
      const lastDropped = this.snapshots[cut - 1]!.t;
      this.snapshots = this.snapshots.slice(cut);
      this.verdicts = this.verdicts.filter((v) => v.t > lastDropped);
      this.entries = this.entries.filter((e) => e.data.t > lastDropped);
      this.dropped += cut;
    }
    this.publish({ type: 'snapshot', snapshot: line });
  }

  verdict(v: Verdict): void {
    const served: LiveVerdict = {
      t: v.t,
      dt: v.dt,
      detector: v.detector,
      score: jsonNumber(v.score),
      threshold: jsonNumber(v.threshold),
      alarm: v.alarm,
      training: v.training,
      gap: v.gap,
      ...(v.alarm ? { blamed: v.blamed.slice(0, this.maxBlamed).map((b) => ({ src: b.src, dst: b.dst, ...(b.metric !== undefined ? { metric: b.metric } : {}), score: jsonNumber(b.score) })) } : {}),
    };
    this.verdicts.push(served);
    this.entries.push({ seq: this.nextSeq++, type: 'verdict', data: served });
    this.publish({ type: 'verdict', verdict: served });
  }

  event(e: RunEvent): void {
    this.events.push(e);
    this.publish({ type: 'event', event: e });
  }

  end(end: LiveEnd): void {
    this.ended = end;
    this.publish({ type: 'end', end });
  }

  state(): LiveState {
    return { active: this.info !== null && this.ended === null, info: this.info, snapshots: this.snapshots, verdicts: this.verdicts, events: this.events, ended: this.ended, droppedIntervals: this.dropped };
  }

  /** Sequence number of the oldest interval or verdict still kept (the next one's when none is). */
  get oldestSeq(): number {
    return this.entries[0]?.seq ?? this.nextSeq;
  }

  /** At most `limit` intervals and verdicts numbered after `seq`, oldest first (a page of the backlog). */
  entriesAfter(seq: number, limit: number): readonly LiveEntry[] {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return this.entries.slice(lo, lo + limit);
  }

  /** Receive every message from now on; returns the unsubscribe function. */
  subscribe(listener: (message: LiveMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private publish(message: LiveMessage): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(message);
      } catch (e) {
        this.listeners.delete(listener);
        reportError('dashboard: live subscriber', e);
      }
    }
  }
}

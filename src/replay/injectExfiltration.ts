import { map, defer, tap, type OperatorFunction } from 'rxjs';
import { UserError } from '../errors.ts';
import { overlaps } from '../evaluation/attackIntervals.ts';
import { intervalStart, isBefore, startsAfter, startsBefore } from '../intervalBounds.ts';
import { ownValue } from '../ownValue.ts';
import { terminalText } from '../terminalText.ts';
import type { EdgeSample, MetricKey, RunEvent, Snapshot } from '../types.ts';

/** A stretch of exfiltration, in seconds after the run's start (first interval's t − dt). */
export interface InjectionWindow {
  /** Seconds after the run start, inclusive. */
  readonly startSeconds: number;
  /** Seconds after the run start, exclusive. */
  readonly endSeconds: number;
}

export interface InjectExfiltrationOptions {
  /** Nodes the data passes through, where it is stored first, where it leaves last. Default user-db,user,front-end,external. */
  readonly path?: readonly string[] | undefined;
  /** Bytes moved per interval while a window is open (see `spread`). */
  readonly bytesPerInterval: number;
  /** Nominal interval length of the run (run.json `intervalSeconds`), which turns bytesPerInterval into a rate. */
  readonly intervalSeconds: number;
  /** When to exfiltrate. */
  readonly at: readonly InjectionWindow[];
  /** The run's metrics (run.json `metrics`): default hop metrics are chosen among them. */
  readonly runMetrics: readonly MetricKey[];
  /** Metric carrying each hop's bytes, one per hop (path length − 1). Default: see hopMetric(). */
  readonly hopMetrics?: readonly MetricKey[] | undefined;
  /** Run start in Unix seconds. Default: the first snapshot's t − dt. */
  readonly runStartSeconds?: number | undefined;
  /**
   * Request-direction bytes the client outside sends per byte it pulls (an API scrape asks for
   * its records a page at a time, each request with its headers), added to the last hop's edge
   * (outside → the first node inside: the front door) as `request_bytes`, or
   * `tcp_received_bytes` on a run without it; where that edge also records `requests` and
   * `request_bytes` in the interval, the requests those bytes make at the edge's own bytes per
   * request then are added too (rounded). Default 0: only the pulled bytes are added, as
   * Mimir's injection does.
   */
  readonly requestBytesPerByte?: number | undefined;
  /**
   * How a window meets the run's intervals. `whole-intervals` (default): an interval
   * (t − dt, t] is injected when its midpoint t − dt/2 lies in the window, with the full
   * bytesPerInterval, so a window covers the intervals it mostly covers, whole, whatever the
   * run's clock drift (a recording's interval ends drift off the grid: a window ending in a
   * sliver of an interval would make that interval an attack interval holding almost none of
   * the attack). The attack recorded runs from the first injected interval's start to the last
   * one's end, so the attack-interval rule marks exactly the injected intervals. `pro-rata`:
   * each interval receives bytesPerInterval × overlap / intervalSeconds, overlap being how many
   * seconds of it fall in a window, and the attack recorded is the window: for an attack meant
   * to straddle two intervals (quality part f's split windows).
   */
  readonly spread?: 'whole-intervals' | 'pro-rata' | undefined;
  /**
   * Receives one ground-truth event per window, before the first snapshot is passed on (the
   * labels need it then). With `pro-rata` it is the window as asked; with `whole-intervals`
   * its intervals are not known yet: it starts at the window's start and its end is NaN, which
   * marks no interval (attackIntervals' overlaps) until onRevised replaces it.
   */
  readonly onEvent?: ((event: RunEvent) => void) | undefined;
  /**
   * An event given by onEvent (or by an earlier onRevised) replaced by what is known of it
   * now, before the snapshot that taught it is passed on: with `whole-intervals`, at each
   * injected interval (its start is the first injected interval's start, its end this one's
   * end, its bytes what was injected so far). When the stream ends: undefined for a window that
   * injected into no interval (no attack), and with `pro-rata` the event as settled (see
   * InjectedWindow.injected) when it differs from the window as asked.
   */
  readonly onRevised?: ((previous: RunEvent, revised: RunEvent | undefined) => void) | undefined;
  /**
   * When the stream ends: what each window really injected. A window reaching past the run's
   * end, or over gaps, injects less than it asked; one no interval of the run takes, nothing.
   */
  readonly onSettled?: ((windows: readonly InjectedWindow[]) => void) | undefined;
}

/** One window's outcome (see onSettled). */
export interface InjectedWindow {
  readonly window: InjectionWindow;
  /** The window as asked, in Unix seconds, with the bytes asked (bytesPerInterval per intervalSeconds over it). */
  readonly planned: RunEvent;
  /**
   * The attack recorded, the last event given through onEvent or onRevised. `whole-intervals`:
   * from the first injected interval's start to the last one's end, bytesPerInterval per
   * injected interval that is not a gap (0 for a window all in gaps). `pro-rata`: `planned`
   * with its end cut at the run's end (when it reaches past it) and its bytes (the rate asked
   * over start to that end, less the seconds in gap intervals, to the byte); `planned` itself
   * when the whole window was injected. Undefined when the window took no interval of the run.
   */
  readonly injected: RunEvent | undefined;
  /** Seconds of the window's intervals (whole-intervals) or of the window (pro-rata) in gap intervals: nothing was injected there. */
  readonly gapSeconds: number;
  /** Whether the run ended before the window did: intervals the window would have taken are missing. */
  readonly cutAtRunEnd: boolean;
}

export const DEFAULT_INJECTION_PATH: readonly string[] = ['user-db', 'user', 'front-end', 'external'];

/**
 * The metric an exfiltration hop shows up in. Data flowing from `from` to `to` is pulled by
 * `to` (the caller) from `from` (the callee), so it appears on the matrix edge to → from as
 * bytes the callee sent back: `tcp_sent_bytes` on a database connection (a `*-db` node speaks
 * TCP, not HTTP), `response_bytes` on an HTTP call. When the run lacks the preferred metric
 * the other one is used (e.g. a TCP-only run such as the 2018 Munnin data).
 */
export function hopMetric(from: string, runMetrics: readonly MetricKey[]): MetricKey {
  const preferred = from.endsWith('-db') ? ['tcp_sent_bytes', 'response_bytes'] : ['response_bytes', 'tcp_sent_bytes'];
  const found = preferred.find((m) => runMetrics.includes(m));
  if (found === undefined) {
    throw new UserError(`inject: the run records neither response_bytes nor tcp_sent_bytes (metrics: ${runMetrics.map(terminalText).join(', ')}); name the hop metrics explicitly`);
  }
  return found;
}

/**
 * The edge each hop of `path` adds bytes to: hop path[i] → path[i+1] is pulled by the caller
 * path[i+1] from the callee path[i], so it is the matrix edge path[i+1] → path[i].
 */
export function injectionEdges(path: readonly string[]): { readonly src: string; readonly dst: string }[] {
  return path.slice(0, -1).map((from, i) => ({ src: path[i + 1]!, dst: from }));
}

/**
 * Mimir's synthetic injection: add exfiltration traffic along `path` to a copy of a benign
 * run's stream, and report the matching ground-truth events through `onEvent` and `onRevised`.
 *
 * For hop i (path[i] → path[i+1]) the bytes are added to metric hopMetrics[i] of edge
 * path[i+1] → path[i] (caller → callee; the bytes travel back in the response). Which
 * intervals receive how much: see `spread`. Gaps stay gaps: their traffic is unknown,
 * injected or not.
 */
export function injectExfiltration(options: InjectExfiltrationOptions): OperatorFunction<Snapshot, Snapshot> {
  const path = options.path ?? DEFAULT_INJECTION_PATH;
  if (path.length < 2 || path.some((n) => typeof n !== 'string' || n === '')) {
    throw new UserError(`inject path: expected at least two node names (got ${JSON.stringify(path)})`);
  }
  if (!(Number.isFinite(options.bytesPerInterval) && options.bytesPerInterval > 0)) {
    throw new UserError(`inject bytesPerInterval: expected a positive number (got ${options.bytesPerInterval})`);
  }
  if (!(Number.isFinite(options.intervalSeconds) && options.intervalSeconds > 0)) {
    throw new UserError(`inject intervalSeconds: expected a positive number (got ${options.intervalSeconds})`);
  }
  const requestRatio = options.requestBytesPerByte ?? 0;
  if (!(Number.isFinite(requestRatio) && requestRatio >= 0)) {
    throw new UserError(`inject requestBytesPerByte: expected a number ≥ 0 (got ${options.requestBytesPerByte})`);
  }
  options.at.forEach((w, i) => {
    if (!(Number.isFinite(w.startSeconds) && w.startSeconds >= 0 && Number.isFinite(w.endSeconds) && w.endSeconds > w.startSeconds)) {
      throw new UserError(`inject window ${i + 1}: expected 0 ≤ start < end seconds (got ${w.startSeconds}-${w.endSeconds})`);
    }
  });
  const hops = path.length - 1;
  const metrics = options.hopMetrics ?? path.slice(0, -1).map((from) => hopMetric(from, options.runMetrics));
  if (metrics.length !== hops) throw new UserError(`inject metrics: expected ${hops} (one per hop of ${path.join(' → ')}) (got ${metrics.length})`);
  const edges: Hop[] = injectionEdges(path).map((e, i) => ({ ...e, metric: metrics[i]!, share: 1, asks: false, call: callMetric(metrics[i]!, options.runMetrics) }));
  if (requestRatio > 0) {
    const metric = requestMetric(options.runMetrics);
    edges.push({ src: path[hops]!, dst: path[hops - 1]!, metric, share: requestRatio, asks: true, call: callMetric(metric, options.runMetrics) });
  }
  const bytesPerSecond = options.bytesPerInterval / options.intervalSeconds;
  const proRata = options.spread === 'pro-rata';
  if (options.spread !== undefined && !proRata && options.spread !== 'whole-intervals') {
    throw new UserError(`inject spread: expected whole-intervals or pro-rata (got ${JSON.stringify(options.spread)})`);
  }

  return (snapshots) =>
    defer(() => {
      let windows: WindowState[] | undefined;
      // Per hop: whether its edge has carried its protocol's traffic in the stream so far (see callMetric).
      const opened = new Uint8Array(edges.length);
      // The last interval of the run seen.
      let last: { t: number; dt: number } | undefined;
      const revise = (w: WindowState, next: RunEvent | undefined) => {
        options.onRevised?.(w.current, next);
        if (next !== undefined) w.current = next;
      };
      return snapshots.pipe(
        map((s) => {
          if (windows === undefined) {
            const runStart = options.runStartSeconds ?? intervalStart(s.t, s.dt);
            windows = options.at.map((w) => {
              const start = runStart + w.startSeconds;
              const end = runStart + w.endSeconds;
              const planned: RunEvent = { kind: 'exfiltration', start, end, bytes: bytesPerSecond * (end - start), path: [...path], method: 'synthetic', injected: true };
              // Whole intervals: its intervals are not known yet, and a NaN end marks none.
              const current = proRata ? planned : { ...planned, end: Number.NaN, bytes: 0 };
              return { window: w, start, end, planned, current, reached: false, gapSeconds: 0, intervals: 0, last: Number.NaN };
            });
            for (const w of windows) options.onEvent?.(w.current);
          }
          const prev = last;
          last = s;
          if (!s.gap) markOpened(s.edges, edges, opened);
          let added = 0;
          for (const w of windows) {
            if (proRata) {
              // Only the window's attack intervals (the rule decides, not a rounded overlap:
              // an interval that touches the window gets nothing).
              if (!overlaps(s.t, s.dt, w)) continue;
              const overlap = Math.min(s.t, w.end) - Math.max(s.t - s.dt, w.start);
              w.reached = true;
              // A gap's traffic is unknown: nothing is added there, and its seconds count as missed.
              if (s.gap) w.gapSeconds += overlap;
              else added += bytesPerSecond * overlap;
              continue;
            }
            // The midpoint in [start, end), compared beyond rounding like every interval bound.
            const middle = s.t - s.dt / 2;
            if (isBefore(middle, w.start) || !isBefore(middle, w.end)) {
              // The interval after the window's last may start before that one ends (intervals
              // that overlap a little): the attack then ends where this one starts, so that
              // (t − dt, t] > start, t − dt < end marks the intervals taken and not this one.
              if (prev !== undefined && w.last === prev.t && startsBefore(s.t, s.dt, w.current.end)) revise(w, { ...w.current, end: intervalStart(s.t, s.dt) });
              continue;
            }
            w.reached = true;
            w.last = s.t;
            if (s.gap) w.gapSeconds += s.dt;
            else {
              w.intervals += 1;
              added += options.bytesPerInterval;
            }
            // The first interval taken sets the start (the pending event's end is NaN), not
            // before the end of the interval before it (overlapping intervals: that one is not taken),
            // and on that end when the two are contiguous (not a rounding of it).
            const start = !Number.isNaN(w.current.end) ? w.current.start : prev === undefined || startsAfter(s.t, s.dt, prev.t) ? intervalStart(s.t, s.dt) : prev.t;
            revise(w, { ...w.planned, start, end: s.t, bytes: w.intervals * options.bytesPerInterval });
          }
          if (s.gap || added <= 0) return s;
          return { ...s, edges: addBytes(s.edges, edges, added, opened) };
        }),
        tap({
          complete: () => {
            const outcomes = (windows ?? []).map((w) => (proRata ? settledProRata(w, last?.t ?? Number.NaN) : settledWhole(w, last)));
            for (const [i, o] of outcomes.entries()) if (o.injected !== windows![i]!.current) revise(windows![i]!, o.injected);
            options.onSettled?.(outcomes);
          },
        }),
      );
    });
}

/** A window while the stream runs: its Unix-second bounds and what it has injected so far. */
interface WindowState {
  readonly window: InjectionWindow;
  readonly start: number;
  readonly end: number;
  readonly planned: RunEvent;
  /** The event last given through onEvent or onRevised. */
  current: RunEvent;
  /** Whether an interval of the run (gap or not) was taken by the window. */
  reached: boolean;
  /** Seconds of gap intervals taken by the window (nothing injected there). */
  gapSeconds: number;
  /** Whole intervals: how many intervals that are not gaps were injected, and the last taken one's t. */
  intervals: number;
  last: number;
}

/**
 * A whole-intervals window's outcome once the stream has ended: the event as last revised
 * (its bounds are the intervals taken, gaps included: an attack there may show late). The run
 * ended before the window when its last interval was taken and the next one's midpoint would
 * have been in the window too.
 */
function settledWhole(w: WindowState, last: { t: number; dt: number } | undefined): InjectedWindow {
  if (!w.reached) return { window: w.window, planned: w.planned, injected: undefined, gapSeconds: 0, cutAtRunEnd: false };
  const cutAtRunEnd = last !== undefined && w.last === last.t && isBefore(last.t + last.dt / 2, w.end);
  return { window: w.window, planned: w.planned, injected: w.current, gapSeconds: w.gapSeconds, cutAtRunEnd };
}

/**
 * A pro-rata window's outcome once the stream has ended (see InjectedWindow). The end is cut
 * back only at the run's end (`runEnd`, Unix seconds): the intervals the Evaluator classified
 * against the window as asked are all before it, so the attack recorded marks the same attack
 * and grace intervals as were scored. Gap intervals inside it keep their place in the window
 * (an attack there may show late) and count as missed bytes.
 */
function settledProRata(w: WindowState, runEnd: number): InjectedWindow {
  if (!w.reached) return { window: w.window, planned: w.planned, injected: undefined, gapSeconds: 0, cutAtRunEnd: false };
  const end = Math.min(w.end, runEnd);
  if (end === w.end && w.gapSeconds === 0) return { window: w.window, planned: w.planned, injected: w.planned, gapSeconds: 0, cutAtRunEnd: false };
  // The rate asked over the stretch in the run, less its gaps. (Not a sum of interval shares: a
  // recording whose intervals leave slivers of time between them, clocks drifting, would
  // show a window injected whole as some bytes short.)
  const bytesPerSecond = (w.planned.bytes ?? 0) / (w.end - w.start);
  const bytes = Math.max(0, Math.round(bytesPerSecond * (end - w.start - w.gapSeconds)));
  return { window: w.window, planned: w.planned, injected: { ...w.planned, end, bytes }, gapSeconds: w.gapSeconds, cutAtRunEnd: end < w.end };
}

/** The metric a client's requests show up in: `request_bytes`, or `tcp_received_bytes` on a TCP-only run. */
function requestMetric(runMetrics: readonly MetricKey[]): MetricKey {
  const found = (['request_bytes', 'tcp_received_bytes'] as const).find((m) => runMetrics.includes(m));
  if (found === undefined) throw new UserError(`inject requestBytesPerByte: the run records neither request_bytes nor tcp_received_bytes (metrics: ${runMetrics.map(terminalText).join(', ')})`);
  return found;
}

/** What an injection adds to one edge: `share` × the bytes moved of `metric`; `asks`: they are request bytes (see requestBytesPerByte). */
interface Hop {
  readonly src: string;
  readonly dst: string;
  readonly metric: MetricKey;
  readonly share: number;
  readonly asks: boolean;
  /**
   * The count of the call that carries the bytes, the metrics of its protocol, and whether a
   * call lasts an interval (HTTP: a request) or may stay open (TCP: a connection); see callMetric.
   * Undefined: the run does not record the count.
   */
  readonly call: Protocol | undefined;
}

/** A protocol's call count, its metrics (the count among them), and whether a call lasts its interval (a request) or may stay open (a connection). */
interface Protocol {
  readonly count: MetricKey;
  readonly metrics: readonly MetricKey[];
  readonly perInterval: boolean;
}

const PROTOCOLS: readonly Protocol[] = [
  { count: 'requests', metrics: ['requests', 'request_bytes', 'response_bytes'], perInterval: true },
  { count: 'tcp_connections', metrics: ['tcp_connections', 'tcp_sent_bytes', 'tcp_received_bytes'], perInterval: false },
];

/**
 * The count that shows the call carrying a hop's bytes: `requests` for an HTTP byte metric,
 * `tcp_connections` (opened) for a TCP one, when the run records it. Bytes move over a request
 * or a connection, and an injection that adds bytes alone where no call could carry them makes
 * traffic no real attack could (a new link's exfiltration was invisible to the detectors that
 * count calls, `midas`). So addBytes adds one call where none can be there: an HTTP request
 * when the edge carries no HTTP traffic in the interval (every response rides on a request of
 * its own interval); a TCP connection opened when the edge has carried no TCP traffic in the
 * stream so far (a link never seen). An edge busy in the interval, or a TCP edge seen before
 * (its pooled connection may stay open through idle intervals, and opens none), gets bytes alone.
 */
function callMetric(metric: MetricKey, runMetrics: readonly MetricKey[]): Protocol | undefined {
  const call = PROTOCOLS.find((p) => p.metrics.includes(metric));
  return call !== undefined && runMetrics.includes(call.count) ? call : undefined;
}

/** Whether an edge's values show traffic of a protocol (any of its metrics above 0). */
function carries(values: Readonly<Record<MetricKey, number>>, metrics: readonly MetricKey[]): boolean {
  return metrics.some((m) => (ownValue(values, m) ?? 0) > 0);
}

/**
 * Marks the TCP hops whose link carries TCP traffic in this interval, as recorded (before any
 * injection): from then on a connection may be open. An HTTP hop's call lasts its interval, so
 * it is not tracked, and a hop already marked is not looked up again.
 */
function markOpened(original: readonly EdgeSample[], hops: readonly Hop[], opened: Uint8Array): void {
  hops.forEach((hop, h) => {
    if (hop.call === undefined || hop.call.perInterval || opened[h] === 1) return;
    const e = original.find((x) => x.src === hop.src && x.dst === hop.dst);
    if (e !== undefined && carries(e.values, hop.call.metrics)) opened[h] = 1;
  });
}

function addBytes(original: readonly EdgeSample[], hops: readonly Hop[], bytes: number, opened: Uint8Array): EdgeSample[] {
  const out = original.slice();
  for (const [h, hop] of hops.entries()) {
    const added = hop.share * bytes;
    const i = out.findIndex((e) => e.src === hop.src && e.dst === hop.dst);
    const before: Readonly<Record<MetricKey, number>> = i === -1 ? {} : out[i]!.values;
    const values = { ...before, [hop.metric]: (ownValue(before, hop.metric) ?? 0) + added };
    const call = hop.call;
    if (call !== undefined && !carries(before, call.metrics) && (call.perInterval || opened[h] === 0)) {
      // No call of this protocol can be carrying them (see callMetric): the one that does.
      values[call.count] = 1;
      opened[h] = 1;
    } else {
      // The requests those bytes make, at the edge's own bytes per request in this interval.
      const { requests, request_bytes: requestBytes } = before;
      if (hop.asks && hop.metric === 'request_bytes' && requests !== undefined && requests > 0 && requestBytes !== undefined && requestBytes > 0) {
        values.requests = requests + Math.round((added * requests) / requestBytes);
      }
    }
    const edge = { src: hop.src, dst: hop.dst, values };
    if (i === -1) out.push(edge);
    else out[i] = edge;
  }
  return out;
}

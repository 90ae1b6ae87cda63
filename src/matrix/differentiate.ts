import type { OperatorFunction } from 'rxjs';
import { Observable } from 'rxjs';
import type { CounterSample, EdgeSample, Snapshot, TelemetryRead } from '../types.ts';
import { isPlausibleValue, MAX_PLAUSIBLE_VALUE } from './plausibleValue.ts';
import { terminalText } from '../terminalText.ts';
import { edgeKey } from '../edgeKey.ts';

export interface DifferentiateOptions {
  /** Metric keys kept in the matrix; samples of other metrics are ignored. Default: all. */
  readonly metrics?: readonly string[];
  /**
   * Faults before the first good read. `skip` (default): the stream starts at its first good
   * read (an import of a store's past: steps before its first sample are left out). `gap`: the
   * first read, fault or not, starts the stream, so every later fault is a gap interval (a live
   * recording, whose clock started at its first read attempt and whose intervals must cover it).
   */
  readonly leadingFaults?: 'skip' | 'gap';
}

/**
 * Counters → per-interval differential traffic matrices.
 *
 * - The first read only seeds: there is no interval before it.
 * - Deltas are taken per counter series, then summed per src → dst edge, so one pod's
 *   restart cannot cancel another's traffic in a sum.
 * - A counter that went down was reset (a restarted workload): its new value is the
 *   traffic since the reset, never a negative delta.
 * - A series never seen before is new traffic since the last read (e.g. the first request
 *   on a new edge: exactly what an exfiltration to a new destination looks like).
 * - A series that went missing keeps its last value, so when it returns only what it
 *   gained in between is counted, not its whole history again.
 * - A traffic value that is not plausible (above 2^53 − 1, or not finite: see plausibleValue.ts)
 *   makes the interval a gap, and the read after it too, as a fault does.
 * - A fault is a gap. The read after a fault is a gap too: the traffic since the last good
 *   read cannot be split between the failed interval and this one, and putting all of it in
 *   this interval would be an inflated reading.
 */
export function differentiate(options: DifferentiateOptions = {}): OperatorFunction<TelemetryRead, Snapshot> {
  const keep = options.metrics ? new Set(options.metrics) : undefined;
  const leadingFaultsAreGaps = options.leadingFaults === 'gap';
  return (reads) =>
    new Observable<Snapshot>((subscriber) => {
      const baseline = new Map<string, number>();
      let lastT: number | undefined;
      let afterFault = false;
      return reads.subscribe({
        next(read) {
          if (read.kind === 'fault') {
            if (lastT !== undefined) {
              subscriber.next({ t: read.t, dt: read.t - lastT, gap: true, reason: read.reason, edges: [] });
              lastT = read.t;
              afterFault = true;
            } else if (leadingFaultsAreGaps) {
              // A failed seed: no interval ends here, but the next read starts one (a gap, like any read after a fault).
              lastT = read.t;
              afterFault = true;
            }
            return;
          }
          const samples = keep ? read.samples.filter((s) => keep.has(s.metric)) : read.samples;
          if (lastT === undefined) {
            remember(baseline, samples);
            lastT = read.t;
            return;
          }
          const dt = read.t - lastT;
          lastT = read.t;
          if (afterFault) {
            remember(baseline, samples);
            afterFault = false;
            subscriber.next({ t: read.t, dt, gap: true, reason: 'first read after a telemetry fault', edges: [] });
            return;
          }
          const edges = deltas(baseline, samples);
          const absurd = implausible(edges);
          if (absurd !== undefined) {
            // Bad input, not traffic: unknown, like a fault, and so is the interval after it.
            afterFault = true;
            subscriber.next({ t: read.t, dt, gap: true, reason: absurd, edges: [] });
            return;
          }
          subscriber.next({ t: read.t, dt, gap: false, edges });
        },
        error: (e) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
    });
}

/** Why these edges cannot be traffic, or undefined. */
function implausible(edges: readonly EdgeSample[]): string | undefined {
  for (const e of edges) {
    for (const [metric, v] of Object.entries(e.values)) {
      if (!isPlausibleValue(v)) return `implausible traffic: ${terminalText(e.src)} → ${terminalText(e.dst)} ${terminalText(metric)} = ${v} (at most ${MAX_PLAUSIBLE_VALUE})`;
    }
  }
  return undefined;
}

function remember(baseline: Map<string, number>, samples: readonly CounterSample[]): void {
  for (const s of samples) baseline.set(s.series, s.value);
}

function deltas(baseline: Map<string, number>, samples: readonly CounterSample[]): EdgeSample[] {
  const byEdge = new Map<string, { src: string; dst: string; values: Record<string, number> }>();
  for (const s of samples) {
    const previous = baseline.get(s.series);
    baseline.set(s.series, s.value);
    const delta = previous === undefined || s.value < previous ? s.value : s.value - previous;
    if (!(delta > 0)) continue;
    const key = edgeKey(s.src, s.dst);
    let edge = byEdge.get(key);
    if (!edge) {
      edge = { src: s.src, dst: s.dst, values: {} };
      byEdge.set(key, edge);
    }
    edge.values[s.metric] = (edge.values[s.metric] ?? 0) + delta;
  }
  return [...byEdge.values()];
}

import type { OperatorFunction } from 'rxjs';
import type { DetectorParameters } from '../config/index.ts';
import { createDetectors, runDetectors, vectorize } from '../detectors/index.ts';
import type { MetricKey, Snapshot, Verdict } from '../types.ts';

export interface DetectLiveOptions {
  /** The run's metric keys (run.json `metrics`), so every frame has their arrays from the start. */
  readonly metrics?: readonly MetricKey[] | undefined;
}

/**
 * Snapshots → verdicts of every enabled detector: the one composition used by replay and by
 * a live experiment, so the two judge traffic alike. One verdict per detector per interval.
 */
export function detectLive(config: DetectorParameters, options: DetectLiveOptions = {}): OperatorFunction<Snapshot, Verdict> {
  const detectors = createDetectors(config);
  const vectorizeOptions = options.metrics === undefined ? {} : { metrics: options.metrics };
  return (snapshots) => snapshots.pipe(vectorize(vectorizeOptions), runDetectors(detectors));
}

/** One line describing an alarm, for printing alerts as they fire (time relative to `startSeconds` when given). */
export function formatAlert(v: Verdict, startSeconds?: number): string {
  const at = startSeconds === undefined ? `t=${v.t}` : `+${(v.t - startSeconds).toFixed(0)} s`;
  const blamed = v.blamed
    .slice(0, 3)
    .map((b) => `${b.src} → ${b.dst}${b.metric ? ` (${b.metric})` : ''}`)
    .join(', ');
  return `alert ${at}  ${v.detector}: score ${short(v.score)} > ${short(v.threshold)}${blamed ? `  blamed: ${blamed}` : ''}`;
}

function short(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 100 || Number.isInteger(x) ? x.toFixed(0) : x.toPrecision(3);
}

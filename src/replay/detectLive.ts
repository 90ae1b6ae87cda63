import type { OperatorFunction } from 'rxjs';
import type { DetectorParameters } from '../config/index.ts';
import { createDetectors, DETECTOR_NAMES, EDGE_FORGET_AFTER_SECONDS, runDetectors, vectorize } from '../detectors/index.ts';
import type { MetricKey, Snapshot, Verdict } from '../types.ts';
import { formatScoreAndThreshold } from '../evaluation/formatScore.ts';
import { terminalText } from '../terminalText.ts';
import { OFFLOADED_DETECTORS, offloadedDetectors } from './offload/index.ts';

export interface DetectLiveOptions {
  /** The run's metric keys (run.json `metrics`), so every frame has their arrays from the start. */
  readonly metrics?: readonly MetricKey[] | undefined;
  /**
   * The run's folder, when the snapshots are that run's as recorded (no injection): the
   * OFFLOADED_DETECTORS among the enabled ones then run in a worker thread that reads it too
   * (`--threads 2`, see offloadedDetectors). Undefined: one thread.
   */
  readonly offloadFrom?: string | undefined;
}

/**
 * Snapshots → verdicts of every enabled detector: the one composition used by replay and by
 * a live experiment, so the two judge traffic alike. One verdict per detector per interval.
 */
export function detectLive(config: DetectorParameters, options: DetectLiveOptions = {}): OperatorFunction<Snapshot, Verdict> {
  const forgetEdgesAfterSeconds = edgeHorizonSeconds(config);
  const vectorizeOptions = options.metrics === undefined ? { forgetEdgesAfterSeconds } : { metrics: options.metrics, forgetEdgesAfterSeconds };
  const offloaded = options.offloadFrom === undefined ? [] : config.enabled.filter((n) => OFFLOADED_DETECTORS.includes(n));
  if (options.offloadFrom !== undefined && offloaded.length > 0) return offloadedDetectors(config, { dir: options.offloadFrom, offloaded, vectorize: vectorizeOptions });
  const detectors = createDetectors(config);
  return (snapshots) => snapshots.pipe(vectorize(vectorizeOptions), runDetectors(detectors));
}

/**
 * How long the edge index remembers a silent edge: a day (EDGE_FORGET_AFTER_SECONDS), or a
 * running detector's own `forgetAfterSeconds` when it is set longer, so no detector forgets an edge
 * later than the index does (a detector told to remember a week of silence still recognises an
 * edge back after three days).
 */
export function edgeHorizonSeconds(config: DetectorParameters): number {
  let horizon = EDGE_FORGET_AFTER_SECONDS;
  // Only detectors that run (the enabled built-ins, and every plugin: a plugin listed always
  // runs): a disabled one's options keep no edge in mind.
  const builtIn = new Set<string>(DETECTOR_NAMES);
  for (const [name, options] of Object.entries(config.options)) {
    if (builtIn.has(name) && !(config.enabled as readonly string[]).includes(name)) continue;
    const forget = (options as { readonly forgetAfterSeconds?: unknown } | undefined)?.forgetAfterSeconds;
    if (typeof forget === 'number' && forget > horizon) horizon = forget;
  }
  return horizon;
}

/**
 * One line describing an alarm, for printing alerts as they fire (time relative to `startSeconds`
 * when given). Names are escaped (terminalText): a node named with a newline would print fake alert lines.
 */
export function formatAlert(v: Verdict, startSeconds?: number): string {
  const at = startSeconds === undefined ? `t=${v.t}` : `+${(v.t - startSeconds).toFixed(0)} s`;
  const blamed = v.blamed
    .slice(0, 3)
    .map((b) => `${terminalText(b.src)} → ${terminalText(b.dst)}${b.metric ? ` (${terminalText(b.metric)})` : ''}`)
    .join(', ');
  const [score, threshold] = formatScoreAndThreshold(v.score, v.threshold);
  // Every detector alarms when score > threshold (detectorOperator in src/detectors/detector.ts);
  // a verdict may say otherwise (`comparison`), and the line shows the rule as it is.
  return `alert ${at}  ${terminalText(v.detector)}: score ${score} ${v.comparison ?? '>'} ${threshold}${blamed ? `  blamed: ${blamed}` : ''}`;
}

import type { OperatorFunction } from 'rxjs';
import { runDetectors, vectorize, type NamedDetector } from '../detectors/index.ts';
import type { Snapshot, Verdict } from '../types.ts';

/** The same detectors replay runs, applied to snapshots as they are recorded. */
export function liveDetection(detectors: readonly NamedDetector[]): OperatorFunction<Snapshot, Verdict> {
  return (snapshots) => snapshots.pipe(vectorize(), runDetectors(detectors));
}

import type { OperatorFunction } from 'rxjs';
import type { DetectorParameters } from '../config/index.ts';
import { createDetectors, runDetectors, vectorize } from '../detectors/index.ts';
import type { Snapshot, Verdict } from '../types.ts';

/** The same detectors replay runs, applied to snapshots as they are recorded. */
export function liveDetection(config: DetectorParameters): OperatorFunction<Snapshot, Verdict> {
  const detectors = createDetectors(config);
  return (snapshots) => snapshots.pipe(vectorize(), runDetectors(detectors));
}

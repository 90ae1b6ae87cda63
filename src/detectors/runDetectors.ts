import { connect, ignoreElements, merge, type OperatorFunction } from 'rxjs';
import type { Frame, Verdict } from '../types.ts';
import type { NamedDetector } from './createDetectors.ts';

/**
 * One frame stream to every detector. `connect` subscribes all detectors before the source
 * starts, so a synchronous source (a replayed file) reaches each of them; verdicts come out
 * frame by frame, all detectors' verdicts for a frame (in the detectors' order) before any
 * of the next frame's.
 */
export function runDetectors(detectors: readonly NamedDetector[]): OperatorFunction<Frame, Verdict> {
  if (detectors.length === 0) return (frames) => frames.pipe(ignoreElements());
  return (frames) => frames.pipe(connect((shared) => merge(...detectors.map((d) => shared.pipe(d.operator)))));
}

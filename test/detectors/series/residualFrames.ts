// Shared by the residual tests: option parsing, frames from hand-made snapshots, normal noise.

import { from, toArray } from 'rxjs';
import { z } from 'zod';
import { loadResidualFields, vectorize } from '../../../src/detectors/index.ts';
import type { Frame, Snapshot } from '../../../src/types.ts';
import { seededRandom } from '../../util.ts';

/** LoadResiduals' parameters: the defaults, with `options` over them. */
export const parameters = (options: Record<string, unknown> = {}) => z.object(loadResidualFields()).parse(options);

/** The frames a detector would read from `snapshots`. */
export function framesOf(snapshots: readonly Snapshot[]): Frame[] {
  let frames: Frame[] = [];
  from(snapshots).pipe(vectorize(), toArray()).subscribe((f) => (frames = f));
  return frames;
}

/** Standard normal draws (Box-Muller on a seeded uniform). */
export function gaussian(seed: number): () => number {
  const random = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

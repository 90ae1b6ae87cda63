// A complete detector plugin (README "Writing a detector"): alarm when the mesh as a whole
// moves several times its usual volume in one interval. Enable it in parameters.ts with
//   detectors: { plugins: ['./examples/detectors/total-volume.ts'], options: { 'total-volume': { ratio: 4 } } }
// or on the command line: npm run replay -- <run> --detector-module examples/detectors/total-volume.ts
import { z } from 'zod';
import { BYTE_METRICS, detectorOperator, type DetectorCore } from '../../src/detectors/index.ts';
import { defineDetector } from '../../src/plugins/index.ts';
import type { BlamedEdge, Frame } from '../../src/types.ts';

const optionsSchema = z
  .object({
    /** Benign intervals the baseline is the median of (the most recent ones). */
    windowIntervals: z.number().int().min(1).default(20),
    /** Alarm when the interval's bytes exceed this many times the baseline. */
    ratio: z.number().positive().default(3),
    /** Floor of the baseline, bytes, so a nearly silent mesh does not alarm on a few requests. */
    minBytes: z.number().nonnegative().default(1000),
  })
  .strict();

/** Bytes of every edge in the frame (the byte metrics the run has, summed per edge) and their total. */
function edgeBytes(frame: Frame): { perEdge: Float64Array; total: number } {
  const perEdge = new Float64Array(frame.edges.size);
  for (const metric of BYTE_METRICS) {
    const values = frame.values.get(metric);
    if (!values) continue;
    for (let i = 0; i < values.length; i++) perEdge[i]! += values[i]!;
  }
  let total = 0;
  for (const x of perEdge) total += x;
  return { perEdge, total };
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export default defineDetector({
  name: 'total-volume',
  optionsSchema,
  create(options, setup) {
    // detectorOperator gives the contract for free: one verdict per frame, training and gaps
    // unscored (a gap is never shown to the core), alarm = score > threshold.
    return detectorOperator((): DetectorCore => {
      const recent: number[] = [];
      const learn = (total: number) => {
        recent.push(total);
        if (recent.length > options.windowIntervals) recent.shift();
      };
      return {
        train: (frame) => learn(edgeBytes(frame).total),
        judge(frame) {
          const { perEdge, total } = edgeBytes(frame);
          const baseline = Math.max(recent.length > 0 ? median(recent) : 0, options.minBytes);
          const score = total / baseline;
          // Never learn from an alarmed interval: one exfiltration must not hide the next.
          if (!(score > options.ratio)) learn(total);
          const blamed: BlamedEdge[] = [...perEdge.keys()]
            .filter((i) => perEdge[i]! > 0)
            .sort((a, b) => perEdge[b]! - perEdge[a]!)
            .slice(0, 5)
            .map((i) => ({ ...frame.edges.list[i]!, score: perEdge[i]! / baseline }));
          return { score, threshold: options.ratio, blamed };
        },
      };
    }, setup);
  },
});

import type { OperatorFunction } from 'rxjs';
import { z } from 'zod';
import type { Frame, Verdict } from '../../types.ts';
import { detectorOperator, streamOptions, type DetectorSetup } from '../detector.ts';
import { EdgePolicy, readPolicyFile } from './edgePolicy.ts';
import { NewEdge } from './newEdgeCore.ts';
import { edgeSchema, metricsOption, parseDetectorOptions } from '../options.ts';
import { VolumeSeries } from '../series/index.ts';

export const newEdgeOptionsSchema = z
  .object({
    /** Edges allowed to carry traffic (`*` matches any node), like Mimir's network-security policy. */
    allowedEdges: z.array(edgeSchema).optional(),
    /** JSON file of allowed edges: a list of {src, dst}, or {"allowedEdges": [...]}. Read once, at start. */
    policyFile: z.string().min(1).optional(),
    /** Allow the edges that carried traffic in training. Default: true without a policy, false with one. */
    learnFromTraining: z.boolean().optional(),
    /** `edges` (default): score = number of disallowed edges carrying traffic; `bytes`: their bytes. */
    score: z.enum(['edges', 'bytes']).default('edges'),
    /** Metrics counted as bytes (for `score: bytes` and for ranking blamed edges). Default: the byte metrics. */
    metrics: metricsOption(),
  })
  .strict();
export type NewEdgeOptionsInput = z.input<typeof newEdgeOptionsSchema>;
export type NewEdgeOptions = z.output<typeof newEdgeOptionsSchema>;

/** `new-edge`: alarm on traffic over an edge never seen in training or outside the policy (see NewEdge). */
export function newEdge(options: NewEdgeOptionsInput = {}, setup: DetectorSetup = {}): OperatorFunction<Frame, Verdict> {
  const o = parseDetectorOptions('new-edge', newEdgeOptionsSchema, options);
  const stream = streamOptions('new-edge', setup);
  const allowed = [...(o.allowedEdges ?? [])];
  if (o.policyFile !== undefined) allowed.push(...readPolicyFile(o.policyFile, 'detectors.options.new-edge.policyFile'));
  const hasPolicy = o.allowedEdges !== undefined || o.policyFile !== undefined;
  const policy = new EdgePolicy(allowed);
  const learnFromTraining = o.learnFromTraining ?? !hasPolicy;
  return detectorOperator(
    () => new NewEdge(new VolumeSeries({ metrics: o.metrics, combine: 'sum' }), { learnFromTraining, policy, score: o.score }),
    stream,
  );
}

import type { OperatorFunction } from 'rxjs';
import { z } from 'zod';
import type { Frame, Verdict } from '../../types.ts';
import { detectorOperator, streamOptions, type DetectorSetup } from '../detector.ts';
import { EdgePolicy, readPolicyFile } from './edgePolicy.ts';
import { NewEdge } from './newEdgeCore.ts';
import { edgeSchema, metricsOption, parseDetectorOptions } from '../options.ts';
import { ActiveEdges } from '../sparse/index.ts';
import { falseAlarmRateOption } from '../stats/index.ts';

export const newEdgeOptionsSchema = z
  .object({
    /** Edges allowed to carry traffic (`*` matches any node), like Mimir's network-security policy. */
    allowedEdges: z.array(edgeSchema).optional(),
    /** JSON file of allowed edges: a list of {src, dst}, or {"allowedEdges": [...]}. Read once, at start. */
    policyFile: z.string().min(1).optional(),
    /** Allow the edges that carried traffic in training. Default: true without a policy, false with one. */
    learnFromTraining: z.boolean().optional(),
    /**
     * After training, an unknown edge is allowed once it has carried traffic in this many
     * intervals (outside a fan-out burst); 0: never. Default: 3 without a policy, 0 with one
     * (a policy says what is allowed; set it to learn on top of the policy).
     */
    allowAfterIntervals: z.number().int().nonnegative().optional(),
    /** Seconds of silence after which a learnt edge or node is unknown again (policy edges never are). Default 86,400 (a day). */
    forgetAfterSeconds: z.number().finite().positive().default(86_400),
    /** A node opening at least this many new edges in one interval is a fan-out burst (a scan), whose edges are never learnt. Default 5. */
    fanOutEdges: z.number().int().min(2).default(5),
    /** `edges` (default): score = new edges + new nodes carrying traffic; `bytes`: the bytes on new edges. */
    score: z.enum(['edges', 'bytes']).default('edges'),
    /**
     * This detector's false-alarm rate, over the parameters' `detectors.falseAlarmRate`. It sets
     * the threshold only where novelty is common (a connection log); where it is rare (a mesh)
     * any new edge alarms (see NoveltyLimit).
     */
    falseAlarmRate: falseAlarmRateOption().optional(),
    /** Metrics counted as bytes (for `score: bytes` and for ranking blamed edges). Default: the byte metrics. */
    metrics: metricsOption(),
  })
  .strict();
export type NewEdgeOptionsInput = z.input<typeof newEdgeOptionsSchema>;
export type NewEdgeOptions = z.output<typeof newEdgeOptionsSchema>;

/** `new-edge`: alarm on traffic over an edge neither learnt (in training, or by repeated use) nor in the policy (see NewEdge). */
export function newEdge(options: NewEdgeOptionsInput = {}, setup: DetectorSetup = {}): OperatorFunction<Frame, Verdict> {
  const o = parseDetectorOptions('new-edge', newEdgeOptionsSchema, options);
  const stream = streamOptions('new-edge', setup);
  const allowed = [...(o.allowedEdges ?? [])];
  if (o.policyFile !== undefined) allowed.push(...readPolicyFile(o.policyFile, 'detectors.options.new-edge.policyFile'));
  const hasPolicy = o.allowedEdges !== undefined || o.policyFile !== undefined;
  const policy = new EdgePolicy(allowed);
  const learnFromTraining = o.learnFromTraining ?? !hasPolicy;
  const allowAfterIntervals = o.allowAfterIntervals ?? (hasPolicy ? 0 : 3);
  const parameters = { learnFromTraining, policy, score: o.score, allowAfterIntervals, forgetAfterSeconds: o.forgetAfterSeconds, fanOutEdges: o.fanOutEdges, falseAlarmRate: o.falseAlarmRate ?? stream.falseAlarmRate };
  return detectorOperator(
    () => new NewEdge(new ActiveEdges({ metrics: o.metrics }), parameters),
    stream,
  );
}

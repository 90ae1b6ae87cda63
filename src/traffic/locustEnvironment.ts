import type { TrafficParameters } from '../config/index.ts';
import { behaviourPlan } from './behaviourPlan.ts';

/** Printed by locust/locustfile.py when its load shape first ticks: its users are running. */
export const LOCUST_READY_LINE = 'munnin-locust: shape started';

/**
 * The MUNNIN_* variables locust/locustfile.py reads (its docstring lists them), for Locust run
 * here or in the cluster, so both drive the same behaviour and load shape.
 */
export function locustEnvironment(traffic: TrafficParameters, durationSeconds: number): Record<string, string> {
  const plan = behaviourPlan(traffic, durationSeconds);
  return {
    MUNNIN_SHAPE: traffic.shape,
    MUNNIN_USERS: String(plan.peakUsers),
    MUNNIN_DURATION_SECONDS: String(durationSeconds),
    MUNNIN_THINK_MIN_SECONDS: String(plan.thinkMinSeconds),
    MUNNIN_THINK_MAX_SECONDS: String(plan.thinkMaxSeconds),
    MUNNIN_MIX: plan.weights.join(','),
    MUNNIN_SEED: String(traffic.seed),
  };
}

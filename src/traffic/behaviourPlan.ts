import type { TrafficParameters } from '../config/index.ts';
import { UserError } from '../errors.ts';

/** The three Sock Shop user behaviours Munnin used, in the order of their weights. */
export const BEHAVIOURS = ['browse', 'buy', 'register'] as const;
export type Behaviour = (typeof BEHAVIOURS)[number];

/** What both generators need from the traffic parameters, checked once. */
export interface BehaviourPlan {
  /** Peak simulated users. */
  readonly peakUsers: number;
  /** Shortest think time between a user's actions, seconds (already scaled). */
  readonly thinkMinSeconds: number;
  /** Longest think time, seconds (already scaled). */
  readonly thinkMaxSeconds: number;
  /** Weights of browse, buy, register (same order as BEHAVIOURS). */
  readonly weights: readonly [number, number, number];
}

/**
 * Check the traffic parameters the schema cannot check on its own (relations between
 * fields) and apply thinkTimeScale. Throws UserError naming the field and the value.
 */
export function behaviourPlan(traffic: TrafficParameters, durationSeconds: number): BehaviourPlan {
  if (!(Number.isFinite(durationSeconds) && durationSeconds > 0)) {
    throw new UserError(`durationSeconds: must be a positive number (got ${durationSeconds})`);
  }
  if (!(Number.isInteger(traffic.users) && traffic.users >= 1)) {
    throw new UserError(`traffic.users: must be a positive integer (got ${traffic.users})`);
  }
  const [min, max] = traffic.thinkTimeSeconds;
  if (!(min >= 0 && max >= min && Number.isFinite(max))) {
    throw new UserError(`traffic.thinkTimeSeconds: must be [min, max] with 0 <= min <= max (got [${min}, ${max}])`);
  }
  if (!(traffic.thinkTimeScale > 0 && Number.isFinite(traffic.thinkTimeScale))) {
    throw new UserError(`traffic.thinkTimeScale: must be a positive number (got ${traffic.thinkTimeScale})`);
  }
  const { browse, buy, register } = traffic.mix;
  const weights: [number, number, number] = [browse, buy, register];
  if (weights.some((w) => !(w >= 0 && Number.isFinite(w))) || weights.every((w) => w === 0)) {
    throw new UserError(
      `traffic.mix: weights must be non-negative and not all zero (got browse ${browse}, buy ${buy}, register ${register})`,
    );
  }
  return {
    peakUsers: traffic.users,
    thinkMinSeconds: min * traffic.thinkTimeScale,
    thinkMaxSeconds: max * traffic.thinkTimeScale,
    weights,
  };
}

import { reportError } from '../logger.ts';
import { BEHAVIOURS, type BehaviourPlan } from './behaviourPlan.ts';
import { createRandom } from './random.ts';
import type { RequestTally } from './RequestTally.ts';
import { BEHAVIOUR_ACTIONS, type ShopperState } from './sockShopBehaviours.ts';
import { sleep } from './sleep.ts';
import { UserSession } from './UserSession.ts';

/** What every virtual user of one generator shares. */
export interface VirtualUserContext {
  /** Front-end base URL. */
  readonly frontEndUrl: string;
  /** Think time and behaviour weights. */
  readonly plan: BehaviourPlan;
  /** Seed of every user's own stream of choices. */
  readonly seed: number;
  /** Makes this run's registered user names unique. */
  readonly runTag: string;
  /** Where requests are counted. */
  readonly tally: RequestTally;
  /** Aborted when the generator stops: no user starts anything new. */
  readonly halt: AbortSignal;
  /** Aborted when stop()'s grace is over: requests in flight are cut off. */
  readonly abort: AbortSignal;
  /** Time-out of one request. */
  readonly requestTimeoutMillis: number;
  /** HTTP client. */
  readonly fetch: typeof fetch;
}

/**
 * One virtual user until it retires or the generator halts: pick browse / buy / register by
 * weight (its own seeded stream), do it, think. Never rejects.
 */
export async function runVirtualUser(context: VirtualUserContext, userNumber: number, retire: AbortSignal): Promise<void> {
  const haltSignal = AbortSignal.any([context.halt, retire]);
  const session = new UserSession({
    baseUrl: context.frontEndUrl,
    tally: context.tally,
    haltSignal,
    abortSignal: context.abort,
    timeoutMillis: context.requestTimeoutMillis,
    fetch: context.fetch,
  });
  const { plan } = context;
  const state: ShopperState = { userNumber, runTag: context.runTag, session, random: createRandom(context.seed, userNumber), registrations: 0 };
  try {
    while (!haltSignal.aborted) {
      const behaviour = BEHAVIOURS[state.random.weighted(plan.weights)] ?? 'browse';
      await BEHAVIOUR_ACTIONS[behaviour](state);
      await sleep(state.random.between(plan.thinkMinSeconds, plan.thinkMaxSeconds) * 1000, haltSignal);
    }
  } catch (e) {
    reportError(`built-in traffic: user ${userNumber}`, e);
  }
}

import type { TrafficParameters } from '../config/index.ts';
import { UserError } from '../errors.ts';
import { reportError } from '../logger.ts';
import type { InformationalKind, RunEvent, TrafficGenerator, TrafficStats } from '../types.ts';
import { behaviourPlan } from './behaviourPlan.ts';
import { nextChangeSeconds, usersAt } from './loadShape.ts';
import { RequestTally } from './RequestTally.ts';
import { runVirtualUser, type VirtualUserContext } from './runVirtualUser.ts';
import { sleep } from './sleep.ts';

export interface BuiltinTrafficOptions {
  /** Front-end base URL (the only thing the users talk to). */
  readonly frontEndUrl: string;
  /** Users, load shape, think time, behaviour mix and seed. */
  readonly traffic: TrafficParameters;
  /** Length of the run the load shape is spread over. */
  readonly durationSeconds: number;
  /** Receives informational `load-change` events (users from start to end). */
  readonly onEvent?: (event: RunEvent) => void;
  /** How often the load shape is re-evaluated (default 1). */
  readonly stepSeconds?: number;
  /** How long stop() lets requests in flight finish before aborting them (default 2000). */
  readonly stopGraceMillis?: number;
  /** Time-out of one request, a failure when exceeded (default 10000). */
  readonly requestTimeoutMillis?: number;
  /** HTTP client (default: the global fetch; tests pass a fake). */
  readonly fetch?: typeof fetch;
}

interface VirtualUser {
  /** Aborted when the load shape no longer wants this user. */
  readonly retire: AbortController;
}

/**
 * Background users in this process: each repeatedly picks browse / buy / register by the
 * mix weights (its own seeded stream), performs it through the front-end, then thinks.
 * The number of users follows the load shape; users beyond it retire after their request
 * in flight. Errors never escape: failures are counted in the stats.
 */
export function createBuiltinTraffic(options: BuiltinTrafficOptions): TrafficGenerator {
  const plan = behaviourPlan(options.traffic, options.durationSeconds);
  if (!URL.canParse(options.frontEndUrl)) throw new UserError(`frontEndUrl: not a URL (got "${options.frontEndUrl}")`);
  const stepSeconds = options.stepSeconds ?? 1;
  const stopGraceMillis = options.stopGraceMillis ?? 2000;
  if (!(stepSeconds > 0 && Number.isFinite(stepSeconds))) throw new RangeError(`stepSeconds must be a positive number (got ${stepSeconds})`);
  if (!(stopGraceMillis >= 0)) throw new RangeError(`stopGraceMillis must be non-negative (got ${stopGraceMillis})`);
  const { shape, seed } = options.traffic;
  const tally = new RequestTally();
  const halt = new AbortController();
  const abort = new AbortController();
  const active: VirtualUser[] = [];
  const running = new Set<Promise<void>>();
  let startedAtMillis: number | undefined;
  let stoppedAtMillis: number | undefined;
  let ticks = 0;
  let ticker: ReturnType<typeof setTimeout> | undefined;
  let usersStarted = 0;
  let maxUsers = 0;
  let stopping: Promise<TrafficStats> | undefined;

  const userContext: VirtualUserContext = {
    frontEndUrl: options.frontEndUrl,
    plan,
    seed,
    runTag: Date.now().toString(36),
    tally,
    halt: halt.signal,
    abort: abort.signal,
    requestTimeoutMillis: options.requestTimeoutMillis ?? 10_000,
    fetch: options.fetch ?? fetch,
  };

  const emit = (event: RunEvent) => {
    try {
      options.onEvent?.(event);
    } catch (e) {
      reportError('built-in traffic: event listener', e);
    }
  };

  const adjustUsers = (wanted: number) => {
    while (active.length < wanted) {
      const user: VirtualUser = { retire: new AbortController() };
      const loop = runVirtualUser(userContext, usersStarted++, user.retire.signal);
      running.add(loop);
      void loop.finally(() => running.delete(loop));
      active.push(user);
    }
    while (active.length > wanted) active.pop()?.retire.abort();
    maxUsers = Math.max(maxUsers, active.length);
  };

  const tick = () => {
    if (stopping) return;
    const startedAt = startedAtMillis ?? Date.now();
    try {
      const elapsed = (Date.now() - startedAt) / 1000;
      const wanted = usersAt(shape, elapsed, options.durationSeconds, plan.peakUsers);
      const previous = active.length;
      if (wanted !== previous) {
        adjustUsers(wanted);
        const next = nextChangeSeconds(shape, elapsed, options.durationSeconds, plan.peakUsers, stepSeconds);
        const start = Date.now() / 1000;
        const end = Math.max(startedAt / 1000 + (next ?? options.durationSeconds), start + stepSeconds);
        emit({ kind: 'load-change' satisfies InformationalKind, start, end, users: wanted, previousUsers: previous });
      }
    } catch (e) {
      reportError('built-in traffic: load shape', e);
    } finally {
      ticks += 1;
      // Scheduled against the start, not the previous tick, so the ticks do not drift.
      ticker = setTimeout(tick, Math.max(0, startedAt + ticks * stepSeconds * 1000 - Date.now()));
    }
  };

  const finish = async (): Promise<TrafficStats> => {
    stoppedAtMillis = Date.now();
    clearTimeout(ticker);
    halt.abort();
    active.length = 0;
    const all = Promise.allSettled([...running]);
    const grace = new AbortController();
    await Promise.race([all, sleep(stopGraceMillis, grace.signal)]);
    grace.abort();
    abort.abort();
    await all;
    return {
      generator: 'builtin',
      requests: tally.requests,
      failures: tally.failures,
      aborted: tally.aborted,
      shape,
      peakUsers: plan.peakUsers,
      maxUsers,
      usersStarted,
      seconds: startedAtMillis === undefined ? 0 : (stoppedAtMillis - startedAtMillis) / 1000,
      endpoints: tally.endpointStats(),
      errors: tally.errorStats(),
    };
  };

  return {
    kind: 'builtin',
    async start() {
      if (startedAtMillis !== undefined || stopping) return;
      startedAtMillis = Date.now();
      tick();
    },
    stop() {
      stopping ??= finish();
      return stopping;
    },
  };
}

import { UserError } from '../errors.ts';

export interface RestartLimits {
  /** Restarts allowed within restartWindowMillis; past it the server stays down. 0: never restart. */
  readonly maxRestarts: number;
  /** Length of the sliding window the restarts are counted in, ms. */
  readonly restartWindowMillis: number;
  /** Wait before the first restart, ms; doubled for each restart already in the window. */
  readonly restartBackoffMillis: number;
}

/** Defaults: at most 5 restarts in 5 minutes, after 1 s, 2 s, 4 s, 8 s, 16 s. */
export const DEFAULT_RESTART_LIMITS: RestartLimits = { maxRestarts: 5, restartWindowMillis: 300_000, restartBackoffMillis: 1000 };

/** The longest wait between a death and its restart, ms (unless the first wait is longer). */
const MAX_RESTART_BACKOFF_MILLIS = 30_000;

/** `given` with defaults for what it leaves out; a bad value is a UserError naming the field. */
export function restartLimits(given: Partial<RestartLimits>): RestartLimits {
  const limits: Record<keyof RestartLimits, number> = { ...DEFAULT_RESTART_LIMITS };
  for (const field of ['maxRestarts', 'restartWindowMillis', 'restartBackoffMillis'] as const) {
    const value = given[field];
    if (value === undefined) continue;
    const least = field === 'maxRestarts' ? 0 : 1;
    if (!Number.isInteger(value) || value < least) throw new UserError(`${field} must be a whole number of at least ${least}, not ${typeof value === 'number' ? String(value) : JSON.stringify(value)}`);
    limits[field] = value;
  }
  return limits;
}

/**
 * When to restart a server that died, and when to stop trying: a crash loop (a corrupt
 * data directory, a port someone else took) must not restart forever, and each attempt
 * waits twice as long as the one before, while a server that stays up for a whole window
 * starts again from the short wait. Pure: the caller passes the time.
 */
export class RestartPolicy {
  private readonly times: number[] = [];
  private total = 0;

  /** `limits` as checked by restartLimits(). */
  constructor(private readonly limits: RestartLimits = DEFAULT_RESTART_LIMITS) {}

  /**
   * A death at `nowMillis`: the wait before restarting, in ms (the restart is counted now),
   * or undefined when maxRestarts restarts already happened within the window.
   */
  next(nowMillis: number): number | undefined {
    const since = nowMillis - this.limits.restartWindowMillis;
    while (this.times.length > 0 && this.times[0]! <= since) this.times.shift();
    const recent = this.times.length;
    if (recent >= this.limits.maxRestarts) return undefined;
    this.times.push(nowMillis);
    this.total += 1;
    const cap = Math.max(this.limits.restartBackoffMillis, MAX_RESTART_BACKOFF_MILLIS);
    return Math.min(cap, this.limits.restartBackoffMillis * 2 ** recent);
  }

  /** Restarts granted so far. */
  get restarts(): number {
    return this.total;
  }

  /** E.g. `at most 5 restarts in 300 s`, for messages. */
  describe(): string {
    return `at most ${this.limits.maxRestarts} restart(s) in ${this.limits.restartWindowMillis / 1000} s`;
  }
}

import { UserError } from '../errors.ts';

/** Slowest pace a replay accepts (see checkSpeed). */
export const MIN_SPEED = 0.001;

/** Check a replay speed where it enters (flag or option). */
export function checkSpeed(speed: number | undefined, field = 'speed'): void {
  if (speed === undefined) return;
  if (typeof speed !== 'number' || !Number.isFinite(speed) || speed <= 0) {
    throw new UserError(`${field}: expected a positive number, 1 = real time, 10 = ten times faster (got ${String(speed)})`);
  }
  if (speed < MIN_SPEED) {
    throw new UserError(`${field}: must be at least ${MIN_SPEED} (a thousand times slower than real time: a 2 s interval then takes over half an hour; slower would replay nothing in any useful time) (got ${String(speed)})`);
  }
}

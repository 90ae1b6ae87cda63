import { UserError } from '../errors.ts';

/** Check a replay speed where it enters (flag or option). */
export function checkSpeed(speed: number | undefined, field = 'speed'): void {
  if (speed === undefined) return;
  if (typeof speed !== 'number' || !Number.isFinite(speed) || speed <= 0) {
    throw new UserError(`${field}: expected a positive number, 1 = real time, 10 = ten times faster (got ${String(speed)})`);
  }
}

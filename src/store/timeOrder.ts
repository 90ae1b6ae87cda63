/**
 * Largest `t` a reader accepts: a line far outside any real clock (1e308, milliseconds times
 * a thousand) would otherwise become the "previous interval" and every valid line after it
 * would be skipped as not increasing.
 */
export const MAX_PLAUSIBLE_T = 1e11;

/**
 * Why an interval ending at `t` cannot follow one ending at `previousT`, or undefined when it
 * can. run-format.md has snapshot lines in increasing `t`: time never runs backwards, so a
 * line that breaks the order is reported and skipped, by every reader in the same words.
 */
export function timeOrderProblem(t: number, previousT: number | undefined): string | undefined {
  if (!(Math.abs(t) <= MAX_PLAUSIBLE_T)) return `t: ${t} is not a plausible time in Unix seconds (at most ${MAX_PLAUSIBLE_T}, the year 5138)`;
  if (previousT === undefined || t > previousT) return undefined;
  return `t: ${t} does not come after the previous interval's t (${previousT})`;
}

/**
 * A `t` this many intervals after the previous one is held until the next valid line: if that
 * one falls back between the two, the far `t` was a bad line (reported and skipped) rather
 * than the new "previous interval" that would make every line after it look out of order.
 */
export const FAR_JUMP_INTERVALS = 1000;

/** Whether an interval ending at `t` (of length `dt`) is far enough after `previousT` to be held (see FAR_JUMP_INTERVALS). */
export function isFarJump(t: number, dt: number, previousT: number | undefined): boolean {
  return previousT !== undefined && t - previousT > FAR_JUMP_INTERVALS * Math.max(dt, 1);
}

/** Why a held far `t` is skipped, once the line after it fell back between its neighbours. */
export function farJumpProblem(t: number, previousT: number, nextT: number): string {
  return `t: ${t} is far outside its neighbours (${previousT} before it, ${nextT} after)`;
}

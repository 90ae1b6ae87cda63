/**
 * The median of a list of numbers (the mean of the two middle ones for an even count; NaN for
 * none): bench's rounds, and a scaled attack's baseline (writeScaledAttackRun). The list is not
 * changed.
 */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length === 0 ? Number.NaN : s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

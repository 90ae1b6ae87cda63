/**
 * Seconds (or any quantity) to three decimals, for messages: `90.1`, not `90.10000000000001`
 * (sums of interval lengths and offsets carry binary rounding that a user did not write).
 */
export function roundMillis(x: number): number {
  return Math.round(x * 1000) / 1000;
}

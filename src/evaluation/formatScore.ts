// Scores and thresholds as people read them: alert lines, the replay table's operating points.

/** Fewest significant digits shown. */
const MIN_DIGITS = 3;

/**
 * `x` with at least `digits` significant digits: plain decimals between 0.001 and a million
 * (all integer digits kept: 417605, not 4.18e+5), exponent form (4.18e6) outside.
 */
export function formatSignificant(x: number, digits = MIN_DIGITS): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return (0).toFixed(digits - 1);
  const magnitude = Math.floor(Math.log10(Math.abs(x)));
  if (magnitude >= 6 || magnitude < -3) return x.toExponential(digits - 1).replace('e+', 'e');
  return x.toFixed(Math.max(0, digits - 1 - magnitude));
}

/**
 * A score and the threshold it is compared with, to the same number of significant digits,
 * enough that two different numbers never print alike (`3.004 > 3.000`, never `3.00 > 3`).
 */
export function formatScoreAndThreshold(score: number, threshold: number): [string, string] {
  for (let digits = MIN_DIGITS; digits <= 17; digits++) {
    const a = formatSignificant(score, digits);
    const b = formatSignificant(threshold, digits);
    if (a !== b || score === threshold || !Number.isFinite(score) || !Number.isFinite(threshold)) return [a, b];
  }
  return [String(score), String(threshold)];
}

/** Mean ± spread of one metric over the repeats of a combination. */
export interface Stat {
  /** Mean over the values present; null when there is none. */
  readonly mean: number | null;
  /** Sample standard deviation (divisor n − 1); null with fewer than two values. */
  readonly std: number | null;
  /** How many values were present (runs where the metric is null, e.g. no attack interval, are left out). */
  readonly n: number;
}

/** Mean and sample standard deviation of the finite values; nulls (undefined metrics) are skipped, not zeros. */
export function meanStd(values: readonly (number | null | undefined)[]): Stat {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { mean: null, std: null, n };
  // Shifted by the first value: equal values give exactly that value and a spread of exactly 0.
  const shift = xs[0]!;
  let sum = 0;
  for (const x of xs) sum += x - shift;
  const mean = shift + sum / n;
  if (n < 2) return { mean, std: null, n };
  let squares = 0;
  for (const x of xs) squares += (x - mean) * (x - mean);
  return { mean, std: Math.sqrt(squares / (n - 1)), n };
}

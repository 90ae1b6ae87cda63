/** EWMA mean and ±k·σ band of a series, as forecast for each point before seeing it. */
export interface EwmaBand {
  readonly mean: (number | null)[];
  readonly upper: (number | null)[];
  readonly lower: (number | null)[];
}

export interface EwmaBandOptions {
  /** Weight of the newest value, in (0, 1]. */
  readonly alpha: number;
  /** Half-width of the band in standard deviations. */
  readonly k: number;
}

/**
 * λ and k of the edge bands: the ewma detector's (detectors.options.ewma of the parameters), so
 * the bands match what that detector was run with; its defaults when they are not set.
 */
export function ewmaBandSettings(parameters: unknown): { readonly lambda: number; readonly k: number } {
  const ewma = valueAt(parameters, ['detectors', 'options', 'ewma']);
  const numberOr = (key: string, fallback: number): number => {
    const v = valueAt(ewma, [key]);
    return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
  };
  return { lambda: numberOr('lambda', 0.2), k: numberOr('k', 3) };
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let cur = root;
  for (const p of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
  return cur;
}

/**
 * Exponentially weighted mean and variance (Finch 2009, "Incremental calculation of
 * weighted mean and variance"). Point i gets the band computed from points before it, so a
 * spike stands outside the band it is judged against instead of widening it first. Nulls
 * (gaps) leave the state untouched and get no band; the first value only seeds.
 */
export function ewmaBand(series: readonly (number | null)[], options: EwmaBandOptions): EwmaBand {
  const { alpha, k } = options;
  if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`ewma alpha: expected a number in (0, 1] (got ${alpha})`);
  if (!(k >= 0 && Number.isFinite(k))) throw new RangeError(`ewma k: expected a non-negative number (got ${k})`);
  const n = series.length;
  const mean: (number | null)[] = new Array<number | null>(n).fill(null);
  const upper: (number | null)[] = new Array<number | null>(n).fill(null);
  const lower: (number | null)[] = new Array<number | null>(n).fill(null);
  let m = Number.NaN;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const x = series[i];
    if (x === null || x === undefined) continue;
    if (Number.isNaN(m)) {
      m = x;
      continue;
    }
    const sd = Math.sqrt(v);
    mean[i] = m;
    upper[i] = m + k * sd;
    lower[i] = m - k * sd;
    const diff = x - m;
    const incr = alpha * diff;
    m += incr;
    v = (1 - alpha) * (v + diff * incr);
  }
  return { mean, upper, lower };
}

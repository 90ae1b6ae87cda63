/** Standardised features are clipped to ± this: one wild feature cannot carry the score alone. */
export const MOD_Z_CLIP = 10;

/** 1/Φ⁻¹(3/4): MAD × this estimates σ at the normal. */
const MAD_TO_SIGMA = 1.4826;
/** √(π/2): the mean absolute deviation × this estimates σ at the normal. */
const MEAN_ABS_TO_SIGMA = 1.2533;

/**
 * Mimir's "mod-z" standardisation, fitted on clean training rows: (x − median)/(1.4826·MAD)
 * per feature (Iglewicz & Hoaglin, "How to detect and handle outliers", 1993, whose modified z
 * is 0.6745(x − median)/MAD: the same number), clipped to ±MOD_Z_CLIP. A feature whose MAD is 0
 * (more than half its values equal, e.g. a mostly idle edge) falls back to 1.2533 × its mean
 * absolute deviation from the median, and to 1 when that is 0 too (a constant feature: any
 * departure counts in its own unit).
 */
export class RobustStandardizer {
  readonly center: Float64Array;
  readonly scale: Float64Array;
  /** Features only centred: left in their own unit and unclipped (see keepUnit). */
  readonly unclipped: Uint8Array;

  /** Fit on `rows` rows of `features` columns, column-major (x[j·stride + i], i < rows). */
  constructor(x: Float64Array, rows: number, features: number, stride = rows) {
    this.center = new Float64Array(features);
    this.scale = new Float64Array(features);
    this.unclipped = new Uint8Array(features);
    const column = new Float64Array(rows);
    for (let j = 0; j < features; j++) {
      for (let i = 0; i < rows; i++) column[i] = x[j * stride + i]!;
      const median = medianOf(column);
      let absSum = 0;
      for (let i = 0; i < rows; i++) {
        const d = Math.abs(column[i]! - median);
        absSum += d;
        column[i] = d;
      }
      const mad = medianOf(column);
      let s = MAD_TO_SIGMA * mad;
      if (!(s > 0)) s = rows > 0 ? (MEAN_ABS_TO_SIGMA * absSum) / rows : 0;
      if (!(s > 0)) s = 1;
      this.center[j] = median;
      this.scale[j] = s;
    }
  }

  /** Feature j is only centred on its median: its unit is kept (scale 1) and it is not clipped. */
  keepUnit(j: number): void {
    this.scale[j] = 1;
    this.unclipped[j] = 1;
  }

  /** Standardise features [offset, offset + count) of `values` in place. */
  apply(values: Float64Array, offset = 0): void {
    for (let j = 0; j < this.center.length; j++) {
      const v = (values[offset + j]! - this.center[j]!) / this.scale[j]!;
      values[offset + j] = this.unclipped[j] === 1 ? v : v > MOD_Z_CLIP ? MOD_Z_CLIP : v < -MOD_Z_CLIP ? -MOD_Z_CLIP : v;
    }
  }
}

/** Median of `values` (sorted in place). */
function medianOf(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return 0;
  values.sort();
  return n % 2 === 1 ? values[(n - 1) / 2]! : (values[n / 2 - 1]! + values[n / 2]!) / 2;
}

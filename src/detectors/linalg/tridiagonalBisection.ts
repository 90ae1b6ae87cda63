// The largest eigenvalue of a symmetric tridiagonal matrix by bisection on Sturm counts
// (Barth, Martin and Wilkinson 1967; LAPACK dstebz): O(n) per halving, where QL (tql2, its
// rotations applied to the last eigenvector row only) costs O(n²). The Lanczos loop asks at every convergence check, for
// matrices growing to ~60 rows, which made QL a third of its cost at 1,000 services.

/**
 * Whether the leading n×n block of the tridiagonal matrix (diagonal `diag`, off-diagonal
 * `sub`) has an eigenvalue ≥ x. Sylvester's law of inertia on T − xI = LDLᵀ: the number of
 * eigenvalues below x is the number of negative pivots q_k = (α_k − x) − β²_{k−1}/q_{k−1}. All
 * negative means every eigenvalue is below x; the scan stops at the first that is not, so a
 * pivot that is divided by is always negative (never zero).
 */
function someEigenvalueAtLeast(diag: Float64Array, sub: Float64Array, n: number, x: number): boolean {
  let q = diag[0]! - x;
  if (q >= 0) return true;
  for (let k = 1; k < n; k++) {
    const b = sub[k - 1]!;
    q = diag[k]! - x - (b * b) / q;
    if (q >= 0) return true;
  }
  return false;
}

/**
 * A bracket [lo, hi] around the largest eigenvalue of a leading block, narrowed on demand.
 * Each halving is a chain of n dependent divisions, so a caller that only needs a rough value
 * first (a Lanczos check that will not converge yet) asks for a wide bracket, and narrows the
 * same bracket further only when it must: the halvings, and so the final value, are exactly
 * those one narrowing to the end would have made.
 */
export class TridiagonalTop {
  lo = Number.NaN;
  hi = Number.NaN;
  private diag: Float64Array = new Float64Array(0);
  private sub: Float64Array = new Float64Array(0);
  private n = 0;

  /**
   * Bracket the top eigenvalue of the leading n×n block. `lowerBound`: a value known not to
   * exceed it (e.g. the top of a smaller leading block: eigenvalues interlace), or -Infinity.
   * `upperGuess`: a likely upper bound, checked with one Sturm count; when it holds the bracket
   * starts that narrow instead of Gershgorin-wide.
   */
  start(diag: Float64Array, sub: Float64Array, n: number, lowerBound = Number.NEGATIVE_INFINITY, upperGuess = Number.NaN): this {
    this.diag = diag;
    this.sub = sub;
    this.n = n;
    // Every diagonal entry is a Rayleigh quotient (a lower bound); Gershgorin discs bound above.
    let lo = lowerBound;
    let hi = n > 0 ? Number.NEGATIVE_INFINITY : Number.NaN;
    for (let k = 0; k < n; k++) {
      const a = diag[k]!;
      const radius = (k > 0 ? Math.abs(sub[k - 1]!) : 0) + (k < n - 1 ? Math.abs(sub[k]!) : 0);
      if (a > lo) lo = a;
      if (a + radius > hi) hi = a + radius;
    }
    if (upperGuess > lo && upperGuess < hi && !someEigenvalueAtLeast(diag, sub, n, upperGuess)) hi = upperGuess;
    // A lower bound a rounding above Gershgorin's: nothing left to halve.
    if (lo > hi) lo = hi;
    this.lo = lo;
    this.hi = hi;
    return this;
  }

  /** Halve until hi − lo ≤ relativeWidth · max(|lo|, |hi|) (2ε: to rounding). */
  narrow(relativeWidth = 2 * Number.EPSILON): this {
    let { lo, hi } = this;
    const floor = Number.MIN_VALUE * 4;
    for (let i = 0; i < 2100 && hi - lo > relativeWidth * Math.max(Math.abs(lo), Math.abs(hi)) + floor; i++) {
      const mid = lo + (hi - lo) / 2;
      if (mid <= lo || mid >= hi) break;
      if (someEigenvalueAtLeast(this.diag, this.sub, this.n, mid)) lo = mid;
      else hi = mid;
    }
    this.lo = lo;
    this.hi = hi;
    return this;
  }

  /**
   * The top eigenvalue to rounding, given its eigenvector `y` computed at a rough estimate
   * (inside the bracket): the Rayleigh quotient yᵀTy, whose error is of the order of the
   * square of y's — O(n), where halving the bracket to rounding takes ~30 Sturm counts. A
   * Rayleigh quotient never exceeds the top eigenvalue; one below the bracket means y was not
   * close (clustered eigenvalues), and bisection finishes the job instead.
   */
  refine(y: Float64Array): number {
    const { diag, sub, n } = this;
    let quotient = 0;
    for (let i = 0; i < n; i++) {
      let ty = diag[i]! * y[i]!;
      if (i > 0) ty += sub[i - 1]! * y[i - 1]!;
      if (i < n - 1) ty += sub[i]! * y[i + 1]!;
      quotient += y[i]! * ty;
    }
    if (quotient >= this.lo && quotient <= this.hi) return quotient;
    return this.narrow().value;
  }

  /** The middle of the bracket (NaN for an empty block or NaN entries). */
  get value(): number {
    return this.lo + (this.hi - this.lo) / 2;
  }
}

import { dot, qStatisticThreshold, symmetricEigen, symmetricTopEigen, type ResidualMoments, type SymmetricEigen } from '../linalg/index.ts';

/** How the normal subspace and its control limit are chosen. */
export interface PcaFitOptions {
  /** r, or `three-sigma` for Lakhina's rule. */
  readonly components: number | 'three-sigma';
  /** False-alarm probability of the Q-statistic limit. */
  readonly alpha: number;
  /** Weight of the isotropic target in the covariance, or `ledoit-wolf` to estimate it. */
  readonly shrinkage: number | 'ledoit-wolf';
}

/** A fitted normal subspace: what judging an interval needs. */
export interface PcaModel {
  /** m: edges the model knows (positions 0..m−1 of the edge index). */
  readonly dimension: number;
  /** Training mean of each known edge. */
  readonly mean: Float64Array;
  /** Unit principal axes spanning the normal subspace, largest variance first (r of them). */
  readonly axes: readonly Float64Array[];
  /** Eigenvalues of the sample covariance, descending (min(n, m) of them). */
  readonly eigenvalues: Float64Array;
  /** Covariance rank found in training. */
  readonly rank: number;
  /** Shrinkage weight s actually used. */
  readonly shrinkage: number;
  /** φ1..φ3 of the residual eigenvalues. */
  readonly moments: ResidualMoments;
  /** δ²_α, the Q-statistic limit on the squared prediction error. */
  readonly threshold: number;
}

/**
 * PCA of the training vectors (each zero-padded to the longest: an edge not yet in the
 * index carried nothing). With n intervals and m edges the covariance has rank < min(n, m);
 * the eigen-decomposition goes through the n×n Gram matrix when n ≤ m (m = 5,000 edges
 * would make the m×m covariance 200 MB) and through the covariance otherwise. With r ≤ 1 (the
 * default) only the top eigenvector is formed (symmetricTopEigen: the same eigenvalues, the
 * vector to rounding), not all of them: most of the solve on a large model.
 */
export function fitPca(samples: readonly Float64Array[], options: PcaFitOptions): PcaModel {
  const n = samples.length;
  if (n < 2) throw new RangeError('fitPca: need at least two training vectors');
  let m = 0;
  for (const x of samples) m = Math.max(m, x.length);
  const mean = new Float64Array(m);
  for (const x of samples) for (let j = 0; j < x.length; j++) mean[j] = mean[j]! + x[j]!;
  for (let j = 0; j < m; j++) mean[j] = mean[j]! / n;
  const centred = samples.map((x) => {
    const c = new Float64Array(m);
    for (let j = 0; j < m; j++) c[j] = (x[j] ?? 0) - mean[j]!;
    return c;
  });
  const sq = centred.map((c) => dot(c, c));
  // r ≤ 1 (the default) reads the top axis alone, never a projection: the top-only solve.
  const solve = typeof options.components === 'number' && options.components <= 1 ? topOnly : symmetricEigen;
  const spectrum = n <= m ? viaGram(centred, m, solve) : viaCovariance(centred, m, solve);
  const eigenvalues = spectrum.values.map((g) => Math.max(0, g) / (n - 1));
  const top = eigenvalues[0] ?? 0;
  let rank = 0;
  while (rank < eigenvalues.length && eigenvalues[rank]! > 1e-10 * top) rank++;

  const components = Math.max(0, Math.min(options.components === 'three-sigma' ? threeSigmaRule(spectrum.projection, eigenvalues, rank, n) : options.components, rank - 1));
  const axes = Array.from({ length: components }, (_, k) => spectrum.axis(k));

  // Ledoit–Wolf quantities (with the 1/n covariance, as in their paper) from the Gram
  // invariants: tr S = Σ‖c‖²/n, ‖S‖²_F = ‖CᵀC‖²_F/n², Σ‖c c ᵀ − S‖²_F = Σ‖c‖⁴ − ‖CᵀC‖²_F/n.
  const trace = sq.reduce((a, b) => a + b, 0) / n;
  const frob2 = spectrum.gramFrobenius2 / (n * n);
  const dispersion = frob2 - (trace * trace) / m;
  const spread = (sq.reduce((a, b) => a + b * b, 0) - spectrum.gramFrobenius2 / n) / (n * n);
  const shrinkage = options.shrinkage === 'ledoit-wolf' ? (dispersion > 0 ? Math.min(spread, dispersion) / dispersion : 0) : options.shrinkage;

  // Residual eigenvalues of (1 − s)·S + s·μI, μ = tr S/m: the computed ones past r, and the
  // directions no training interval spanned (m − min(n, m) of them, plus rounding zeros).
  const mu = (trace * n) / (n - 1) / m;
  const floor = shrinkage * mu;
  let phi1 = 0;
  let phi2 = 0;
  let phi3 = 0;
  for (let k = components; k < eigenvalues.length; k++) {
    const l = (1 - shrinkage) * eigenvalues[k]! + floor;
    phi1 += l;
    phi2 += l * l;
    phi3 += l * l * l;
  }
  const unspanned = m - eigenvalues.length;
  phi1 += unspanned * floor;
  phi2 += unspanned * floor * floor;
  phi3 += unspanned * floor * floor * floor;
  const moments = { phi1, phi2, phi3 };
  return { dimension: m, mean, axes, eigenvalues, rank, shrinkage, moments, threshold: qStatisticThreshold(moments, options.alpha) };
}

/**
 * Lakhina et al.'s rule: walk the principal axes in order; the first whose projection of the
 * training data strays more than 3σ from its mean (0) starts the residual subspace.
 */
function threeSigmaRule(projection: (sample: number, k: number) => number, eigenvalues: Float64Array, rank: number, n: number): number {
  for (let k = 0; k < rank; k++) {
    const limit = 3 * Math.sqrt(eigenvalues[k]!);
    for (let i = 0; i < n; i++) if (Math.abs(projection(i, k)) > limit) return k;
  }
  return rank;
}

/** A symmetric eigen-solve; it may return the top vector only (topOnly: fitPca's choice for r ≤ 1), with every value. */
type EigenSolve = (a: Float64Array, n: number) => SymmetricEigen;

/** symmetricTopEigen as a decomposition whose only vector is the top one (all that r ≤ 1 reads). */
function topOnly(a: Float64Array, n: number): SymmetricEigen {
  const { values, top } = symmetricTopEigen(a, n);
  return { values, vectors: [top] };
}

interface Spectrum {
  /** Eigenvalues of CᵀC (= of CCᵀ, the nonzero ones), descending. */
  readonly values: Float64Array;
  /** Unit principal axis k (length m). */
  axis(k: number): Float64Array;
  /** Coordinate of centred sample i on axis k. */
  projection(sample: number, k: number): number;
  /** ‖CᵀC‖²_F. */
  readonly gramFrobenius2: number;
}

function viaGram(centred: readonly Float64Array[], m: number, solve: EigenSolve): Spectrum {
  const n = centred.length;
  const g = new Float64Array(n * n);
  let frob = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = dot(centred[i]!, centred[j]!);
      g[i * n + j] = v;
      g[j * n + i] = v;
      frob += i === j ? v * v : 2 * v * v;
    }
  }
  const e = solve(g, n);
  return {
    values: e.values,
    gramFrobenius2: frob,
    // If CCᵀv = g v then Cᵀv/√g is a unit eigenvector of CᵀC with the same eigenvalue.
    axis(k) {
      const v = e.vectors[k]!;
      const s = Math.sqrt(Math.max(0, e.values[k]!));
      const p = new Float64Array(m);
      for (let i = 0; i < n; i++) {
        const w = v[i]! / s;
        const c = centred[i]!;
        for (let j = 0; j < m; j++) p[j] = p[j]! + w * c[j]!;
      }
      return p;
    },
    projection: (i, k) => Math.sqrt(Math.max(0, e.values[k]!)) * e.vectors[k]![i]!,
  };
}

function viaCovariance(centred: readonly Float64Array[], m: number, solve: EigenSolve): Spectrum {
  const s = crossProducts(centred, m);
  let frob = 0;
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < a; b++) {
      const v = s[a * m + b]!;
      s[b * m + a] = v;
      frob += 2 * v * v;
    }
    frob += s[a * m + a]! ** 2;
  }
  const e = solve(s, m);
  return {
    values: e.values,
    gramFrobenius2: frob,
    axis: (k) => Float64Array.from(e.vectors[k]!),
    projection: (i, k) => dot(centred[i]!, e.vectors[k]!),
  };
}

/**
 * CᵀC's lower triangle (row-major m × m; 0 above the diagonal): entry (a, b) is Σ_t c_t[a]·c_t[b],
 * summed over the samples t in order from 0, term by term, as a pass per sample over S adds them
 * (a zero term adds nothing either way). The samples are read by coordinate (one contiguous
 * column per coordinate) and eight entries summed at once (four of two rows), each in its own sum.
 */
function crossProducts(centred: readonly Float64Array[], m: number): Float64Array {
  const n = centred.length;
  const cols = new Float64Array(m * n);
  for (let t = 0; t < n; t++) {
    const c = centred[t]!;
    for (let a = 0; a < m; a++) cols[a * n + t] = c[a]!;
  }
  const s = new Float64Array(m * m);
  let a = 0;
  // Two rows at once: entries (a, b) and (a + 1, b) for b ≤ a, four b at a time.
  for (; a + 1 < m; a += 2) {
    const oa = a * n;
    const oa1 = oa + n;
    const row = a * m;
    const row1 = row + m;
    let b = 0;
    for (; b + 3 <= a; b += 4) {
      const o0 = b * n;
      const o1 = o0 + n;
      const o2 = o1 + n;
      const o3 = o2 + n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let u0 = 0;
      let u1 = 0;
      let u2 = 0;
      let u3 = 0;
      for (let t = 0; t < n; t++) {
        const ca = cols[oa + t]!;
        const cb = cols[oa1 + t]!;
        const x0 = cols[o0 + t]!;
        const x1 = cols[o1 + t]!;
        const x2 = cols[o2 + t]!;
        const x3 = cols[o3 + t]!;
        s0 += ca * x0;
        s1 += ca * x1;
        s2 += ca * x2;
        s3 += ca * x3;
        u0 += cb * x0;
        u1 += cb * x1;
        u2 += cb * x2;
        u3 += cb * x3;
      }
      s[row + b] = s0;
      s[row + b + 1] = s1;
      s[row + b + 2] = s2;
      s[row + b + 3] = s3;
      s[row1 + b] = u0;
      s[row1 + b + 1] = u1;
      s[row1 + b + 2] = u2;
      s[row1 + b + 3] = u3;
    }
    for (; b <= a + 1; b++) {
      const ob = b * n;
      let s0 = 0;
      let u0 = 0;
      for (let t = 0; t < n; t++) {
        const x = cols[ob + t]!;
        s0 += cols[oa + t]! * x;
        u0 += cols[oa1 + t]! * x;
      }
      if (b <= a) s[row + b] = s0;
      s[row1 + b] = u0;
    }
  }
  for (; a < m; a++) {
    const oa = a * n;
    const row = a * m;
    for (let b = 0; b <= a; b++) {
      const ob = b * n;
      let s0 = 0;
      for (let t = 0; t < n; t++) s0 += cols[oa + t]! * cols[ob + t]!;
      s[row + b] = s0;
    }
  }
  return s;
}

import { symmetricEigen, tridiagonalEigen } from './symmetricEigen.ts';
import { axpy, dot, norm, resized } from './vectorOps.ts';
import { multiplySymmetric, type SparseSymmetric } from './sparseSymmetric.ts';

// The largest eigenpair of a sparse symmetric matrix by the Lanczos method with full
// re-orthogonalisation and explicit restarts. Plain power iteration would do on paper, but
// a call graph is close to bipartite (callers and callees), so −λ₁ is nearly an eigenvalue
// too and power iteration barely converges; Lanczos picks the algebraically largest Ritz
// value and needs far fewer products. A warm start (last interval's vector) usually
// converges within the first few steps.

export interface PrincipalEigenOptions {
  /** Initial guess (e.g. the previous interval's vector); zero-padded or cut to the size. */
  readonly start?: Float64Array;
  /** Stop when ‖A y − θ y‖ ≤ tolerance · |θ|. */
  readonly tolerance?: number;
  /** Lanczos steps per restart cycle. */
  readonly stepsPerCycle?: number;
  /** Full re-orthogonalisation of each Lanczos vector (default true). */
  readonly reorthogonalize?: boolean;
  /** Restart cycles before giving up (the best Ritz pair so far is returned). */
  readonly maxCycles?: number;
}

export interface Eigenpair {
  readonly value: number;
  /** Unit eigenvector, sign chosen so that its entries sum to ≥ 0. */
  readonly vector: Float64Array;
  /** Residual norm ‖A y − θ y‖ of the returned pair. */
  readonly residual: number;
  readonly converged: boolean;
  /** Matrix-vector products used. */
  readonly products: number;
}

/** Largest (algebraic) eigenvalue of D + Dᵀ and its eigenvector. */
export function principalEigenvector(m: SparseSymmetric, options: PrincipalEigenOptions = {}): Eigenpair {
  const n = m.size;
  if (n === 0) return { value: 0, vector: new Float64Array(0), residual: 0, converged: true, products: 0 };
  if (n <= 8) return smallDense(m);
  const tolerance = options.tolerance ?? 1e-10;
  const steps = Math.min(n, options.stepsPerCycle ?? 24);
  const maxCycles = options.maxCycles ?? 60;
  // A positive floor keeps every component in play: a node idle last interval may be busy now.
  const q = options.start ? resized(options.start, n) : new Float64Array(n);
  const floor = 1e-3 / Math.sqrt(n);
  for (let i = 0; i < n; i++) q[i] = Math.abs(q[i]!) + floor;
  const basis: Float64Array[] = [new Float64Array(n)]; // grown on demand: most calls stop early
  const w = new Float64Array(n);
  const alphas = new Float64Array(steps);
  const betas = new Float64Array(steps);
  let products = 0;
  let theta = 0;
  let residual = Number.POSITIVE_INFINITY;
  for (let cycle = 0; cycle < maxCycles; cycle++) {
    const first = basis[0]!;
    first.set(q);
    scale(first, 1 / norm(first));
    let ritz: Float64Array = Float64Array.of(1);
    let used = 0;
    let done = false;
    for (let j = 0; j < steps; j++) {
      const qj = basis[j]!;
      multiplySymmetric(m, qj, w);
      products++;
      const alpha = dot(qj, w);
      axpy(-alpha, qj, w);
      if (j > 0) axpy(-betas[j - 1]!, basis[j - 1]!, w);
      if (options.reorthogonalize ?? true) for (let i = 0; i <= j; i++) axpy(-dot(basis[i]!, w), basis[i]!, w);
      const beta = norm(w);
      alphas[j] = alpha;
      betas[j] = beta;
      used = j + 1;
      const breakdown = beta <= 1e-14 * Math.max(Math.abs(alpha), Math.abs(theta), Number.MIN_VALUE);
      if (breakdown || used === steps || isCheckpoint(used)) {
        const t = tridiagonalEigen(alphas.subarray(0, used), betas.subarray(0, used - 1));
        theta = t.values[0]!;
        ritz = t.vectors[0]!;
        residual = beta * Math.abs(ritz[used - 1]!);
        if (breakdown || residual <= tolerance * Math.abs(theta)) done = true;
      }
      if (done || used === steps) break;
      const next = (basis[j + 1] ??= new Float64Array(n));
      next.set(w);
      scale(next, 1 / beta);
    }
    q.fill(0);
    for (let i = 0; i < used; i++) axpy(ritz[i]!, basis[i]!, q);
    scale(q, 1 / norm(q));
    if (done) break;
  }
  if (sum(q) < 0) scale(q, -1);
  return { value: theta, vector: q, residual, converged: residual <= tolerance * Math.abs(theta), products };
}

function isCheckpoint(steps: number): boolean {
  return steps === 2 || steps === 4 || steps % 6 === 0;
}

function scale(a: Float64Array, factor: number): void {
  for (let i = 0; i < a.length; i++) a[i] = a[i]! * factor;
}

function sum(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

/** Tiny graphs: a dense decomposition is exact and cheaper than setting up Lanczos. */
function smallDense(m: SparseSymmetric): Eigenpair {
  const n = m.size;
  const a = new Float64Array(n * n);
  for (let k = 0; k < m.count; k++) {
    const i = m.rows[k]!;
    const j = m.cols[k]!;
    const w = m.weights[k]!;
    a[i * n + j] = a[i * n + j]! + w;
    a[j * n + i] = a[j * n + i]! + w;
  }
  const e = symmetricEigen(a, n);
  const vector = e.vectors[0]!;
  if (sum(vector) < 0) scale(vector, -1);
  return { value: e.values[0]!, vector, residual: 0, converged: true, products: 0 };
}

import { symmetricEigen } from './symmetricEigen.ts';
import { tridiagonalEigenvector, tridiagonalTop } from './tridiagonal.ts';
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
  /** Lanczos steps per restart cycle (the basis kept in memory). Default 64. */
  readonly stepsPerCycle?: number;
  /**
   * Re-orthogonalise each Lanczos vector against all previous ones (O(steps·n) per step).
   * Default false: orthogonality is lost only along Ritz vectors that have converged (Paige),
   * and the iteration stops as soon as the wanted one has.
   */
  readonly reorthogonalize?: boolean;
  /** Scratch memory reused across calls of the same size (saves a basis allocation per call). */
  readonly workspace?: LanczosWorkspace;
  /** Restart cycles before giving up (the best Ritz pair so far is returned). Default 30. */
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
  const steps = Math.min(n, options.stepsPerCycle ?? 64);
  const maxCycles = options.maxCycles ?? 30;
  const reorthogonalize = options.reorthogonalize ?? false;
  // A positive floor keeps every component in play: a node idle last interval may be busy now.
  const q = options.start ? resized(options.start, n) : new Float64Array(n);
  const floor = 1e-6 / Math.sqrt(n);
  for (let i = 0; i < n; i++) q[i] = Math.abs(q[i]!) + floor;
  const work = options.workspace ?? new LanczosWorkspace();
  work.fit(n, steps);
  const { basis, w, alphas, betas } = work;
  let products = 0;
  let theta = 0;
  let residual = Number.POSITIVE_INFINITY;
  for (let cycle = 0; cycle < maxCycles; cycle++) {
    const first = basis[0]!;
    first.set(q);
    scale(first, 1 / norm(first));
    let used = 0;
    let done = false;
    for (let j = 0; j < steps; j++) {
      const qj = basis[j]!;
      multiplySymmetric(m, qj, w);
      products++;
      const alpha = dot(qj, w);
      axpy(-alpha, qj, w);
      if (j > 0) axpy(-betas[j - 1]!, basis[j - 1]!, w);
      if (reorthogonalize) for (let i = 0; i <= j; i++) axpy(-dot(basis[i]!, w), basis[i]!, w);
      const beta = norm(w);
      alphas[j] = alpha;
      betas[j] = beta;
      used = j + 1;
      // The Krylov space is invariant (exact answer within it) when β vanishes.
      const breakdown = beta <= 1e-14 * Math.max(Math.abs(alpha), Math.abs(theta), Number.MIN_VALUE);
      if (breakdown || used === steps || used % 3 === 0) {
        const top = tridiagonalTop(alphas.subarray(0, used), betas.subarray(0, used - 1));
        theta = top.value;
        residual = beta * Math.abs(top.lastComponent);
        if (breakdown || residual <= tolerance * Math.abs(theta)) done = true;
      }
      if (done || used === steps) break;
      const next = (basis[j + 1] ??= new Float64Array(n)); // grown on demand: most calls stop early
      next.set(w);
      scale(next, 1 / beta);
    }
    // Ritz vector: the basis combined by the top eigenvector of the tridiagonal matrix.
    const ritz = tridiagonalEigenvector(alphas.subarray(0, used), betas.subarray(0, used - 1), theta);
    q.fill(0);
    for (let i = 0; i < used; i++) axpy(ritz[i]!, basis[i]!, q);
    scale(q, 1 / norm(q));
    if (done) break;
  }
  if (sum(q) < 0) scale(q, -1);
  return { value: theta, vector: q, residual, converged: residual <= tolerance * Math.abs(theta), products };
}

/** The Lanczos basis and coefficients, kept between calls by a caller that makes many. */
export class LanczosWorkspace {
  basis: Float64Array[] = [];
  w = new Float64Array(0);
  alphas = new Float64Array(0);
  betas = new Float64Array(0);

  /** Make room for vectors of length n and `steps` coefficients. */
  fit(n: number, steps: number): void {
    if (this.w.length !== n) {
      this.basis = [new Float64Array(n)];
      this.w = new Float64Array(n);
    }
    if (this.alphas.length < steps) {
      this.alphas = new Float64Array(steps);
      this.betas = new Float64Array(steps);
    }
  }
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

import { symmetricEigen } from './symmetricEigen.ts';
import { LanczosWorkspace } from './lanczosWorkspace.ts';
import { tridiagonalEigenvector } from './tridiagonalEigenvector.ts';
import { axpy, dot, norm, resized } from './vectorOps.ts';
import { multiplySymmetric, type SparseSymmetric } from './sparseSymmetric.ts';

// The largest eigenpair of a sparse symmetric matrix by the Lanczos method with optional full
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
  /** A buffer of exactly the matrix's size to return the vector in (not `start`); else a new array. */
  readonly out?: Float64Array | undefined;
  /**
   * Steps before the first convergence check (default 3, then every third step). A warm start
   * converges in about as many products as the call that made it (9 at 14 services): checks
   * before that, a bisection and a solve each, are wasted. Later restart cycles check from 3.
   */
  readonly firstCheck?: number | undefined;
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
  const out = options.out;
  const start = options.start;
  let q: Float64Array;
  if (out !== undefined && out.length === n && out !== start) {
    q = out.fill(0);
    if (start) q.set(start.length <= n ? start : start.subarray(0, n));
  } else q = start ? resized(start, n) : new Float64Array(n);
  // A positive floor keeps every component in play: a node idle last interval may be busy now.
  const floor = startFloor(n);
  for (let i = 0; i < n; i++) q[i] = Math.abs(q[i]!) + floor;
  const work = options.workspace ?? new LanczosWorkspace();
  work.fit(n, steps);
  const { basis, w, alphas, betas, scratch, top } = work;
  const firstCheck = Math.min(steps, Math.max(1, Math.floor(options.firstCheck ?? 3)));
  let products = 0;
  let theta = 0;
  let residual = Number.POSITIVE_INFINITY;
  for (let cycle = 0; cycle < maxCycles; cycle++) {
    const first = basis[0]!;
    const inverseNorm = 1 / norm(q);
    for (let i = 0; i < n; i++) first[i] = q[i]! * inverseNorm;
    let used = 0;
    let done = false;
    // Ritz values only grow with the basis (interlacing): each check's is a floor for the next.
    let ritzFloor = Number.NEGATIVE_INFINITY;
    residual = Number.POSITIVE_INFINITY;
    top.hi = Number.NaN;
    let ritz: Float64Array = scratch.x;
    for (let j = 0; j < steps; j++) {
      const qj = basis[j]!;
      multiplySymmetric(m, qj, w);
      products++;
      const alpha = dot(qj, w);
      const beta = work.recurrence(j, alpha, reorthogonalize);
      alphas[j] = alpha;
      betas[j] = beta;
      used = j + 1;
      // The Krylov space is invariant (exact answer within it) when β vanishes.
      const breakdown = beta <= 1e-14 * Math.max(Math.abs(alpha), Math.abs(theta), Number.MIN_VALUE);
      const check = cycle === 0 ? used >= firstCheck && (used - firstCheck) % 3 === 0 : used % 3 === 0;
      if (breakdown || used === steps || check) {
        // The top Ritz pair of the tridiagonal matrix; its last component times β is the
        // residual. The last check's Ritz value has an eigenvalue within its residual, usually
        // the top one: a guess for the bracket. A rough value (6 digits) tells a check that is
        // far from converging; one that may have converged refines θ to rounding and solves
        // again, so the decision and the Ritz vector are those of an exact θ.
        top.start(alphas, betas, used, ritzFloor, top.hi + 2 * residual).narrow(1e-6);
        ritz = tridiagonalEigenvector(alphas, betas, top.value, scratch, used);
        residual = beta * Math.abs(ritz[used - 1]!);
        theta = top.value;
        if (breakdown || residual <= 2 * tolerance * Math.abs(theta)) {
          theta = top.refine(ritz);
          ritz = tridiagonalEigenvector(alphas, betas, theta, scratch, used);
          residual = beta * Math.abs(ritz[used - 1]!);
        }
        ritzFloor = top.lo;
        if (breakdown || residual <= tolerance * Math.abs(theta)) done = true;
      }
      if (done || used === steps) break;
      const next = work.vector(j + 1); // grown on demand: most calls stop early
      // Loops, not set()/fill(): at the sizes of most service graphs a builtin's call costs
      // more than the copy (here and below; same arithmetic as set + scale).
      const inverse = 1 / beta;
      for (let i = 0; i < n; i++) next[i] = w[i]! * inverse;
    }
    // Ritz vector: the basis combined by the top eigenvector of the tridiagonal matrix (the
    // loop always ends on a check, so `ritz` belongs to `used` steps).
    for (let i = 0; i < n; i++) q[i] = 0;
    for (let i = 0; i < used; i++) axpy(ritz[i]!, basis[i]!, q);
    scale(q, 1 / norm(q));
    if (done) break;
  }
  if (sum(q) < 0) scale(q, -1);
  return { value: theta, vector: q, residual, converged: residual <= tolerance * Math.abs(theta), products };
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

/**
 * What |start| is lifted by before the iteration (see principalEigenvector); the folded solver
 * starts from the same point.
 */
export function startFloor(n: number): number {
  return 1e-6 / Math.sqrt(n);
}

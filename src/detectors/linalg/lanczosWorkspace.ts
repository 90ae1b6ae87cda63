import { TridiagonalTop } from './tridiagonalBisection.ts';
import { TridiagonalScratch } from './tridiagonalEigenvector.ts';
import { axpy, dot, norm } from './vectorOps.ts';

/**
 * A Lanczos iteration's memory — the basis, the next vector w, the tridiagonal coefficients
 * and the scratch of its convergence checks — kept between calls by a caller that makes many
 * (one per interval), so a call allocates nothing but its result.
 */
export class LanczosWorkspace {
  basis: Float64Array[] = [];
  w = new Float64Array(0);
  alphas = new Float64Array(0);
  betas = new Float64Array(0);
  readonly scratch = new TridiagonalScratch();
  readonly top = new TridiagonalTop();

  /** Buffers behind the vectors, as long as the largest n asked for: a caller whose n varies (one component after another) reuses them. */
  private store: Float64Array[] = [];
  private wStore = new Float64Array(0);

  /** Make room for vectors of length n and `steps` coefficients. */
  fit(n: number, steps: number): void {
    if (this.w.length !== n) {
      if (this.wStore.length < n) {
        this.wStore = new Float64Array(n);
        this.store = [];
      }
      this.w = this.wStore.subarray(0, n);
      this.basis = [];
      this.vector(0);
    }
    if (this.alphas.length < steps) {
      this.alphas = new Float64Array(steps);
      this.betas = new Float64Array(steps);
    }
  }

  /** Basis vector j (length n of the last fit), made on demand: most calls stop early. */
  vector(j: number): Float64Array {
    const n = this.w.length;
    const made = this.basis[j];
    if (made !== undefined) return made;
    const store = (this.store[j] ??= new Float64Array(this.wStore.length));
    return (this.basis[j] = store.subarray(0, n));
  }

  /**
   * Step j's three-term recurrence on w = A q_j: w ← w − α q_j − β_{j−1} q_{j−1} (and, with
   * `reorthogonalize`, against every basis vector so far); returns β_j = ‖w‖. Without
   * re-orthogonalisation it is one pass over w, the same operations in the same order as two
   * axpy and a norm: at ~15 services the passes' overhead is most of a step's cost.
   */
  recurrence(j: number, alpha: number, reorthogonalize: boolean): number {
    const { w, basis, betas } = this;
    const qj = basis[j]!;
    if (reorthogonalize) {
      axpy(-alpha, qj, w);
      if (j > 0) axpy(-betas[j - 1]!, basis[j - 1]!, w);
      for (let i = 0; i <= j; i++) axpy(-dot(basis[i]!, w), basis[i]!, w);
      return norm(w);
    }
    const n = w.length;
    const a = -alpha;
    let squares = 0;
    if (j === 0) {
      for (let i = 0; i < n; i++) {
        const x = w[i]! + a * qj[i]!;
        w[i] = x;
        squares += x * x;
      }
    } else {
      const previous = basis[j - 1]!;
      const b = -betas[j - 1]!;
      for (let i = 0; i < n; i++) {
        const x = w[i]! + a * qj[i]! + b * previous[i]!;
        w[i] = x;
        squares += x * x;
      }
    }
    return Math.sqrt(squares);
  }
}

import { LanczosWorkspace } from './lanczosWorkspace.ts';
import { principalEigenvector, startFloor, type Eigenpair, type PrincipalEigenOptions } from './principalEigenvector.ts';
import { multiplySymmetric, type SparseSymmetric } from './sparseSymmetric.ts';
import { normalizeInPlace } from './vectorOps.ts';
import { ComponentScratch } from './componentScratch.ts';
import { foldedEigenpair } from './foldedLeaves.ts';

/** Components above this many rows have their leaves folded into their hubs when most rows are leaves (see foldedEigenpair). */
const FOLD_FROM = 64;

export interface ComponentEigenOptions extends PrincipalEigenOptions {
  /** Scratch reused across calls (union-find, component lists, the sub-matrix): one per caller. */
  readonly components?: ComponentScratch;
}

/**
 * The principal eigenpair of D + Dᵀ found component by component. A converted connection log's
 * graph is hundreds of disconnected pieces (mostly stars: clients of one server) beside one
 * large component; Lanczos over the whole of it spends every product on rows whose answer is 0.
 * The matrix is block diagonal over its connected components, so its top eigenvector lives on
 * the component(s) of the largest top eigenvalue:
 *
 * - components by union-find over the entries, O(entries + rows);
 * - a star (one node in every entry, no self-loop; a single edge is one) in closed form:
 *   λ = ‖a‖, centre 1/√2, leaf ℓ a_ℓ/(√2‖a‖), a_ℓ = A[centre][ℓ];
 * - any other component by Lanczos on its own rows, warm-started from `start` there, only while
 *   its Gershgorin bound (largest absolute row sum) can still reach the best λ so far; one of
 *   more than FOLD_FROM rows, most of them leaves, with its leaves folded into their hubs
 *   (foldedEigenpair: Lanczos over the core only).
 *
 * Ties: components whose top eigenvalues are within `tolerance` (relative) of the largest are
 * not told apart by a residual test at that tolerance, and Lanczos over the whole graph returned
 * their mixture weighted by the start's projection (|start| + the floor, see
 * principalEigenvector) on each: that is what is returned here, Σ_c (v_cᵀq) v_c normalised.
 *
 * A graph that is one component (plus rows without entries) goes to principalEigenvector
 * unchanged, so the answer, to the last bit, is what it was (a service mesh is connected).
 */
export function principalEigenvectorByComponents(m: SparseSymmetric, options: ComponentEigenOptions = {}): Eigenpair {
  const n = m.size;
  const s = options.components ?? new ComponentScratch();
  const parts = m.count === 0 ? 0 : s.split(m);
  if (parts <= 1) return principalEigenvector(m, options);
  const tolerance = options.tolerance ?? 1e-10;
  const work = options.workspace ?? new LanczosWorkspace();
  // Stars in closed form; the others ordered by their bound, solved while they can win.
  let best = 0;
  for (let c = 0; c < parts; c++) if (s.isStar[c] === 1 && s.value[c]! > best) best = s.value[c]!;
  const general = s.generalByBound(parts);
  let products = 0;
  for (const c of general) {
    if (s.bound[c]! < best * (1 - tolerance)) break;
    const sub = s.subMatrix(c);
    const start = s.localStart(c, options.start);
    // A large component of mostly leaves (clients of a few servers): Lanczos on its core only.
    const folded = sub.size > FOLD_FROM ? foldedEigenpair(sub, start, tolerance, work, s.fold) : undefined;
    const pair = folded ?? principalEigenvector(sub, { ...options, workspace: work, out: undefined, start, firstCheck: undefined });
    products += pair.products;
    s.keep(c, pair);
    if (pair.value > best) best = pair.value;
  }
  // The winners: every solved component within the tolerance of the best.
  const out = options.out !== undefined && options.out.length === n && options.out !== options.start ? options.out.fill(0) : new Float64Array(n);
  const winners: number[] = [];
  for (let c = 0; c < parts; c++) if (s.solved[c] === 1 && s.value[c]! >= best * (1 - tolerance)) winners.push(c);
  const floor = startFloor(n);
  let converged = true;
  let residual = 0;
  for (const c of winners) {
    converged &&= s.converged[c] === 1;
    residual = Math.max(residual, s.residual[c]!);
    // A tie's weights: the start's projection on each vector (see above).
    s.scatter(c, winners.length === 1 ? 1 : s.projection(c, options.start, floor), out);
  }
  if (winners.length > 1) {
    normalizeInPlace(out);
    residual = residualOf(m, out, best);
  }
  return { value: best, vector: out, residual, converged: converged && residual <= tolerance * Math.abs(best), products };
}

/** ‖A y − λ y‖ (one product; only for ties, which are rare). */
function residualOf(m: SparseSymmetric, y: Float64Array, value: number): number {
  const w = new Float64Array(m.size);
  multiplySymmetric(m, y, w);
  let r = 0;
  for (let i = 0; i < m.size; i++) {
    const d = w[i]! - value * y[i]!;
    r += d * d;
  }
  return Math.sqrt(r);
}

import { LanczosWorkspace } from './lanczosWorkspace.ts';
import { principalEigenvector, type Eigenpair, type PrincipalEigenOptions } from './principalEigenvector.ts';
import type { SparseSymmetric } from './sparseSymmetric.ts';
import { normalizeInPlace } from './vectorOps.ts';
import { ComponentScratch } from './componentScratch.ts';
import { foldedEigenpair } from './foldedLeaves.ts';

/** Components above this many rows have their leaves folded into their hubs when most rows are leaves (see foldedEigenpair). */
const FOLD_FROM = 64;

/**
 * A component whose top eigenvalue is at least this share of the largest shares the vector
 * (see principalEigenvectorByComponents): within a factor of two, its activity is comparable.
 */
const MIX_FROM = 0.5;

export interface ComponentEigenOptions extends PrincipalEigenOptions {
  /** Scratch reused across calls (union-find, component lists, the sub-matrix): one per caller. */
  readonly components?: ComponentScratch;
}

/** An eigenpair, or the mixture of several components' (see principalEigenvectorByComponents). */
export interface ComponentEigenpair extends Eigenpair {
  /**
   * Set when the vector mixes components: per row, the top eigenvalue of the component the row
   * belongs to (0 on rows outside the mixture). Each component's part of the vector is an
   * eigenvector of its own block with that value, which is what a per-edge share of a change needs.
   */
  readonly rowValues?: Float64Array;
}

/**
 * The principal eigenvector of D + Dᵀ found component by component, and on a graph of several
 * comparable components their mixture. A converted connection log's graph is hundreds of
 * disconnected pieces (mostly stars: clients of one server) beside one large component; Lanczos
 * over the whole of it spends every product on rows whose answer is 0. The matrix is block
 * diagonal over its connected components, so each has its own top eigenpair (λ_c, v_c):
 *
 * - components by union-find over the entries, O(entries + rows);
 * - a star (one node in every entry, no self-loop; a single edge is one) in closed form:
 *   λ = ‖a‖, centre 1/√2, leaf ℓ a_ℓ/(√2‖a‖), a_ℓ = A[centre][ℓ];
 * - any other component by Lanczos on its own rows, warm-started from `start` there, only while
 *   its Gershgorin bound (largest absolute row sum) can still reach MIX_FROM of the best λ so
 *   far; one of more than FOLD_FROM rows, most of them leaves, with its leaves folded into their
 *   hubs (foldedEigenpair: Lanczos over the core only).
 *
 * Departure from Idé and Kashima (KDD 2004), whose activity vector is the principal eigenvector
 * of the whole graph: that vector is unique only on a connected graph (Perron–Frobenius needs an
 * irreducible matrix). On a graph of two comparable components (two copies of an application in
 * one mesh) it sits on whichever has the larger λ_c and jumps to the other whenever their order
 * changes, so z is ~0 or ~1 from one interval to the next: the threshold learnt z ≈ 1 as normal
 * (1.67, above any z) and the detector could never alarm again. Here every component with
 * λ_c ≥ MIX_FROM · λ_max weighs in with w_c = (λ_c/λ_max − MIX_FROM) / (1 − MIX_FROM), and
 * u = Σ w_c v_c / ‖Σ w_c v_c‖: continuous in the traffic, the paper's vector wherever one
 * component leads by more than a factor of two (a connected service mesh always; a connection
 * log's large component nearly always), and an equal mix of exact ties.
 *
 * The value returned is λ_max; with a mixture, `rowValues` gives each row its component's λ_c.
 * A graph that is one component (plus rows without entries) goes to principalEigenvector
 * unchanged, so the answer, to the last bit, is what it was.
 */
export function principalEigenvectorByComponents(m: SparseSymmetric, options: ComponentEigenOptions = {}): ComponentEigenpair {
  const n = m.size;
  const s = options.components ?? new ComponentScratch();
  const parts = m.count === 0 ? 0 : s.split(m);
  if (parts <= 1) return principalEigenvector(m, options);
  const tolerance = options.tolerance ?? 1e-10;
  const work = options.workspace ?? new LanczosWorkspace();
  // Stars in closed form; the others ordered by their bound, solved while they can count.
  let best = 0;
  for (let c = 0; c < parts; c++) if (s.isStar[c] === 1 && s.value[c]! > best) best = s.value[c]!;
  const general = s.generalByBound(parts);
  let products = 0;
  for (const c of general) {
    if (s.bound[c]! < best * MIX_FROM) break;
    const sub = s.subMatrix(c);
    const start = s.localStart(c, options.start);
    // A large component of mostly leaves (clients of a few servers): Lanczos on its core only.
    const folded = sub.size > FOLD_FROM ? foldedEigenpair(sub, start, tolerance, work, s.fold) : undefined;
    const pair = folded ?? principalEigenvector(sub, { ...options, workspace: work, out: undefined, start, firstCheck: undefined });
    products += pair.products;
    s.keep(c, pair);
    if (pair.value > best) best = pair.value;
  }
  // The components that count: every solved one above MIX_FROM of the best (mixWeight is 0 at it).
  const out = options.out !== undefined && options.out.length === n && options.out !== options.start ? options.out.fill(0) : new Float64Array(n);
  const mixed: number[] = [];
  for (let c = 0; c < parts; c++) if (s.solved[c] === 1 && s.value[c]! > best * MIX_FROM) mixed.push(c);
  let converged = true;
  let residual = 0;
  for (const c of mixed) {
    converged &&= s.converged[c] === 1;
    residual = Math.max(residual, s.residual[c]!);
    s.scatter(c, mixed.length === 1 ? 1 : mixWeight(s.value[c]! / best), out);
  }
  if (mixed.length <= 1) return { value: best, vector: out, residual, converged: converged && residual <= tolerance * Math.abs(best), products };
  normalizeInPlace(out);
  const rowValues = new Float64Array(n);
  for (const c of mixed) s.scatter(c, 0, rowValues, s.value[c]!);
  return { value: best, vector: out, residual, converged, products, rowValues };
}

/** A component's weight in the mixture, from its share x = λ_c / λ_max of the top eigenvalue. */
function mixWeight(x: number): number {
  return x >= 1 ? 1 : x <= MIX_FROM ? 0 : (x - MIX_FROM) / (1 - MIX_FROM);
}

import type { GraphFeatures } from './graphFeatures.ts';
import type { LogisticProblem } from './l1Logistic.ts';
import { RobustStandardizer } from './robustStandardizer.ts';

/**
 * One clean interval kept for training: what the features are computed from. Dense (z and
 * volume per edge position) or, with `edges`, sparse: the interval's active edges, ascending,
 * and z and volume of each (every other edge idle: z NaN, volume 0), so a training day of a
 * connection log keeps ~100 numbers an interval, not one per edge ever indexed.
 */
export interface TrainingRow {
  /** The active edges' positions, ascending (undefined: z and volume are per position). */
  readonly edges?: Int32Array | undefined;
  /** Standardised load-adjusted residual (NaN: not scored), predicted from the past alone: per position, or per entry of `edges`. */
  readonly z: Float64Array;
  /** Volume: per position, or per entry of `edges`. */
  readonly volume: Float64Array;
  /** Edges covered. */
  readonly n: number;
  /** Edges carrying traffic for the first time in this interval. */
  readonly newEdges: number;
}

/**
 * Training rows spread, one at a time, over positions [0, width) of `z` (NaN where the row has
 * no entry) and `volume` (0 there). A sparse row sets ~100 positions of the tens of thousands a
 * connection log's day indexes, so only the positions the last row set (and those injected
 * since, see inject) are put back, not the whole width (~0.1 s a fit on that shape). The caller
 * reads z and volume but writes them only through inject, which records the position.
 */
class RowSpreader {
  readonly z: Float64Array;
  readonly volume: Float64Array;
  /** Positions set since the last spread (all of them when `dense`). */
  private readonly set: number[] = [];
  private dense = false;

  constructor(width: number) {
    this.z = new Float64Array(width).fill(Number.NaN);
    this.volume = new Float64Array(width);
  }

  /** Spread `row`; returns the positions a sparse compute should visit (undefined: every one). */
  spread(row: TrainingRow): Int32Array | undefined {
    const { z, volume, set } = this;
    if (this.dense) {
      z.fill(Number.NaN);
      volume.fill(0);
    } else {
      for (let k = 0; k < set.length; k++) {
        z[set[k]!] = Number.NaN;
        volume[set[k]!] = 0;
      }
    }
    set.length = 0;
    this.dense = row.edges === undefined;
    if (row.edges === undefined) {
      z.set(row.z.subarray(0, row.n));
      volume.set(row.volume.subarray(0, row.n));
      return undefined;
    }
    for (let j = 0; j < row.edges.length; j++) {
      const e = row.edges[j]!;
      z[e] = row.z[j]!;
      volume[e] = row.volume[j]!;
      set.push(e);
    }
    return row.edges;
  }

  /**
   * `bytes` more on edge e, its z moved by `dz` (an idle edge's unscored z counts as 0); the next
   * spread puts e back too.
   */
  inject(e: number, bytes: number, dz: number): void {
    const { z, volume } = this;
    this.set.push(e);
    volume[e] = volume[e]! + bytes;
    z[e] = (Number.isNaN(z[e]!) ? 0 : z[e]!) + dz;
  }
}

/** The ascending union of a row's active edges and a route's (`extra`: ascending, see routeEdges): the copy's active edges. */
function withRoute(active: Int32Array, extra: Int32Array): Int32Array {
  // A merge of the two ascending lists, each position once (a row lists a position once).
  const out = new Int32Array(active.length + extra.length);
  let m = 0;
  let i = 0;
  let j = 0;
  while (i < active.length || j < extra.length) {
    const next = j >= extra.length || (i < active.length && active[i]! <= extra[j]!) ? active[i++]! : extra[j++]!;
    if (m === 0 || out[m - 1]! !== next) out[m++] = next;
  }
  return out.subarray(0, m);
}

/** A route synthetic exfiltrations are injected along: the directed edge each hop's bytes land on. */
export interface InjectionRoute {
  readonly edges: Int32Array;
}

export interface TrainingSetOptions {
  /** Injected sizes, in units of the route's median hop scale (residual σ). */
  readonly sizes: readonly number[];
  /** Most injected rows (the interval × route × size combinations are thinned evenly beyond it). */
  readonly maxInjectedRows: number;
  /** Cross-validation folds (contiguous stretches of time). */
  readonly folds: number;
  /** `mod-z`: every feature by the clean rows' median/MAD, clipped; `as-is`: residual features only centred (see GraphLassoOptions). */
  readonly residuals: 'mod-z' | 'as-is';
}

export interface TrainingSet {
  readonly problem: LogisticProblem;
  /** Fold per row; an injected copy shares its interval's fold, so no fold learns from a copy of what it is tested on. */
  readonly fold: Int32Array;
  readonly folds: number;
  readonly standardizer: RobustStandardizer;
  /** Rows [0, clean) are the clean intervals, in order; the rest injected copies. */
  readonly clean: number;
}

/**
 * Mimir's training data: the clean training intervals (label 0) plus copies of them with a
 * synthetic exfiltration injected along a candidate route (label 1), several sizes each. The
 * injection follows `--inject`'s model (src/replay/injectExfiltration.ts): B bytes more on every
 * hop's edge. The demand covariates of the load fit (requests, request-direction bytes) do not
 * move, so the copy's residual is the clean one + B and its z the clean z + B/σ (σ the edge's
 * residual scale at the end of training; an idle edge's unscored z counts as 0). Sizes are in
 * units of the route's median hop σ: what a route's noise makes hard or easy, on any mesh.
 *
 * Features are standardised by the clean rows' median/MAD (RobustStandardizer; with `residuals:
 * 'as-is'` the residual features are only centred). The two classes
 * weigh alike in total (half the weight each), so thousands of copies do not drown a few dozen
 * clean intervals.
 */
export function buildTrainingSet(rows: readonly TrainingRow[], features: GraphFeatures, routes: readonly InjectionRoute[], sigma: (e: number) => number, options: TrainingSetOptions): TrainingSet {
  const t = rows.length;
  const d = features.count;
  let width = 0;
  for (const row of rows) width = Math.max(width, row.n);
  const combos = t * routes.length * options.sizes.length;
  const keep = combos === 0 ? 0 : Math.min(1, options.maxInjectedRows / combos);
  const injected = Math.floor(combos * keep + 1e-9);
  const total = t + injected;
  const rowMajor = new Float64Array(total * d);
  const fold = new Int32Array(total);
  const folds = Math.max(1, Math.min(options.folds, t));
  const spreader = new RowSpreader(width);
  const { z, volume } = spreader;
  for (let i = 0; i < t; i++) {
    const row = rows[i]!;
    if (row.edges === undefined) features.compute(row.z, row.volume, row.n, row.newEdges, rowMajor, i * d);
    else features.compute(z, volume, row.n, row.newEdges, rowMajor, i * d, spreader.spread(row));
    fold[i] = Math.floor((i * folds) / t);
  }
  const standardizer = new RobustStandardizer(transpose(rowMajor, t, d), t, d);
  if (options.residuals === 'as-is') for (let j = 0; j < d; j++) if (features.residual[j] === 1) standardizer.keepUnit(j);
  // The copies: thinned evenly over (interval, route, size) when there are more than maxInjectedRows.
  const scales = routes.map((route) => medianOf(Array.from(route.edges, sigma)));
  // Each route's edges within the spread width, ascending: the same for every copy along it.
  const routeEdges = routes.map((route) => route.edges.filter((e) => e < width).sort());
  let at = t;
  let c = 0;
  for (let i = 0; i < t; i++) {
    const row = rows[i]!;
    for (let r = 0; r < routes.length; r++) {
      for (const size of options.sizes) {
        const take = Math.floor((c + 1) * keep + 1e-9) > Math.floor(c * keep + 1e-9);
        c++;
        if (!take || at >= total) continue;
        const active = spreader.spread(row);
        const bytes = size * scales[r]!;
        const edges = routeEdges[r]!;
        for (const e of edges) spreader.inject(e, bytes, bytes / sigma(e));
        features.compute(z, volume, width, row.newEdges, rowMajor, at * d, active === undefined ? undefined : withRoute(active, edges));
        fold[at] = fold[i]!;
        at++;
      }
    }
  }
  for (let i = 0; i < total; i++) standardizer.apply(rowMajor, i * d);
  const y = new Float64Array(total);
  const weights = new Float64Array(total);
  for (let i = 0; i < total; i++) {
    const positive = i >= t;
    y[i] = positive ? 1 : 0;
    weights[i] = positive ? 0.5 / injected : 0.5 / t;
  }
  return { problem: { rows: total, features: d, x: transpose(rowMajor, total, d), y, weights }, fold, folds, standardizer, clean: t };
}

/** Row-major rows × cols into column-major. */
function transpose(rowMajor: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = rowMajor[i * cols + j]!;
  return out;
}

function medianOf(values: number[]): number {
  if (values.length === 0) return 1;
  const s = values.slice().sort((a, b) => a - b);
  const m = s.length;
  return m % 2 === 1 ? s[(m - 1) / 2]! : (s[m / 2 - 1]! + s[m / 2]!) / 2;
}

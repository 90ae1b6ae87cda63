import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  dot,
  dot4,
  gammaUpperQuantile,
  LanczosWorkspace,
  logGamma,
  normalQuantile,
  principalEigenvector,
  principalLeftSingular,
  qStatisticThreshold,
  regularizedGammaQ,
  symmetricEigen,
  topIndices,
  tridiagonalEigenvector,
  TridiagonalTop,
  type ResidualMoments,
  type SparseSymmetric,
} from '../../src/detectors/linalg/index.ts';
import { assertClose, gammaTail, seededRandom } from '../util.ts';

// Every expectation here comes from a closed form, a printed table, or a different numerical
// method written out in the test; none is obtained by running the code under test.

/** D + Dᵀ from edge triples, pairs with weight 0 dropped (the detector builds its own view, ActiveGraph.matrix). */
function sparseSymmetric(size: number, rows: ArrayLike<number>, cols: ArrayLike<number>, weights: ArrayLike<number>): SparseSymmetric {
  const n = weights.length;
  const r = new Int32Array(n);
  const c = new Int32Array(n);
  const w = new Float64Array(n);
  let count = 0;
  for (let k = 0; k < n; k++) {
    const value = weights[k]!;
    if (value === 0) continue;
    const i = rows[k]!;
    const j = cols[k]!;
    if (!(i >= 0 && i < size && j >= 0 && j < size)) throw new RangeError(`sparseSymmetric: entry (${i}, ${j}) outside ${size}×${size}`);
    r[count] = i;
    c[count] = j;
    w[count] = value;
    count++;
  }
  return { size, count, rows: r, cols: c, weights: w };
}

/** φ1, φ2, φ3 of hand-chosen residual eigenvalues: what qStatisticThreshold takes (fitPca forms them inline). */
function residualMoments(eigenvalues: readonly number[]): ResidualMoments {
  let phi1 = 0;
  let phi2 = 0;
  let phi3 = 0;
  for (const l of eigenvalues) {
    phi1 += l;
    phi2 += l * l;
    phi3 += l * l * l;
  }
  return { phi1, phi2, phi3 };
}

/** |⟨a, b⟩| = 1 for unit vectors that agree up to sign. */
function sameDirection(a: ArrayLike<number>, b: ArrayLike<number>, tolerance: number): void {
  assert.equal(a.length, b.length);
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  assertClose(Math.abs(dot) / Math.sqrt(na * nb), 1, tolerance, 'cosine');
}

describe('symmetricEigen', () => {
  it('matches the closed form of a 2×2 matrix', () => {
    const [a, b, c] = [3, 2, -1];
    const { values, vectors } = symmetricEigen(Float64Array.of(a, b, b, c), 2);
    const mid = (a + c) / 2;
    const radius = Math.sqrt(((a - c) / 2) ** 2 + b * b);
    assertClose(values[0]!, mid + radius, 1e-12);
    assertClose(values[1]!, mid - radius, 1e-12);
    // (A − λI)v = 0 ⇒ v ∝ (b, λ − a).
    sameDirection(vectors[0]!, [b, mid + radius - a], 1e-12);
    sameDirection(vectors[1]!, [b, mid - radius - a], 1e-12);
  });

  it('matches the closed form of the 3×3 second-difference matrix', () => {
    // tridiag(1, 2, 1): λ_k = 2 + 2cos(kπ/4), v_k(i) = sin(ikπ/4).
    const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 0, 1, 2, 1, 0, 1, 2), 3);
    assertClose(values[0]!, 2 + Math.SQRT2, 1e-12);
    assertClose(values[1]!, 2, 1e-12);
    assertClose(values[2]!, 2 - Math.SQRT2, 1e-12);
    sameDirection(vectors[0]!, [0.5, Math.SQRT1_2, 0.5], 1e-12);
    sameDirection(vectors[2]!, [0.5, -Math.SQRT1_2, 0.5], 1e-12);
  });

  it('satisfies A v = λ v with orthonormal vectors on a random 40×40 matrix', () => {
    const n = 40;
    const random = seededRandom(3);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = random() - 0.5;
    const { values, vectors } = symmetricEigen(a, n);
    for (let k = 0; k < n; k++) {
      if (k > 0) assert.ok(values[k]! <= values[k - 1]!, 'descending');
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a[i * n + j]! * vectors[k]![j]!;
        assertClose(av, values[k]! * vectors[k]![i]!, 1e-12, `row ${i} of pair ${k}`);
      }
      for (let l = 0; l <= k; l++) {
        let d = 0;
        for (let i = 0; i < n; i++) d += vectors[k]![i]! * vectors[l]![i]!;
        assertClose(d, k === l ? 1 : 0, 1e-12, `⟨v${k}, v${l}⟩`);
      }
    }
    let trace = 0;
    for (let i = 0; i < n; i++) trace += a[i * n + i]!;
    assertClose(values.reduce((s, v) => s + v, 0), trace, 1e-12, 'Σλ = trace');
  });
});

describe('tridiagonal top pair (what each Lanczos check solves)', () => {
  it('bisection, its Rayleigh-quotient refinement, inverse iteration and the last component', () => {
    // The path graph tridiag(1, 0, 1) of size n: λ_k = 2cos(kπ/(n+1)), v_k(i) = sin(ikπ/(n+1)).
    const n = 12;
    const diag = new Float64Array(n);
    const sub = new Float64Array(n - 1).fill(1);
    const lambda = 2 * Math.cos(Math.PI / (n + 1));
    const expected = Array.from({ length: n }, (_, i) => Math.sin(((i + 1) * Math.PI) / (n + 1)));
    const norm = Math.hypot(...expected);
    assertClose(new TridiagonalTop().start(diag, sub, n).narrow().value, lambda, 1e-12, 'bisection to rounding');
    // As Lanczos does: a rough bracket, the vector there, then the Rayleigh quotient.
    const rough = new TridiagonalTop().start(diag, sub, n).narrow(1e-6);
    assertClose(rough.value, lambda, 1e-5, 'rough bracket');
    assertClose(rough.refine(tridiagonalEigenvector(diag, sub, rough.value)), lambda, 1e-12, 'refined');
    const vector = tridiagonalEigenvector(diag, sub, lambda);
    sameDirection(vector, expected, 1e-10);
    // Its last component times the next β is a Ritz pair's residual.
    assertClose(Math.abs(vector[n - 1]!), expected[n - 1]! / norm, 1e-12, 'last component');
  });
});

describe('principalEigenvector (sparse Lanczos)', () => {
  it('finds +λ, not −λ, of a bipartite star: λ = ‖w‖, u = (1/√2, w/(√2‖w‖))', () => {
    // Hub 0 and 20 leaves: D + Dᵀ has eigenvalues ±‖w‖ of equal size, which defeats power iteration.
    const leaves = 20;
    const weights = Array.from({ length: leaves }, (_, i) => 1 + i);
    const m = sparseSymmetric(leaves + 1, new Array(leaves).fill(0), weights.map((_, i) => i + 1), weights);
    const pair = principalEigenvector(m);
    const length = Math.hypot(...weights);
    assertClose(pair.value, length, 1e-8 * length);
    assert.ok(pair.converged);
    sameDirection(pair.vector, [Math.SQRT1_2, ...weights.map((w) => w / (Math.SQRT2 * length))], 1e-10);
    assert.ok(pair.vector.every((x) => x >= -1e-12), 'non-negative (Perron) orientation');
  });

  it('matches the path graph closed form with and without re-orthogonalisation, warm or cold', () => {
    // Path of 60 nodes: λ₁ = 2cos(π/61), eigenvalues packed tightly below it.
    const n = 60;
    const m = sparseSymmetric(n, Array.from({ length: n - 1 }, (_, i) => i), Array.from({ length: n - 1 }, (_, i) => i + 1), new Array(n - 1).fill(1));
    const expected = Array.from({ length: n }, (_, i) => Math.sin(((i + 1) * Math.PI) / (n + 1)));
    const workspace = new LanczosWorkspace();
    for (const reorthogonalize of [false, true]) {
      const cold = principalEigenvector(m, { reorthogonalize, workspace });
      assertClose(cold.value, 2 * Math.cos(Math.PI / (n + 1)), 1e-9);
      sameDirection(cold.vector, expected, 1e-9);
      const warm = principalEigenvector(m, { reorthogonalize, start: cold.vector, workspace });
      sameDirection(warm.vector, expected, 1e-9);
    }
  });

  it('checks convergence first at `firstCheck` steps, and still finds the pair to tolerance', () => {
    const n = 60;
    const m = sparseSymmetric(n, Array.from({ length: n - 1 }, (_, i) => i), Array.from({ length: n - 1 }, (_, i) => i + 1), new Array(n - 1).fill(1));
    const expected = Array.from({ length: n }, (_, i) => Math.sin(((i + 1) * Math.PI) / (n + 1)));
    for (const firstCheck of [1, 5, 20, 45, 200]) {
      const pair = principalEigenvector(m, { firstCheck, stepsPerCycle: 64 });
      assertClose(pair.value, 2 * Math.cos(Math.PI / (n + 1)), 1e-9);
      sameDirection(pair.vector, expected, 1e-9);
      // 60 steps at most: a Krylov space of the whole 60-dimensional space is invariant.
      assert.ok(pair.products >= Math.min(firstCheck, n), `firstCheck ${firstCheck}: stopped after ${pair.products} products`);
    }
  });

  it('agrees with the dense decomposition on a random weighted graph', () => {
    const n = 120;
    const random = seededRandom(8);
    const rows: number[] = [];
    const cols: number[] = [];
    const weights: number[] = [];
    for (let k = 0; k < 500; k++) {
      rows.push(Math.floor(random() * n));
      cols.push(Math.floor(random() * n));
      weights.push(Math.exp(3 * random()));
    }
    const dense = new Float64Array(n * n);
    for (let k = 0; k < rows.length; k++) {
      dense[rows[k]! * n + cols[k]!]! += weights[k]!;
      dense[cols[k]! * n + rows[k]!]! += weights[k]!;
    }
    const reference = symmetricEigen(dense, n);
    const matrix = sparseSymmetric(n, rows, cols, weights);
    const pair = principalEigenvector(matrix, { tolerance: 1e-12 });
    assertClose(pair.value, reference.values[0]!, 1e-9 * reference.values[0]!);
    sameDirection(pair.vector, reference.vectors[0]!, 1e-9);
    // Next interval's matrix: every weight moved by up to ±5 %. Last interval's vector is a
    // better start than none.
    const moved = sparseSymmetric(n, rows, cols, weights.map((w) => w * (0.95 + 0.1 * random())));
    const cold = principalEigenvector(moved, { tolerance: 1e-9 });
    const warm = principalEigenvector(moved, { tolerance: 1e-9, start: pair.vector });
    sameDirection(warm.vector, cold.vector, 1e-9);
    assert.ok(warm.products < cold.products, `warm start: ${warm.products} products, cold: ${cold.products}`);
  });

  it('returns 0 for a matrix without entries', () => {
    const pair = principalEigenvector(sparseSymmetric(30, [1, 2], [3, 4], [0, 0]));
    assert.equal(pair.value, 0);
  });
});

describe('principalLeftSingular', () => {
  it('matches the hand SVD of [[1, 1], [0, 1]]: σ₁ = golden ratio', () => {
    // UUᵀ = [[2, 1], [1, 1]]: λ = (3 + √5)/2 = φ², left vector ∝ (1, λ − 2).
    const lambda = (3 + Math.sqrt(5)) / 2;
    const result = principalLeftSingular([Float64Array.of(1, 0), Float64Array.of(1, 1)], 2);
    assertClose(result.value, (1 + Math.sqrt(5)) / 2, 1e-12);
    sameDirection(result.vector, [1, lambda - 2], 1e-12);
    assert.ok(result.vector[0]! > 0 && result.vector[1]! > 0, 'sign: entries sum ≥ 0');
  });

  it('zero-pads shorter columns (a node an older vector lacks was idle)', () => {
    // Columns (1, 0, ·) and (0, 1, 1) padded: orthogonal, σ² = 1 and 2, top left vector (0, 1, 1)/√2.
    const result = principalLeftSingular([Float64Array.of(1, 0), Float64Array.of(0, 1, 1)], 3);
    assertClose(result.value, Math.SQRT2, 1e-12);
    sameDirection(result.vector, [0, 1, 1], 1e-12);
  });

  it('five columns of different lengths (four summed per pass, the rest two and one at a time): σ₁² = Σ‖column‖²  when all are parallel', () => {
    // Columns α·(1, 1) zero-padded, α = 1, 2, 1, 3, 1 at lengths 2, 3, 4, 2, 3: σ₁² = 2·(1 + 4 + 1 + 9 + 1) = 32,
    // left vector (1, 1, 0, 0)/√2 (rows 2 and 3 belong to no column's support).
    const columns = [Float64Array.of(1, 1), Float64Array.of(2, 2, 0), Float64Array.of(1, 1, 0, 0), Float64Array.of(3, 3), Float64Array.of(1, 1, 0)];
    const result = principalLeftSingular(columns, 4);
    assertClose(result.value, Math.sqrt(32), 1e-12);
    assert.equal(result.vector.length, 4);
    assertClose(result.vector[0]!, Math.SQRT1_2, 1e-12);
    assertClose(result.vector[1]!, Math.SQRT1_2, 1e-12);
    assert.equal(result.vector[2], 0);
    assert.equal(result.vector[3], 0);
  });

  it('a column longer than the others reaches rows they lack (orthogonal columns: the longest one wins)', () => {
    // Columns e0, e1, e2, e3 (lengths 1..4, each a unit vector at its last row) and 2·e4 (length 5):
    // UUᵀ = diag(1, 1, 1, 1, 4): σ₁ = 2, left vector e4.
    const columns = [Float64Array.of(1), Float64Array.of(0, 1), Float64Array.of(0, 0, 1), Float64Array.of(0, 0, 0, 1), Float64Array.of(0, 0, 0, 0, 2)];
    const result = principalLeftSingular(columns, 5);
    assertClose(result.value, 2, 1e-12);
    for (let i = 0; i < 4; i++) assertClose(result.vector[i]!, 0, 1e-12);
    assertClose(result.vector[4]!, 1, 1e-12);
  });

  it('rows only some of four columns reach take each reaching column (the four-at-a-time pass\'s tail)', () => {
    // Columns (1), (0, 1), (1), (0, 2) at length 2: row 0 is reached by all four, row 1 by the
    // second and fourth only. UUᵀ = diag(1 + 1, 1 + 4) = diag(2, 5): σ₁ = √5, left vector (0, 1).
    // The Gram vector is ∝ (0, 1, 0, 2) and (1·x₁ + 2·x₃)/5 = (0, 5)/5 = e₁: row 1 comes from the tail alone.
    const columns = [Float64Array.of(1), Float64Array.of(0, 1), Float64Array.of(1), Float64Array.of(0, 2)];
    const result = principalLeftSingular(columns, 2);
    assertClose(result.value, Math.sqrt(5), 1e-12);
    assertClose(result.vector[0]!, 0, 1e-12);
    assertClose(result.vector[1]!, 1, 1e-12);
    sameDirection(result.gramVector, [0, 1, 0, 2], 1e-12);
  });
});

describe('dot4', () => {
  it('four dot products over each pair\'s common prefix, as dot sums them', () => {
    const u = Float64Array.of(1, 2, 3);
    const out = new Float64Array(4);
    dot4(u, Float64Array.of(1, 1, 1), Float64Array.of(0, 1), Float64Array.of(2, 0, 0, 5), new Float64Array(0), out);
    // 1+2+3 = 6; 2 (prefix of 2); 2 (u has no 4th entry); 0 (empty).
    assert.deepEqual([...out], [6, 2, 2, 0]);
    const a = Float64Array.of(0.1, 0.2, 0.3, 0.4);
    const b = Float64Array.of(3, 1e-17, -3, 7);
    dot4(a, b, a, b, a, out);
    assert.deepEqual([...out], [dot(a, b), dot(a, a), dot(a, b), dot(a, a)]);
  });
});

describe('normalQuantile (AS 241)', () => {
  it('reproduces table values', () => {
    assertClose(normalQuantile(0.95), 1.6448536269514722, 1e-14);
    assertClose(normalQuantile(0.975), 1.959963984540054, 1e-14);
    assertClose(normalQuantile(0.99), 2.3263478740408408, 1e-14);
    assertClose(normalQuantile(0.999), 3.090232306167813, 1e-13);
    assertClose(normalQuantile(0.5), 0, 1e-16);
    assertClose(normalQuantile(1e-10), -6.361340902404056, 1e-11);
    assertClose(normalQuantile(0.05), -normalQuantile(0.95), 1e-14, 'symmetry');
    assert.equal(normalQuantile(0), Number.NEGATIVE_INFINITY);
    assert.ok(Number.isNaN(normalQuantile(1.5)));
  });
});

describe('gamma functions', () => {
  it('logGamma: Γ(5) = 24, Γ(1/2) = √π, Γ(10.5) from the recurrence', () => {
    assertClose(logGamma(5), Math.log(24), 1e-13);
    assertClose(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-13);
    let g = Math.sqrt(Math.PI);
    for (let x = 0.5; x < 10.5; x++) g *= x;
    assertClose(logGamma(10.5), Math.log(g), 1e-12);
  });

  it('Q(k, x) = e^(−x) Σ_{i<k} xⁱ/i! for integer k', () => {
    for (const [k, x] of [[1, 0.3], [3, 2], [5, 4.5], [8, 20], [2, 0.01]] as const) {
      let s = 0;
      let term = 1;
      for (let i = 0; i < k; i++) {
        s += term;
        term *= x / (i + 1);
      }
      assertClose(regularizedGammaQ(k, x), Math.exp(-x) * s, 1e-13, `Q(${k}, ${x})`);
    }
  });

  it('upper quantiles reproduce chi-square tables (χ²_k = gamma(k/2, 2))', () => {
    assertClose(gammaUpperQuantile(1 / 2, 2, 0.05), 3.841, 5e-4);
    assertClose(gammaUpperQuantile(2 / 2, 2, 0.05), 5.991, 5e-4);
    assertClose(gammaUpperQuantile(5 / 2, 2, 0.05), 11.070, 5e-4);
    assertClose(gammaUpperQuantile(16 / 2, 2, 0.01), 32.0, 5e-4);
    assertClose(gammaUpperQuantile(1 / 2, 2, 0.001), 10.828, 5e-4);
    assertClose(gammaUpperQuantile(1000 / 2, 2, 0.05), 1074.679, 5e-3);
  });

  it('puts the asked-for mass above the threshold (Simpson integration of the density)', () => {
    // The integration itself first, where the tail has a closed form (integer shape k:
    // Q(k, x) = e^(−x) Σ_{i<k} xⁱ/i!).
    for (const [k, scale, x] of [[1, 3, 12], [3, 2, 16.8], [8, 0.1, 2.5]] as const) {
      let s = 0;
      let term = 1;
      for (let i = 0; i < k; i++) {
        s += term;
        term *= x / scale / (i + 1);
      }
      const exact = Math.exp(-x / scale) * s;
      assertClose(gammaTail(k, scale, x), exact, exact * 1e-12, `Simpson tail of gamma(${k}, ${scale})`);
    }
    // Non-integer shapes and a scale.
    for (const [shape, scale, tail] of [[2.7, 0.3, 0.01], [0.8, 5, 0.05], [11.3, 0.02, 0.001]] as const) {
      assertClose(gammaTail(shape, scale, gammaUpperQuantile(shape, scale, tail)), tail, tail * 1e-6, `tail of gamma(${shape}, ${scale})`);
    }
  });
});

describe('Q-statistic (Jackson–Mudholkar)', () => {
  it('evaluates the published formula for hand-chosen residual eigenvalues', () => {
    const lambdas = [4, 2, 1, 0.5];
    const phi1 = 4 + 2 + 1 + 0.5;
    const phi2 = 16 + 4 + 1 + 0.25;
    const phi3 = 64 + 8 + 1 + 0.125;
    const h0 = 1 - (2 * phi1 * phi3) / (3 * phi2 * phi2);
    const c = 3.090232306167813; // 0.999 normal quantile
    const expected = phi1 * ((c * Math.sqrt(2 * phi2 * h0 * h0)) / phi1 + 1 + (phi2 * h0 * (h0 - 1)) / (phi1 * phi1)) ** (1 / h0);
    const moments = residualMoments(lambdas);
    assertClose(moments.phi1, phi1, 1e-12);
    assertClose(moments.phi2, phi2, 1e-12);
    assertClose(moments.phi3, phi3, 1e-12);
    assertClose(qStatisticThreshold(moments, 0.001), expected, 1e-9 * expected);
  });

  it('approximates the exact law when residual eigenvalues are equal (Q/λ ~ χ²_k)', () => {
    // Five residual eigenvalues of 2: Q/2 ~ χ²_5, whose 0.95 point is 11.070 (table).
    assertClose(qStatisticThreshold(residualMoments([2, 2, 2, 2, 2]), 0.05), 2 * 11.070, 0.01 * 2 * 11.07);
    // One eigenvalue: χ²_1 at 0.999 is 10.828; the approximation is coarser there.
    assertClose(qStatisticThreshold(residualMoments([1]), 0.001), 10.828, 0.05 * 10.828);
  });

  it('keeps the right tail when h0 < 0 (one large, many small eigenvalues)', () => {
    // λ = [1, 0.1 × 100]: h0 ≈ −1.02. Reference: the 0.99 quantile of Σ λ_j χ²_1 by seeded Monte Carlo.
    const lambdas = [1, ...new Array<number>(100).fill(0.1)];
    const moments = residualMoments(lambdas);
    const h0 = 1 - (2 * moments.phi1 * moments.phi3) / (3 * moments.phi2 ** 2);
    assert.ok(h0 < 0, 'h0 < 0 in this case');
    const random = seededRandom(17);
    const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-300)) * Math.cos(2 * Math.PI * random());
    const draws = new Float64Array(40_000);
    for (let s = 0; s < draws.length; s++) {
      let q = 0;
      for (const l of lambdas) q += l * gauss() ** 2;
      draws[s] = q;
    }
    draws.sort();
    const quantile = draws[Math.floor(0.99 * draws.length)]!;
    const threshold = qStatisticThreshold(moments, 0.01);
    // Within 8 % of the true point, on the conservative side.
    assert.ok(threshold >= quantile && threshold <= 1.08 * quantile, `threshold ${threshold} vs Monte Carlo ${quantile}`);
    // Lakhina's printing, c√(2φ2h0²)/φ1, flips the tail here: it lands below the mean φ1.
    const c = 2.3263478740408408;
    const unsigned = moments.phi1 * ((c * Math.sqrt(2 * moments.phi2 * h0 * h0)) / moments.phi1 + 1 + (moments.phi2 * h0 * (h0 - 1)) / moments.phi1 ** 2) ** (1 / h0);
    assert.ok(unsigned < moments.phi1, 'the unsigned form would alarm on most normal intervals');
  });
});

describe('topIndices', () => {
  it('keeps the k largest, largest first, ties in position order, NaN never', () => {
    assert.deepEqual(topIndices(Float64Array.of(3, Number.NaN, 7, 1, 7, 5), 3), [2, 4, 5]);
    assert.deepEqual(topIndices(Float64Array.of(1, 2), 5), [1, 0]);
    assert.deepEqual(topIndices(Float64Array.of(1, 2), 0), []);
  });
});

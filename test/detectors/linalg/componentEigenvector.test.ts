import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ComponentScratch, LanczosWorkspace, principalEigenvector, principalEigenvectorByComponents, symmetricEigen, type SparseSymmetric } from '../../../src/detectors/linalg/index.ts';
import { assertClose, seededRandom } from '../../util.ts';

// Expected eigenpairs are closed forms worked by hand: a star's (λ = ‖a‖, centre 1/√2, leaf ℓ
// a_ℓ/(√2‖a‖)) and a path's (λ = 2cos(π/(k+1)), x_i ∝ sin(iπ/(k+1))).

/** D + Dᵀ from (row, col, weight) triples over `size` rows. */
function matrix(size: number, triples: readonly (readonly [number, number, number])[]): SparseSymmetric {
  return {
    size,
    count: triples.length,
    rows: Int32Array.from(triples, (t) => t[0]),
    cols: Int32Array.from(triples, (t) => t[1]),
    weights: Float64Array.from(triples, (t) => t[2]),
  };
}

function assertVector(actual: Float64Array, expected: readonly number[], tolerance: number): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) assertClose(actual[i]!, expected[i]!, tolerance, `entry ${i}`);
}

/** Star triples: centre → leaf with weight w. */
function star(centre: number, leaves: readonly number[], weights: readonly number[]): [number, number, number][] {
  return leaves.map((leaf, i) => [centre, leaf, weights[i]!]);
}

/** Path triples a_0 → a_1 → … with unit weights. */
function path(nodes: readonly number[]): [number, number, number][] {
  return nodes.slice(1).map((node, i) => [nodes[i]!, node, 1]);
}

describe('principalEigenvectorByComponents', () => {
  it('two disjoint stars, one more than twice the other: the larger holds the vector alone, in closed form (no Lanczos product)', () => {
    // Star A: centre 0, leaves 1, 2 with a = (0.6, 0.8) (leaf 1 by two entries, 0→1 of 0.4 and 1→0 of 0.2): λ_A = 1.
    // Star B: centre 7, leaves 3, 4, 5, 6 with a = (1, 2, 4, 4): λ_B = √37 ≈ 6.08, over twice λ_A. Row 8 has no entry.
    const m = matrix(9, [[0, 1, 0.4], [1, 0, 0.2], [0, 2, 0.8], ...star(7, [3, 4, 5, 6], [1, 2, 4, 4])]);
    const pair = principalEigenvectorByComponents(m, { tolerance: 1e-12 });
    const lambda = Math.sqrt(37);
    assertClose(pair.value, lambda, 1e-12);
    const leaf = (a: number) => a / (Math.SQRT2 * lambda);
    assertVector(pair.vector, [0, 0, 0, leaf(1), leaf(2), leaf(4), leaf(4), Math.SQRT1_2, 0], 1e-15);
    assert.equal(pair.products, 0);
    assert.ok(pair.converged);
    assert.equal(pair.rowValues, undefined, 'no mixture');
  });

  it('two disjoint stars within a factor of two: both weigh in, the smaller by (λ_A/λ_B − ½)/½, and rowValues gives each row its own λ', () => {
    // Star A: λ_A = 5 (a = (3, 4), leaf 1 by two entries, 2 and 1); star B: λ_B = √37 as above.
    const m = matrix(9, [[0, 1, 2], [1, 0, 1], [0, 2, 4], ...star(7, [3, 4, 5, 6], [1, 2, 4, 4])]);
    const pair = principalEigenvectorByComponents(m, { tolerance: 1e-12 });
    const lambdaA = 5;
    const lambdaB = Math.sqrt(37);
    assertClose(pair.value, lambdaB, 1e-12);
    const wA = (lambdaA / lambdaB - 0.5) / 0.5; // 0.644
    const norm = Math.hypot(wA, 1);
    const vA = [Math.SQRT1_2, 3 / (Math.SQRT2 * lambdaA), 4 / (Math.SQRT2 * lambdaA)].map((x) => (wA * x) / norm);
    const vB = [1, 2, 4, 4].map((a) => a / (Math.SQRT2 * lambdaB) / norm);
    assertVector(pair.vector, [...vA, ...vB, Math.SQRT1_2 / norm, 0], 1e-14);
    assert.deepEqual([...pair.rowValues!].map((x) => Number(x.toFixed(12))), [5, 5, 5, ...new Array(5).fill(Number(lambdaB.toFixed(12))), 0]);
    assert.equal(pair.products, 0);
  });

  it('continuity: two stars whose λ swap order by 0.2 % move the vector by under 0.3 % (taking the larger alone, it jumped from one star to the other)', () => {
    // Rows 0–3: centre 0, three unit leaves (λ = √3); rows 4–7: centre 4, three leaves of 1 ± 0.001.
    const vectorAt = (scale: number) => principalEigenvectorByComponents(matrix(8, [...star(0, [1, 2, 3], [1, 1, 1]), ...star(4, [5, 6, 7], [scale, scale, scale])]), { tolerance: 1e-12 }).vector;
    const below = vectorAt(0.999);
    const above = vectorAt(1.001);
    const moved = Math.hypot(...below.map((x, i) => x - above[i]!));
    // Weights 1 and 1 − 2·0.001/1.001 (about 0.998) swap sides: each star's share moves by ~0.1 %.
    assert.ok(moved < 0.003, `moved ${moved}`);
    assert.ok(moved > 0, 'the vector follows the traffic');
  });

  it('a single edge beside a star under half its weight: (1/√2, 1/√2) on its ends, λ = its weight', () => {
    const m = matrix(6, [...star(0, [1, 2, 3], [0.5, 0.5, 0.5]), [4, 5, 2]]);
    const pair = principalEigenvectorByComponents(m);
    assertClose(pair.value, 2, 1e-15);
    assertVector(pair.vector, [0, 0, 0, 0, Math.SQRT1_2, Math.SQRT1_2], 1e-15);
  });

  it('a path (not a star) beside a single edge of under half its λ: λ = 2cos(π/7), x_i ∝ sin(iπ/7) by Lanczos on its own rows, 0 elsewhere', () => {
    // Path on rows 2, 4, 5, 7, 8, 9 (6 nodes, unit weights); edge 0—1 of weight 0.5 (λ = 0.5 < 2cos(π/7)/2 ≈ 0.90).
    const rows = [2, 4, 5, 7, 8, 9];
    const m = matrix(11, [[0, 1, 0.5], ...path(rows)]);
    const pair = principalEigenvectorByComponents(m, { tolerance: 1e-12 });
    assertClose(pair.value, 2 * Math.cos(Math.PI / 7), 1e-12);
    const shape = rows.map((_, i) => Math.sin(((i + 1) * Math.PI) / 7));
    const length = Math.hypot(...shape);
    const expected = new Array<number>(11).fill(0);
    rows.forEach((row, i) => (expected[row] = shape[i]! / length));
    assertVector(pair.vector, expected, 1e-10);
  });

  it('a star and a path of nearly equal λ (2 and 2cos(π/61), by Lanczos) share the vector: weights 1 and 2cos(π/61) − 1', () => {
    const chain = Array.from({ length: 60 }, (_, i) => i);
    const m = matrix(65, [...path(chain), ...star(60, [61, 62, 63, 64], [1, 1, 1, 1])]);
    const pair = principalEigenvectorByComponents(m, { tolerance: 1e-10 });
    assertClose(pair.value, 2, 1e-15);
    const wPath = (Math.cos(Math.PI / 61) - 0.5) / 0.5;
    const norm = Math.hypot(1, wPath);
    const shape = chain.map((_, i) => Math.sin(((i + 1) * Math.PI) / 61));
    const length = Math.hypot(...shape);
    const expected = [...shape.map((x) => (wPath * x) / length / norm), Math.SQRT1_2 / norm, ...new Array(4).fill(1 / (2 * Math.SQRT2) / norm)];
    // The path's gap is small (λ₁ − λ₂ ≈ 0.008): its vector is good to ~1e-8 at this tolerance.
    assertVector(pair.vector, expected, 1e-7);
    assertClose(pair.rowValues![0]!, 2 * Math.cos(Math.PI / 61), 1e-12);
    assert.equal(pair.rowValues![60], 2);
  });

  it('a tie (two identical stars): an equal mix, whatever the start', () => {
    // Each star: centre, 5 leaves of a = (1, 2, 3, 4, 5), λ = √55; rows 0–5 and 6–11.
    const a = [1, 2, 3, 4, 5];
    const m = matrix(12, [...star(0, [1, 2, 3, 4, 5], a), ...star(6, [7, 8, 9, 10, 11], a)]);
    const start = Float64Array.from({ length: 12 }, (_, i) => (i < 6 ? 0.3 : 0.1));
    const lambda = Math.sqrt(55);
    const v = [Math.SQRT1_2, ...a.map((x) => x / (Math.SQRT2 * lambda))].map((x) => x * Math.SQRT1_2);
    for (const s of [start, undefined]) {
      const pair = principalEigenvectorByComponents(m, { start: s, tolerance: 1e-10 });
      assertClose(pair.value, lambda, 1e-12);
      assertVector(pair.vector, [...v, ...v], 1e-15);
      assert.equal(pair.residual, 0, 'each part is its block’s exact eigenvector');
    }
  });

  it('one component (and rows without entries): exactly principalEigenvector’s answer, bit for bit', () => {
    const chain = Array.from({ length: 40 }, (_, i) => i);
    const m = matrix(45, [...path(chain), [3, 20, 2.5], [10, 39, 0.5]]);
    const start = Float64Array.from({ length: 45 }, (_, i) => 1 + (i % 7));
    const one = principalEigenvectorByComponents(m, { start, tolerance: 1e-7, firstCheck: 9 });
    const other = principalEigenvector(m, { start, tolerance: 1e-7, firstCheck: 9 });
    assert.deepEqual(one, other);
  });

  it('reuses its scratch and Lanczos workspace across graphs of different sizes', () => {
    const components = new ComponentScratch();
    const workspace = new LanczosWorkspace();
    const shortPath = Array.from({ length: 20 }, (_, i) => i);
    const longPath = Array.from({ length: 70 }, (_, i) => i);
    for (const nodes of [longPath, shortPath, longPath]) {
      const k = nodes.length;
      // The path plus a disjoint single edge of weight 0.5 (λ = 0.5, under half of 2cos(π/(k+1))).
      const m = matrix(k + 2, [...path(nodes), [k, k + 1, 0.5]]);
      const pair = principalEigenvectorByComponents(m, { components, workspace, tolerance: 1e-10 });
      assertClose(pair.value, 2 * Math.cos(Math.PI / (k + 1)), 1e-9);
      const shape = nodes.map((_, i) => Math.sin(((i + 1) * Math.PI) / (k + 1)));
      const length = Math.hypot(...shape);
      assertVector(pair.vector, [...shape.map((x) => x / length), 0, 0], 1e-8);
    }
  });

  it('leaves folded into their hubs: two hubs joined by c = 3, 40 unit leaves each: λ² = cλ + 40, so λ = 8; hubs 1, leaves 1/8 (normalised)', () => {
    // Rows 0, 1: hubs; 2–41 leaves of 0, 42–81 leaves of 1 (82 rows, 80 leaves: the folded path); 82—83 a single edge.
    const triples: [number, number, number][] = [[0, 1, 3], ...star(0, Array.from({ length: 40 }, (_, i) => 2 + i), new Array(40).fill(1))];
    triples.push(...star(1, Array.from({ length: 40 }, (_, i) => 42 + i), new Array(40).fill(1)), [82, 83, 1]);
    const pair = principalEigenvectorByComponents(matrix(84, triples), { tolerance: 1e-10 });
    assertClose(pair.value, 8, 1e-9);
    const norm = Math.sqrt(2 + 80 / 64);
    assertVector(pair.vector, [1 / norm, 1 / norm, ...new Array(80).fill(1 / (8 * norm)), 0, 0], 1e-10);
    assert.ok(pair.converged);
  });

  it('leaves folded: a random caterpillar (a path of 25 hubs, 2–9 weighted leaves each) agrees with the dense decomposition', () => {
    const random = seededRandom(17);
    const triples: [number, number, number][] = [];
    for (let h = 0; h + 1 < 25; h++) triples.push([h, h + 1, 0.5 + random()]);
    let next = 25;
    for (let h = 0; h < 25; h++) {
      const leaves = 2 + Math.floor(random() * 8);
      for (let l = 0; l < leaves; l++) triples.push(random() < 0.5 ? [h, next++, Math.exp(2 * random())] : [next++, h, Math.exp(2 * random())]);
    }
    const n = next + 2;
    triples.push([next, next + 1, 0.1]); // a second component, so the graph goes component by component
    const dense = new Float64Array(n * n);
    for (const [i, j, w] of triples) {
      dense[i * n + j]! += w;
      dense[j * n + i]! += w;
    }
    const reference = symmetricEigen(dense, n);
    const previous = Float64Array.from(reference.vectors[0]!, (x) => Math.abs(x) * (0.9 + 0.2 * random()));
    for (const start of [undefined, previous]) {
      const pair = principalEigenvectorByComponents(matrix(n, triples), { tolerance: 1e-10, start });
      assertClose(pair.value, reference.values[0]!, 1e-9 * reference.values[0]!);
      const sign = Math.sign(reference.vectors[0]!.reduce((a, b) => a + b, 0));
      for (let i = 0; i < n; i++) assertClose(pair.vector[i]!, sign * reference.vectors[0]![i]!, 1e-8, `entry ${i}`);
      assert.ok(pair.converged && pair.residual <= 1e-10 * pair.value, `residual ${pair.residual}`);
    }
  });
});

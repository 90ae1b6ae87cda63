import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { symmetricEigen, symmetricTopEigen } from '../../../src/detectors/linalg/index.ts';
import { assertClose, seededRandom } from '../../util.ts';

/** A symmetric n × n matrix, row-major, both triangles equal bit for bit. */
function symmetric(n: number, entry: (i: number, j: number) => number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const v = entry(i, j);
      a[i * n + j] = v;
      a[j * n + i] = v;
    }
  }
  return a;
}

// symmetricEigen's closed-form checks are in ../linalg.test.ts; these add the cases the row-wise
// working matrix has to get right (exact zeros, ties, all-equal entries) and symmetricTopEigen.
describe('symmetricEigen', () => {
  it('finds the eigenpairs of [[2, 1], [1, 2]]: 3 along (1, 1)/√2, 1 along (1, −1)/√2', () => {
    const e = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
    assertClose(e.values[0]!, 3, 1e-14);
    assertClose(e.values[1]!, 1, 1e-14);
    const [u, v] = e.vectors as [Float64Array, Float64Array];
    assertClose(Math.abs(u[0]!), Math.SQRT1_2, 1e-14);
    assertClose(u[0]! * u[1]!, 0.5, 1e-14);
    assertClose(Math.abs(v[0]!), Math.SQRT1_2, 1e-14);
    assertClose(v[0]! * v[1]!, -0.5, 1e-14);
  });

  it('returns a diagonal matrix sorted, with unit vectors', () => {
    const e = symmetricEigen(symmetric(3, (i, j) => (i === j ? [1, 5, 3][i]! : 0)), 3);
    assert.deepEqual(Array.from(e.values), [5, 3, 1]);
    assert.deepEqual(Array.from(e.vectors[0]!, Math.abs), [0, 1, 0]);
    assert.deepEqual(Array.from(e.vectors[1]!, Math.abs), [0, 0, 1]);
    assert.deepEqual(Array.from(e.vectors[2]!, Math.abs), [1, 0, 0]);
  });

  it('is an eigen-decomposition (A v = λ v) of covariance-like, plain and all-ones matrices', () => {
    const random = seededRandom(17);
    for (const n of [1, 2, 3, 7, 40, 97]) {
      // A covariance-like matrix (low rank plus noise, with exact zeros and ties) and a plain one.
      const factors = Array.from({ length: 3 }, () => Float64Array.from({ length: n }, () => random() - 0.5));
      const cases = [
        symmetric(n, (i, j) => factors.reduce((s, f) => s + f[i]! * f[j]!, 0) + (i === j ? 1e-3 : 0)),
        symmetric(n, (i, j) => ((i + j) % 5 === 0 ? 0 : random() * 10 - 5)),
        symmetric(n, () => 1),
      ];
      for (const a of cases) {
        const mine = symmetricEigen(a, n);
        for (let k = 0; k < n; k++) {
          const v = mine.vectors[k]!;
          if (k > 0) assert.ok(mine.values[k]! <= mine.values[k - 1]!, `descending, n = ${n}`);
          for (let i = 0; i < n; i++) {
            let av = 0;
            for (let j = 0; j < n; j++) av += a[i * n + j]! * v[j]!;
            assertClose(av, mine.values[k]! * v[i]!, 1e-9 * Math.max(1, Math.abs(mine.values[0]!)));
          }
        }
      }
    }
  });

  it('leaves its input alone and rejects a matrix too short', () => {
    const a = symmetric(4, (i, j) => i + j);
    const copy = a.slice();
    symmetricEigen(a, 4);
    assert.deepEqual(a, copy);
    assert.throws(() => symmetricEigen(new Float64Array(3), 2), RangeError);
    assert.deepEqual(symmetricEigen(new Float64Array(0), 0), { values: new Float64Array(0), vectors: [] });
  });
});

/** A covariance of `samples` random vectors of length n with a dominant direction (row-major, exactly symmetric). */
function covariance(n: number, samples: number, random: () => number): Float64Array {
  const direction = Float64Array.from({ length: n }, () => random() - 0.5);
  const rows = Array.from({ length: samples }, () => {
    const a = 3 * (random() - 0.5);
    return Float64Array.from(direction, (d) => a * d + 0.1 * (random() - 0.5));
  });
  return symmetric(n, (i, j) => rows.reduce((s, r) => s + r[i]! * r[j]!, 0));
}

describe('symmetricTopEigen', () => {
  it('gives every eigenvalue bit for bit as the whole solve, and its top vector to rounding (up to sign)', () => {
    const random = seededRandom(5);
    for (const n of [64, 90, 150]) {
      const a = covariance(n, 2 * n, random);
      const whole = symmetricEigen(a, n);
      const { values, top } = symmetricTopEigen(a, n);
      assert.deepEqual(Array.from(values), Array.from(whole.values), `values, n = ${n}`);
      const v = whole.vectors[0]!;
      let along = 0;
      for (let k = 0; k < n; k++) along += v[k]! * top[k]!;
      const sign = Math.sign(along);
      for (let k = 0; k < n; k++) assertClose(sign * top[k]!, v[k]!, 1e-12, `n = ${n}, entry ${k}`);
      // A v = λ v for the top pair, from the matrix itself.
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a[i * n + j]! * top[j]!;
        assertClose(av, values[0]! * top[i]!, 1e-10 * values[0]!);
      }
    }
  });

  it('takes the whole solve, bit for bit, under 64 rows or when the top eigenvalue is tied', () => {
    const random = seededRandom(9);
    const small = covariance(20, 40, random);
    const whole = symmetricEigen(small, 20);
    const mine = symmetricTopEigen(small, 20);
    assert.deepEqual(Array.from(mine.values), Array.from(whole.values));
    assert.deepEqual(Array.from(mine.top), Array.from(whole.vectors[0]!));
    // diag(2, 2, 1, …, 1): the top eigenvalue 2 twice, its vector any unit vector of the first two axes.
    const n = 70;
    const tied = symmetric(n, (i, j) => (i === j ? (i < 2 ? 2 : 1) : 0));
    const t = symmetricTopEigen(tied, n);
    const w = symmetricEigen(tied, n);
    assert.deepEqual(Array.from(t.top), Array.from(w.vectors[0]!));
    assert.equal(t.values[0], 2);
    assert.equal(t.values[1], 2);
  });
});

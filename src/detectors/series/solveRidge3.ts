/**
 * The slopes β of a ridge regression on three covariates, (S_cc + ridge·diag S_cc) β = S_cx,
 * by Gaussian elimination with partial pivoting, into `beta`. `scc` holds the upper triangle of
 * the centred cross-products from `at` ((0,0) (0,1) (0,2) (1,1) (1,2) (2,2)), `scx` the
 * covariate-response cross-products from `rhsAt`; `scratch` is 12 numbers of workspace, so the
 * hot loop allocates nothing. A covariate that never moved, or (ridge 0) is an exact
 * combination of the others, gets slope 0.
 */
export function solveRidge3(scc: Float64Array, at: number, scx: Float64Array, rhsAt: number, ridge: number, scratch: Float64Array, beta: Float64Array): void {
  const s = scc;
  const o = at;
  const a = scratch;
  const k = 3;
  // Row-major 3 × 4 augmented matrix [S_cc | S_cx].
  a[0] = s[o]!; a[1] = s[o + 1]!; a[2] = s[o + 2]!; a[3] = scx[rhsAt]!;
  a[4] = s[o + 1]!; a[5] = s[o + 3]!; a[6] = s[o + 4]!; a[7] = scx[rhsAt + 1]!;
  a[8] = s[o + 2]!; a[9] = s[o + 4]!; a[10] = s[o + 5]!; a[11] = scx[rhsAt + 2]!;
  const top = Math.max(a[0]!, a[5]!, a[10]!);
  for (let j = 0; j < k; j++) {
    const d = a[j * 5]!;
    // A covariate that never moved (spread ≤ 1e-12 of the largest) gets no slope.
    if (d > 0 && d > 1e-12 * top) a[j * 5] = d * (1 + ridge);
    else {
      for (let c = 0; c < 4; c++) a[j * 4 + c] = 0;
      for (let r = 0; r < k; r++) a[r * 4 + j] = 0;
      a[j * 5] = 1;
    }
  }
  for (let c = 0; c < k; c++) {
    let pivot = c;
    for (let r = c + 1; r < k; r++) if (Math.abs(a[r * 4 + c]!) > Math.abs(a[pivot * 4 + c]!)) pivot = r;
    if (pivot !== c) {
      for (let q = 0; q < 4; q++) {
        const t = a[c * 4 + q]!;
        a[c * 4 + q] = a[pivot * 4 + q]!;
        a[pivot * 4 + q] = t;
      }
    }
    const d = a[c * 5]!;
    for (let r = c + 1; r < k; r++) {
      const m = a[r * 4 + c]! / d;
      for (let q = c; q < 4; q++) a[r * 4 + q]! -= m * a[c * 4 + q]!;
    }
  }
  for (let r = k - 1; r >= 0; r--) {
    // A pivot that vanished: this covariate is an exact combination of the others (possible only with ridge 0); it gets no slope.
    if (!(Math.abs(a[r * 5]!) > 1e-9 * top)) {
      beta[r] = 0;
      continue;
    }
    let v = a[r * 4 + 3]!;
    for (let q = r + 1; q < k; q++) v -= a[r * 4 + q]! * beta[q]!;
    beta[r] = v / a[r * 5]!;
  }
}

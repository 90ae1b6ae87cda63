/**
 * The slopes β of a ridge regression on three covariates, (S_cc + ridge·diag S_cc) β = S_cx,
 * by Gaussian elimination with partial pivoting, into `beta`. `scc` holds the upper triangle of
 * the centred cross-products from `at` ((0,0) (0,1) (0,2) (1,1) (1,2) (2,2)), `scx` the
 * covariate-response cross-products from `rhsAt`. A covariate that never moved, or (ridge 0)
 * is an exact combination of the others, gets slope 0. With `rhs2` and `out2`, the same system
 * solved for a second right-hand side (rhs2[0..2]) in the same elimination, into `out2` (a
 * leverage, dᵀ(S_cc + ridge)⁻¹d, needs one every time β is solved: LoadResiduals).
 *
 * Written out for 3 × 4 on locals (every edge's fit is solved every interval, by three
 * detectors): the same operations in the same order as the loops of the textbook form, so the
 * same bits; only the eliminated entries below the diagonal, which nothing reads, are not
 * computed.
 */
export function solveRidge3(
  scc: Float64Array,
  at: number,
  scx: Float64Array,
  rhsAt: number,
  ridge: number,
  beta: Float64Array,
  rhs2?: Float64Array,
  out2?: Float64Array,
): void {
  // Row-major augmented matrix [S_cc | S_cx | rhs2], row r = (a_r0, a_r1, a_r2 | a_r3 | a_r4):
  // the second right-hand side rides along the same elimination (a leverage needs one).
  let a00 = scc[at]!;
  let a01 = scc[at + 1]!;
  let a02 = scc[at + 2]!;
  let a03 = scx[rhsAt]!;
  let a04 = rhs2 === undefined ? 0 : rhs2[0]!;
  let a10 = a01;
  let a11 = scc[at + 3]!;
  let a12 = scc[at + 4]!;
  let a13 = scx[rhsAt + 1]!;
  let a14 = rhs2 === undefined ? 0 : rhs2[1]!;
  let a20 = a02;
  let a21 = a12;
  let a22 = scc[at + 5]!;
  let a23 = scx[rhsAt + 2]!;
  let a24 = rhs2 === undefined ? 0 : rhs2[2]!;
  const top = Math.max(a00, a11, a22);
  // A covariate that never moved (spread ≤ 1e-12 of the largest) gets no slope: its row and
  // column 0, its diagonal 1.
  const small = 1e-12 * top;
  if (a00 > 0 && a00 > small) a00 = a00 * (1 + ridge);
  else {
    a01 = a02 = a03 = a04 = a10 = a20 = 0;
    a00 = 1;
  }
  if (a11 > 0 && a11 > small) a11 = a11 * (1 + ridge);
  else {
    a10 = a12 = a13 = a14 = a01 = a21 = 0;
    a11 = 1;
  }
  if (a22 > 0 && a22 > small) a22 = a22 * (1 + ridge);
  else {
    a20 = a21 = a23 = a24 = a02 = a12 = 0;
    a22 = 1;
  }
  // Column 0: the pivot is the first row of largest |a_r0|.
  let t: number;
  if (Math.abs(a10) > Math.abs(a00)) {
    if (Math.abs(a20) > Math.abs(a10)) {
      t = a00; a00 = a20; a20 = t;
      t = a01; a01 = a21; a21 = t;
      t = a02; a02 = a22; a22 = t;
      t = a03; a03 = a23; a23 = t;
      t = a04; a04 = a24; a24 = t;
    } else {
      t = a00; a00 = a10; a10 = t;
      t = a01; a01 = a11; a11 = t;
      t = a02; a02 = a12; a12 = t;
      t = a03; a03 = a13; a13 = t;
      t = a04; a04 = a14; a14 = t;
    }
  } else if (Math.abs(a20) > Math.abs(a00)) {
    t = a00; a00 = a20; a20 = t;
    t = a01; a01 = a21; a21 = t;
    t = a02; a02 = a22; a22 = t;
    t = a03; a03 = a23; a23 = t;
    t = a04; a04 = a24; a24 = t;
  }
  let m = a10 / a00;
  a11 -= m * a01;
  a12 -= m * a02;
  a13 -= m * a03;
  a14 -= m * a04;
  m = a20 / a00;
  a21 -= m * a01;
  a22 -= m * a02;
  a23 -= m * a03;
  a24 -= m * a04;
  // Column 1.
  if (Math.abs(a21) > Math.abs(a11)) {
    t = a11; a11 = a21; a21 = t;
    t = a12; a12 = a22; a22 = t;
    t = a13; a13 = a23; a23 = t;
    t = a14; a14 = a24; a24 = t;
  }
  m = a21 / a11;
  a22 -= m * a12;
  a23 -= m * a13;
  a24 -= m * a14;
  // Back substitution. A pivot that vanished: this covariate is an exact combination of the
  // others (possible only with ridge 0); it gets no slope.
  const vanished = 1e-9 * top;
  const b2 = Math.abs(a22) > vanished ? a23 / a22 : 0;
  const b1 = Math.abs(a11) > vanished ? (a13 - a12 * b2) / a11 : 0;
  const b0 = Math.abs(a00) > vanished ? (a03 - a01 * b1 - a02 * b2) / a00 : 0;
  beta[0] = b0;
  beta[1] = b1;
  beta[2] = b2;
  if (out2 === undefined) return;
  const c2 = Math.abs(a22) > vanished ? a24 / a22 : 0;
  const c1 = Math.abs(a11) > vanished ? (a14 - a12 * c2) / a11 : 0;
  out2[0] = Math.abs(a00) > vanished ? (a04 - a01 * c1 - a02 * c2) / a00 : 0;
  out2[1] = c1;
  out2[2] = c2;
}

// How far an activity vector u(t) is from the typical pattern r(t−1), both unit and non-negative.

/**
 * 1 − rᵀu for unit vectors, computed as ‖u − r‖²/2 (the same number) because the difference
 * keeps its digits when u ≈ r, where 1 − rᵀu would cancel them away.
 */
export function dissimilarity(r: Float64Array, u: Float64Array): number {
  const n = Math.max(r.length, u.length);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = (u[i] ?? 0) - (r[i] ?? 0);
    s += d * d;
  }
  return s / 2;
}

/**
 * The unit vector on the great circle from r to u whose dissimilarity from r is `z`
 * (z below 1 − rᵀu): u pulled back towards r. Both weights are non-negative, so a
 * non-negative u stays non-negative.
 */
export function capDissimilarity(r: Float64Array, u: Float64Array, z: number): Float64Array {
  const cosine = Math.min(1, Math.max(-1, 1 - dissimilarity(r, u)));
  const angle = Math.acos(cosine);
  const target = Math.acos(Math.min(1, Math.max(-1, 1 - Math.max(0, z))));
  const out = new Float64Array(Math.max(r.length, u.length));
  if (!(angle > target) || !(Math.sin(angle) > 0)) {
    out.set(u);
    return out;
  }
  const wr = Math.sin(angle - target) / Math.sin(angle);
  const wu = Math.sin(target) / Math.sin(angle);
  for (let i = 0; i < out.length; i++) out[i] = wr * (r[i] ?? 0) + wu * (u[i] ?? 0);
  return out;
}

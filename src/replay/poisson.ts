/**
 * A Poisson draw of the given mean from a uniform and a standard normal source: Knuth's
 * product of uniforms up to a mean of 30, the normal approximation (rounded, at least 0) above,
 * where the product would take ~mean draws and the approximation is within a few per cent.
 */
export function poisson(mean: number, random: () => number, gauss: () => number): number {
  if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * gauss()));
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k += 1;
    p *= random();
  }
  return k;
}

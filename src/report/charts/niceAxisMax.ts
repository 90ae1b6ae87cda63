/**
 * Round an axis end up to a round number about a twentieth of it coarser (360.3 → 370),
 * so the last tick label is not a fraction.
 */
export function niceAxisMax(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const step = Math.pow(10, Math.floor(Math.log10(x / 20)));
  return Math.ceil(x / step - 1e-9) * step;
}

/**
 * The z a new link to the outside counts on a route out while its own load fit warms up (its
 * first residuals are 0 by design, and its z NaN): the z of the hop before it on the route,
 * up to the share of that hop's excess the new link carried out,
 *
 *   z_exit = z_before · min(1, bytes_out / residual_before),
 *
 * and 0 when the hop before shows no excess (z or residual ≤ 0). Data read from a store and
 * sent out by a link nobody saw before moves the same bytes on the store's hop and on the new
 * link, so the route's matched filter sees the attack twice, as on a route it was trained on;
 * a benign new link carrying bytes while nothing before it rose scores nothing. Used by `path`
 * (PathCore's exit hops) and `graph-lasso` (ExitRoutes): README "What each detector watches",
 * path, "A new link to the outside".
 */
export function exitShare(zBefore: number, residualBefore: number, bytesOut: number): number {
  return zBefore > 0 && residualBefore > 0 ? zBefore * Math.min(1, bytesOut / residualBefore) : 0;
}

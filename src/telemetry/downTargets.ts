import type { IstioQuery } from './istioQueries.ts';

/**
 * How long a target that stopped answering still counts as one of the mesh's: its series
 * vanish at its first failed scrape (Prometheus marks them stale), so which targets serve the
 * queried metrics is read from the last samples within this window. A target down for longer
 * no longer makes gaps: its traffic is simply missing until it returns.
 */
export const DOWN_TARGET_WINDOW = '5m';

/**
 * The `up` series of the targets whose last scrape failed, among those that served any queried
 * metric within DOWN_TARGET_WINDOW (joined on `instance`, a label Prometheus puts on every
 * scraped series): other jobs of the user's Prometheus are none of the mesh's business. The
 * live source (instant queries) and the importer (range queries) ask this same expression.
 */
export function downTargetsExpr(queries: readonly IstioQuery[]): string {
  const served = queries.flatMap((q) => q.parts.map((part) => `group by (instance) (last_over_time(${part}[${DOWN_TARGET_WINDOW}]))`));
  return `up == 0 and on (instance) (${served.join(' or ')})`;
}

/**
 * Why a read cannot be trusted when targets are down: a down target's series vanish, so its
 * traffic would read as zero, and on its return everything it counted meanwhile would land in
 * one interval. Names the targets (a few), so the user can see which.
 */
export function downTargetsReason(down: readonly Readonly<Record<string, string>>[]): string | undefined {
  if (down.length === 0) return undefined;
  const names = [...new Set(down.map((labels) => labels['instance'] ?? JSON.stringify(labels)))].sort();
  return `last scrape failed for target(s) ${names.slice(0, 3).join(', ')}${names.length > 3 ? ` and ${names.length - 3} more` : ''}`;
}

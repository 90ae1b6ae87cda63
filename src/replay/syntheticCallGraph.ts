/**
 * Callees of each of `n` services (numbered 0…n−1, 0 the front door), shaped like a real
 * mesh's call graph rather than a lattice:
 *
 * 1. Every service j ≥ 1 is called by one earlier service, chosen uniformly: a random recursive
 *    tree, in which a service sits about ln n hops from the front door (~3 at 14 services, ~7
 *    at 1,000; the deepest ~12), as request paths in production meshes stay shallow (Luo et
 *    al., "Characterizing Microservice Dependency and Performance: Alibaba Trace Analysis",
 *    SoCC 2021).
 * 2. Each service then calls about `perService` services in all, the further ones picked among
 *    later services in proportion to a Zipf popularity (1/rank, ranks shuffled): a few shared
 *    services (a user store, a cart, a cache) end up called by hundreds, most by one or two,
 *    the heavy-tailed in-degree those traces show.
 *
 * Callees always come later, so the graph has no cycles. (Picking callees among the next few
 * services instead, as this generator first did, made a band: call chains ~n/10 deep, no
 * shared service, and a dependency matrix whose top eigenvalues nearly coincide — a graph no
 * mesh has, on which the eigenspace detector sees mostly noise and Lanczos needs 3–4× the steps.)
 */
export function syntheticCallGraph(n: number, perService: number, random: () => number, gauss: () => number): number[][] {
  const callees: number[][] = Array.from({ length: n }, () => []);
  for (let j = 1; j < n; j++) callees[Math.floor(random() * j)]!.push(j);
  // Popularity by a shuffled rank, as prefix sums over the service index for sampling.
  const rank = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [rank[i], rank[j]] = [rank[j]!, rank[i]!];
  }
  const cumulative = new Float64Array(n + 1);
  for (let j = 0; j < n; j++) cumulative[j + 1] = cumulative[j]! + 1 / (1 + rank[j]!);
  for (let i = 0; i < n - 1; i++) {
    const mine = callees[i]!;
    const count = Math.min(n - 1 - i, Math.max(1, Math.round(perService + gauss())));
    const chosen = new Set(mine);
    while (chosen.size < count) {
      // A later service j > i with probability ∝ its popularity: invert the prefix sums.
      const x = cumulative[i + 1]! + random() * (cumulative[n]! - cumulative[i + 1]!);
      let lo = i + 1;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid + 1]! < x) lo = mid + 1;
        else hi = mid;
      }
      if (!chosen.has(lo)) {
        chosen.add(lo);
        mine.push(lo);
      }
    }
  }
  return callees;
}

import type { Snapshot } from '/work/main/src/types.ts';
export function mulberry(seed: number) { return () => { seed |= 0; seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }; }
export const EDGES: [string, string, number][] = [
  ['external', 'front-end', 50000], ['front-end', 'catalogue', 20000], ['catalogue', 'catalogue-db', 8000], ['front-end', 'carts', 6000], ['carts', 'carts-db', 9000],
  ['front-end', 'orders', 3000], ['orders', 'orders-db', 4000], ['orders', 'user', 1500], ['orders', 'carts', 1200], ['orders', 'payment', 800], ['orders', 'shipping', 900],
  ['front-end', 'user', 5000], ['user', 'user-db', 7000], ['shipping', 'rabbitmq', 700], ['queue-master', 'rabbitmq', 600],
];
export function sockShop(intervals: number, seed: number, inject: (i: number) => Record<string, number> = () => ({})): Snapshot[] {
  const rnd = mulberry(seed); const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-300)) * Math.cos(2 * Math.PI * rnd());
  const out: Snapshot[] = [];
  for (let i = 0; i < intervals; i++) {
    const load = 10 * (1 + 0.3 * Math.sin(i / 15)) * (1 + 0.1 * gauss());
    const extra = inject(i);
    const edges = EDGES.map(([src, dst, b]) => ({ src, dst, values: { response_bytes: Math.max(0, load * b * (1 + 0.15 * gauss()) + (extra[`${src}>${dst}`] ?? 0)) } }));
    for (const [k, v] of Object.entries(extra)) { const [src, dst] = k.split('>') as [string, string]; if (!EDGES.some(([s, d]) => s === src && d === dst)) edges.push({ src, dst, values: { response_bytes: v } }); }
    out.push({ t: 1000 + 2 * (i + 1), dt: 2, gap: false, edges });
  }
  return out;
}

import { from } from 'rxjs';
import { vectorize } from './src/detectors/index.ts';
import type { Snapshot } from './src/types.ts';
const S = 1000, E = 5, T = 300;
let seed = 1; const rnd = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
const names = Array.from({ length: S }, (_, i) => `service-${i}`);
const snaps: Snapshot[] = [];
for (let t = 0; t < T; t++) {
  const edges = [];
  for (let i = 0; i < S; i++) for (let j = 0; j < E; j++) edges.push({ src: names[i], dst: names[(i * 7 + j + 1) % S], requests: Math.floor(rnd() * 20), request_bytes: Math.floor(rnd() * 1e4), response_bytes: Math.floor(rnd() * 1e5), tcp_sent_bytes: 0, tcp_received_bytes: 0, tcp_connections: 0 });
  const o = JSON.parse(JSON.stringify({ t: 1000 + 2 * t, dt: 2, edges }));
  snaps.push({ t: o.t, dt: o.dt, gap: false, edges: o.edges.map(({ src, dst, ...values }: any) => ({ src, dst, values })) });
}
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  from(snaps).pipe(vectorize()).subscribe(() => {});
  console.log('vectorize', ((performance.now() - t0) / T).toFixed(3), 'ms/frame');
}

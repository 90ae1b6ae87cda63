import { from, toArray, Subject } from 'rxjs';
import { controlChart, ewma, pairRatio, threeTier, newEdge, eigenspace, vectorize, runDetectors } from './src/detectors/index.ts';
import type { Snapshot } from './src/types.ts';
const S = 1000, E = 5, T = Number(process.argv[2] ?? 2000);
let seed = 1; const rnd = () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
const names = Array.from({ length: S }, (_, i) => `service-${i}`);
// Build NDJSON text
const lines: string[] = [];
for (let t = 0; t < T; t++) {
  const edges = [];
  for (let i = 0; i < S; i++) for (let j = 0; j < E; j++) edges.push({ src: names[i], dst: names[(i * 7 + j + 1) % S], requests: Math.floor(rnd() * 20), request_bytes: Math.floor(rnd() * 1e4), response_bytes: Math.floor(rnd() * 1e5), tcp_sent_bytes: 0, tcp_received_bytes: 0, tcp_connections: 0 });
  lines.push(JSON.stringify({ t: 1000 + 2 * t, dt: 2, edges }));
}
const text = lines.join('\n');
console.log('MB', (text.length / 1e6).toFixed(0));
let t0 = performance.now();
const snaps: Snapshot[] = text.split('\n').map((l) => { const o = JSON.parse(l); return { t: o.t, dt: o.dt, gap: !!o.gap, edges: o.edges.map(({ src, dst, ...values }: any) => ({ src, dst, values })) }; });
const parseMs = performance.now() - t0;
console.log('parse+convert ms', parseMs.toFixed(0));
const run = (label: string, ops: any[]) => {
  const t0 = performance.now();
  let n = 0;
  from(snaps).pipe(vectorize(), runDetectors(ops.map((operator, i) => ({ name: 'ewma' as const, operator })))).subscribe(() => n++);
  console.log(label, (performance.now() - t0).toFixed(0), 'ms', n);
};
const ts = 120;
run('vectorize only', []);
run('control-chart', [controlChart({}, { trainingSeconds: ts })]);
run('ewma', [ewma({}, { trainingSeconds: ts })]);
run('pair-ratio', [pairRatio({}, { trainingSeconds: ts })]);
run('three-tier', [threeTier({}, { trainingSeconds: ts })]);
run('new-edge', [newEdge({}, { trainingSeconds: ts })]);
run('mine together', [controlChart({}, { trainingSeconds: ts }), ewma({}, { trainingSeconds: ts }), pairRatio({}, { trainingSeconds: ts }), threeTier({}, { trainingSeconds: ts }), newEdge({}, { trainingSeconds: ts })]);
run('eigenspace', [eigenspace({}, { trainingSeconds: ts })]);

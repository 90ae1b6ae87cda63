import { from } from 'rxjs';
import { GrowingEdgeIndex } from '/work/main/src/detectors/edgeIndex.ts';
import { eigenspace } from '/work/main/src/detectors/eigenspace.ts';
import { pcaSubspace } from '/work/main/src/detectors/pcaSubspace.ts';
import type { Frame } from '/work/main/src/types.ts';
import { mulberry } from './synth.ts';
const N = 1000, E = 5000, T = Number(process.argv[3] ?? 2000);
const rnd = mulberry(9); const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-300)) * Math.cos(2 * Math.PI * rnd());
const index = new GrowingEdgeIndex(); const base: number[] = [];
// a layered call graph: service i calls ~5 services with larger index
for (let e = 0; e < E; e++) { const a = Math.floor(rnd() * (N - 1)); const b = a + 1 + Math.floor(rnd() * Math.min(50, N - 1 - a)); index.add(`s${a}`, `s${b}`); base.push(Math.exp(8 + 2 * gauss())); }
const M = index.size; const frames: Frame[] = [];
for (let t = 0; t < T; t++) {
  const load = 1 + 0.2 * Math.sin(t / 50); const v = new Float64Array(M);
  for (let e = 0; e < M; e++) v[e] = base[e]! * load * Math.exp(0.2 * gauss());
  frames.push({ t: 2 * (t + 1), dt: 2, gap: false, edges: index, values: new Map([['request_bytes', v]]), snapshot: { t: 2 * (t + 1), dt: 2, gap: false, edges: [] } });
}
const which = process.argv[2] ?? 'eigenspace';
const op = which === 'eigenspace' ? eigenspace({}, { trainingSeconds: 60 }) : pcaSubspace({}, { trainingSeconds: 60 });
const t0 = performance.now(); const c0 = process.cpuUsage(); let alarms = 0;
from(frames).pipe(op).subscribe((v) => { if (v.alarm) alarms++; });
console.log(which, { cpuMs: Math.round(process.cpuUsage(c0).user / 1000), ms: Math.round(performance.now() - t0), alarms, frames: T });

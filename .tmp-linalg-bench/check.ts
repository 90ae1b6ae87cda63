import { eigenspace } from '../src/detectors/eigenspace.ts';
import { handSnapshots, judgeSnapshots } from '../test/util.ts';
const LEAVES = 12;
const star = (w: number[]) => Object.fromEntries(w.map((x, i) => [`h>leaf${i}`, { response_bytes: x }]));
const A = Array.from({ length: LEAVES }, (_, i) => 10 + i), B = Array.from({ length: LEAVES }, (_, i) => 30 - 2 * i), C = Array.from({ length: LEAVES }, (_, i) => (i % 3 === 0 ? 40 : 5)), D = Array.from({ length: LEAVES }, (_, i) => (i === 7 ? 200 : 12));
const v = judgeSnapshots(handSnapshots([star(A), star(B), star(C), star(A), star(B), star(C), star(D)]), eigenspace({ transform: 'none', window: 2, discount: 0.25, criticalProbability: 0.02 }, { trainingSeconds: 6 }));
console.log(v[6]);

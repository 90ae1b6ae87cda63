import { qStatisticThreshold, residualMoments, boxThreshold } from '../src/detectors/linalg/index.ts';
import { seededRandom } from '../test/util.ts';
const lambdas = [1, ...new Array<number>(100).fill(0.1)];
const m = residualMoments(lambdas);
for (const alpha of [0.01, 0.001]) {
const th = qStatisticThreshold(m, alpha); const bx = boxThreshold(m, alpha);
const random = seededRandom(17); const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-300)) * Math.cos(2 * Math.PI * random());
const N = 400000; const qs = new Float64Array(N);
for (let s = 0; s < N; s++) { let q = 0; for (const l of lambdas) q += l * gauss() ** 2; qs[s] = q; }
qs.sort(); console.log({ alpha, th, bx, empiricalQuantile: qs[Math.floor((1 - alpha) * N)], rateJM: qs.filter(q => q > th).length / N, rateBox: qs.filter(q => q > bx).length / N });
}

// Measurement, not a test: graph-lasso (beside path and cusum) on small exfiltrations injected by
// the replay's own injector into seeded Sock Shop-shaped benign runs (test/detectors/
// injectedAttack.ts), as the README's graph-lasso section quotes.
// Run: node --import tsx test/detectors/graph-lasso/measureGraphLasso.ts (DETECTORS=a,b and SIZES=…
// choose the columns; GRAPH_LASSO_OPTIONS='{"winsorizeAt": 6}' sets graph-lasso's options).

import { createDetectors } from '../../../src/detectors/index.ts';
import { detectorsSchema } from '../../../src/config/schema.ts';
import { ATTACK_WINDOWS, injectedAttack } from '../injectedAttack.ts';

const DETECTORS = (process.env.DETECTORS ?? 'graph-lasso,path,cusum').split(',');
const SEEDS = [21, 22, 23, 24, 25];
const SIZES = (process.env.SIZES ?? '3000,6000,12000,24000').split(',').map(Number);
console.log('bytes/2s  detector       interval TPR  windows caught  benign FPR');
for (const bytes of SIZES) {
  for (const name of DETECTORS) {
    let tp = 0;
    let positives = 0;
    let fp = 0;
    let benign = 0;
    let caught = 0;
    for (const seed of SEEDS) {
      const [detector] = createDetectors(detectorsSchema.parse({ enabled: [name], options: { 'graph-lasso': JSON.parse(process.env.GRAPH_LASSO_OPTIONS ?? '{}') } }));
      const { verdicts, attackVerdicts } = injectedAttack(detector!.operator, bytes, seed);
      const attack = new Set(attackVerdicts);
      tp += attackVerdicts.filter((v) => v.alarm).length;
      positives += attackVerdicts.length;
      for (const v of verdicts) {
        if (v.training || attack.has(v)) continue;
        benign++;
        if (v.alarm) fp++;
      }
      for (let w = 0; w < ATTACK_WINDOWS.length; w++) if (attackVerdicts.slice(5 * w, 5 * w + 5).some((v) => v.alarm)) caught++;
    }
    console.log(`${String(bytes).padStart(8)}  ${name.padEnd(13)}  ${(tp / positives).toFixed(2).padStart(12)}  ${`${caught}/${SEEDS.length * ATTACK_WINDOWS.length}`.padStart(14)}  ${(fp / benign).toFixed(3).padStart(10)}`);
  }
}

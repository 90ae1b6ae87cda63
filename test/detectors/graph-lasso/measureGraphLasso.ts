// Measurement, not a test: graph-lasso (beside path and cusum) on small exfiltrations injected by
// the replay's own injector into seeded Sock Shop-shaped benign runs (test/detectors/
// injectedAttack.ts), as the README's graph-lasso section quotes.
// Run: node --import tsx test/detectors/graph-lasso/measureGraphLasso.ts (DETECTORS=a,b and SIZES=…
// choose the columns; GRAPH_LASSO_OPTIONS='{"winsorizeAt": 6}' sets graph-lasso's options).

import { createDetectors } from '../../../src/detectors/index.ts';
import { detectorsSchema } from '../../../src/config/schema.ts';
import { measureLine } from '../injectedAttack.ts';

const DETECTORS = (process.env.DETECTORS ?? 'graph-lasso,path,cusum').split(',');
const SEEDS = [21, 22, 23, 24, 25];
const SIZES = (process.env.SIZES ?? '3000,6000,12000,24000').split(',').map(Number);
console.log('bytes/2s  detector       interval TPR  windows caught  benign FPR');
const options = { 'graph-lasso': JSON.parse(process.env.GRAPH_LASSO_OPTIONS ?? '{}') as Record<string, unknown> };
for (const bytes of SIZES) {
  for (const name of DETECTORS) {
    console.log(measureLine(name, () => createDetectors(detectorsSchema.parse({ enabled: [name], options }))[0]!.operator, bytes, SEEDS));
  }
}

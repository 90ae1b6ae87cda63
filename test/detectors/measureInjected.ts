// Measurement, not a test: detection of small exfiltrations injected (by the replay's own
// injector) into seeded Sock Shop-shaped benign runs, per detector and size, as the README's
// cusum and path sections quote. Run: node --import tsx test/detectors/measureInjected.ts

import { createDetectors } from '../../src/detectors/index.ts';
import { detectorsSchema } from '../../src/config/schema.ts';
import { measureLine } from './injectedAttack.ts';

const DETECTORS = ['ewma', 'control-chart', 'cusum', 'path'] as const;
const SEEDS = [21, 22, 23, 24, 25];
console.log('bytes/2s  detector       interval TPR  windows caught  benign FPR');
for (const bytes of [3000, 6000, 12000, 24000]) {
  for (const name of DETECTORS) {
    console.log(measureLine(name, () => createDetectors(detectorsSchema.parse({ enabled: [name] }))[0]!.operator, bytes, SEEDS));
  }
}

// Prints the calibration suite's realised false-alarm rate per detector and shape (the table in
// README "One knob" and the closing notes), from the same runs calibration.test.ts checks:
//   node --import tsx test/detectors/calibrationTable.ts
import { DETECTOR_NAMES } from '../../src/detectors/index.ts';
import { syntheticSuite, type Tally } from './calibrationSuite.ts';

const { byShape, total } = syntheticSuite();
const rate = (t: Tally | undefined) => (t === undefined ? '-' : (t.alarms / t.scored).toFixed(4));
console.log(`| shape | ${DETECTOR_NAMES.join(' | ')} |`);
console.log(`|---|${DETECTOR_NAMES.map(() => '---').join('|')}|`);
for (const [shape, tallies] of byShape) console.log(`| ${shape} | ${DETECTOR_NAMES.map((n) => rate(tallies.get(n))).join(' | ')} |`);
console.log(`| all | ${DETECTOR_NAMES.map((n) => rate(total.get(n))).join(' | ')} |`);

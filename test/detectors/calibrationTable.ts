// Prints the calibration suite's realised false-alarm rate per detector and shape (the table in
// README "One knob" and the closing notes), from the same runs calibration.test.ts checks:
//   node --import tsx test/detectors/calibrationTable.ts [base seed]
// With a base seed other than the suite's 101 (e.g. 501) it prints the same shapes and sizes on
// runs the suite never saw: what the rates are away from the seeds the defaults were checked on.
import { DETECTOR_NAMES } from '../../src/detectors/index.ts';
import { syntheticSuite, type Tally } from './calibrationSuite.ts';

const base = process.argv[2] === undefined ? undefined : Number(process.argv[2]);
if (base !== undefined && !Number.isInteger(base)) throw new Error(`base seed: an integer, got ${process.argv[2]}`);
const { byShape, total } = syntheticSuite(base);
const rate = (t: Tally | undefined) => (t === undefined ? '-' : (t.alarms / t.scored).toFixed(4));
console.log(`| shape | ${DETECTOR_NAMES.join(' | ')} |`);
console.log(`|---|${DETECTOR_NAMES.map(() => '---').join('|')}|`);
for (const [shape, tallies] of byShape) console.log(`| ${shape} | ${DETECTOR_NAMES.map((n) => rate(tallies.get(n))).join(' | ')} |`);
console.log(`| all | ${DETECTOR_NAMES.map((n) => rate(total.get(n))).join(' | ')} |`);

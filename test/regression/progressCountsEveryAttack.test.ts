// Bug (tester G, smaller note): the experiment's progress line counted exfiltrations only
// (`exfiltrations 2/2`): the scheduled scans and lateral movements did not appear in it until
// the final summary. It now counts each kind scheduled, done / planned.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressLine } from '../../src/experiment/ProgressLine.ts';
import { captureLog } from '../util.ts';

it('the progress line counts scans and lateral movements beside the exfiltrations', () => {
  const log = captureLog();
  try {
    // Not a terminal under the test runner: a line every tenth of the run, and one at the end.
    const progress = new ProgressLine(true, 100, 2, { scans: 1, lateralMovements: 2 });
    progress.start(1000);
    progress.exfiltrationDone({ kind: 'exfiltration', start: 1010, end: 1011, bytes: 5, method: 'api' });
    progress.attackDone({ kind: 'scan', start: 1020, end: 1021, workload: 'user', attempts: 3, answered: 3 });
    progress.attackDone({ kind: 'lateral', start: 1030, end: 1031, path: ['user', 'orders-db'], attempts: 5, answered: 5 });
    progress.interval({ t: 1040, dt: 2, gap: false, edges: [] }, 20, 0);
    progress.stop(false);
  } finally {
    log.restore();
  }
  const lines = log.messages.map((m) => m.message);
  assert.equal(lines.at(-2), '[ 40/100 s] intervals 20, exfiltrations 1/2, scans 1/1, lateral movements 1/2, alerts 0');
  assert.equal(lines.at(-1), 'done: [ 40/100 s] intervals 20, exfiltrations 1/2, scans 1/1, lateral movements 1/2, alerts 0');
});

// Bug (tester E, defect 5): a scan at +2.1 s in a run training for 6 s was accepted without a
// word. The detectors trained on it (new-edge learnt user → orders-db and the scan's other
// edges as normal), so a later lateral movement user → orders-db raised no alert, and its
// intervals were not scored. Replay warns about an --inject window in training; the experiment
// now warns the same way about any attack scheduled to start in the training stretch, with a
// start just after the first interval boundary past it.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { experimentCommand } from '../../src/cli/experimentCommand.ts';
import { UserError } from '../../src/errors.ts';
import { captureLog, makeTempDir } from '../util.ts';

const tmp = makeTempDir('munnin-attack-in-training-');
after(() => tmp.remove());

it('warns about each attack starting inside the training stretch, and only those', async () => {
  // A run of that name already exists: the command stops right after its warnings, before anything starts.
  mkdirSync(join(tmp.dir, 'out', 'edge1'), { recursive: true });
  writeFileSync(join(tmp.dir, 'out', 'edge1', 'run.json'), '{}');
  const file = join(tmp.dir, 'edge1.ts');
  writeFileSync(
    file,
    `export default { name: 'edge1', outputDir: ${JSON.stringify(join(tmp.dir, 'out'))}, durationSeconds: 20, detectors: { trainingSeconds: 6 },
      exfiltration: [{ atSeconds: 5.9, bytes: 1000, method: 'api' }, { atSeconds: 6.1, bytes: 1000, method: 'api' }],
      scan: [{ atSeconds: 2.1 }], lateral: [{ atSeconds: 14.1, to: 'orders-db', calls: 2 }] };\n`,
  );
  const log = captureLog();
  try {
    await assert.rejects(experimentCommand({ parameters: file } as Parameters<typeof experimentCommand>[0]), (e: unknown) => e instanceof UserError && /a run already exists/.test(e.message));
  } finally {
    log.restore();
  }
  const inTraining = log.messages.filter((m) => m.level === 'warn' && /training stretch/.test(m.message)).map((m) => m.message);
  // By hand: 5.9 and 2.1 are before 6 s, 6.1 and 14.1 are not; training ends on the 2-s boundary 6, so 6.1 is advised.
  assert.equal(inTraining.length, 2, inTraining.join('\n'));
  assert.match(inTraining[0]!, /^exfiltration\[0\] \(api\) starts at 5\.9 s, inside the training stretch \(detectors\.trainingSeconds: 6\): the detectors train on its traffic .* atSeconds: 6\.1$/);
  assert.match(inTraining[1]!, /^scan\[0\] starts at 2\.1 s, inside the training stretch .* atSeconds: 6\.1$/);
});

// Bug (tester E, defect 4): scan and lateral-movement mistakes (an unknown service "nope", the
// scanning workload itself, a lateral target the topology already calls) were checked only
// once the embedded mesh was up, in a second round after the schema's mistakes were fixed, in
// an error that named no file and suggested nothing. The embedded mesh's workloads and
// topology are fixed: they are now checked with the other parameter mistakes, before anything
// starts, all in one error naming the file, with "did you mean" for a misspelt workload. A
// cluster's attacks are still checked once it is up, and that error now names the file too.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkAttacks } from '../../src/attacks/index.ts';
import { experimentCommand } from '../../src/cli/experimentCommand.ts';
import { parameterProblems } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';
import { embeddedAttackProblems } from '../../src/mesh/index.ts';
import { makeTempDir } from '../util.ts';

const tmp = makeTempDir('munnin-attack-mistakes-');
after(() => tmp.remove());

describe('scan and lateral mistakes on the embedded target', () => {
  it('are listed with the schema mistakes, before anything starts, naming the file', async () => {
    const file = join(tmp.dir, 'bad.ts');
    writeFileSync(
      file,
      `export default { outputDir: ${JSON.stringify(join(tmp.dir, 'out'))}, durationSeconds: 20, detectors: { trainingSeconds: 6 }, exfiltration: [],
        scan: [{ atSeconds: 10.1, services: ['nope', 'user', 'user-bd'] }, { atSeconds: 12.1, services: [] }],
        lateral: [{ atSeconds: 10.1, to: 'user-db' }, { atSeconds: 10.1, to: 'orders-db', calls: 0 }] };\n`,
    );
    await assert.rejects(experimentCommand({ parameters: file } as Parameters<typeof experimentCommand>[0]), (e: unknown) => {
      assert.ok(e instanceof UserError, String(e));
      const [head, ...lines] = e.message.split('\n').map((l) => l.trim());
      assert.match(head!, /bad\.ts: invalid parameters:$/);
      const workloads = 'workloads: front-end, catalogue, catalogue-db, carts, carts-db, orders, orders-db, payment, shipping, queue-master, rabbitmq, user, user-db, session-db';
      assert.deepEqual(lines.sort(), [
        'lateral[0].to: user calls user-db in the application\'s topology, so calling it is no lateral movement (got "user-db")',
        'lateral[1].calls: Too small: expected number to be >0 (got 0)',
        `scan[0].services[0]: "nope" is not a workload of the embedded target (${workloads})`,
        'scan[0].services[1]: the scanning workload itself (got "user")',
        `scan[0].services[2]: "user-bd" is not a workload of the embedded target (did you mean "user-db"? ${workloads})`,
        'scan[1].services: Too small: expected array to have >=1 items (got [])',
      ]);
      return true;
    });
  });

  it('are left to the after-start check on a cluster, whose error names the file', () => {
    const input = { target: 'kubernetes', exfiltration: [], lateral: [{ atSeconds: 10.1, to: 'user-db' }] };
    assert.deepEqual(parameterProblems(input, { attackProblems: embeddedAttackProblems }).problems, []);
    const cluster = { kind: 'kubernetes' as const, services: ['user', 'user-db'], topology: [{ src: 'user', dst: 'user-db' }], scan: true, lateral: true };
    assert.throws(
      () => checkAttacks({ scan: [], lateral: [{ atSeconds: 10.1, workload: 'user', to: 'user-db', calls: 5, secondsBetweenCalls: 0.2 }] }, cluster, 'p/k8s.ts'),
      (e: unknown) => e instanceof UserError && e.message.startsWith('p/k8s.ts: invalid attacks for this target:\n  lateral[0].to: user calls user-db'),
    );
  });
});

// Bug (tester E, defect 8): `scan: [{ atSeconds: 4, workload: 'user-db', services: ['carts',
// 'carts'], otherPorts: [22, 22] }]` was accepted silently and scanned carts twice, on port 22
// twice each time (6 attempts, 2 answered), with "services": ["carts", "carts"] recorded. A
// scan's services and other ports are now kept once each, in first-seen order, and the
// experiment warns about every repeated value.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { experimentCommand } from '../../src/cli/experimentCommand.ts';
import { resolveParameters } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';
import { captureLog, makeTempDir } from '../util.ts';

const tmp = makeTempDir('munnin-scan-duplicates-');
after(() => tmp.remove());

const SCAN = { atSeconds: 4.1, workload: 'user-db', services: ['carts', 'orders', 'carts', 'carts'], otherPorts: [22, 443, 22] };

it("keeps a scan's repeated services and ports once, in order", () => {
  const [scan] = resolveParameters({ durationSeconds: 20, detectors: { trainingSeconds: 2 }, exfiltration: [], scan: [SCAN] }).scan;
  assert.deepEqual([scan!.services, scan!.otherPorts], [['carts', 'orders'], [22, 443]]);
});

it('warns about each repeated value before the run starts', async () => {
  // A run of that name already exists: the command stops right after its warnings, before anything starts.
  mkdirSync(join(tmp.dir, 'out', 'w'), { recursive: true });
  writeFileSync(join(tmp.dir, 'out', 'w', 'run.json'), '{}');
  const file = join(tmp.dir, 'w.ts');
  writeFileSync(file, `export default { name: 'w', outputDir: ${JSON.stringify(join(tmp.dir, 'out'))}, durationSeconds: 20, detectors: { trainingSeconds: 2 }, exfiltration: [], scan: [${JSON.stringify(SCAN)}] };\n`);
  const log = captureLog();
  try {
    await assert.rejects(experimentCommand({ parameters: file } as Parameters<typeof experimentCommand>[0]), (e: unknown) => e instanceof UserError && /a run already exists/.test(e.message));
  } finally {
    log.restore();
  }
  const warnings = log.messages.filter((m) => m.level === 'warn' && /listed/.test(m.message)).map((m) => m.message);
  assert.deepEqual(warnings, ['scan[0].services: "carts" is listed 3 times; scanned once', 'scan[0].otherPorts: 22 is listed 2 times; tried once on each service']);
});

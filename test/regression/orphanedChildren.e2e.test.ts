import { it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { reapStaleServers } from '../../src/telemetry/index.ts';
import { alive, captureLog, makeTempDir, requireBinaryOrSkip } from '../util.ts';
import { waitFor } from '../telemetry/waitFor.ts';

// Bug: a SIGKILL (or an OOM kill) of the experiment left its managed Prometheus running, bound
// to its port, and its temporary folder on disk: the exit hook that stops it never runs then.
// Now the kernel kills the child with its parent (setpriv --pdeathsig), and the next start
// removes folders (and anything still running from them) whose munnin is gone.
const OWNER = fileURLToPath(new URL('../fixtures/telemetry/managedPrometheusOwner.ts', import.meta.url));

it('a managed Prometheus dies with a munnin killed by SIGKILL, and the next start removes its folder', { timeout: 90_000 }, async (t) => {
  if (!requireBinaryOrSkip(t, 'prometheus', 'prometheus')) return;
  const owner = spawn(process.execPath, ['--import', 'tsx', OWNER], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const first = await createInterface({ input: owner.stdout! })[Symbol.asyncIterator]().next();
    assert.equal(first.done, false, 'the owner started Prometheus');
    const { pid, dir, url } = JSON.parse(first.value as string) as { pid: number; dir: string; url: string };
    assert.ok(alive(pid) && existsSync(dir));
    const ownerGone = new Promise((resolve) => owner.once('exit', resolve));
    owner.kill('SIGKILL');
    await ownerGone;
    await waitFor(() => !alive(pid), `Prometheus (pid ${pid}) to die with its owner`, 10_000);
    await assert.rejects(fetch(`${url}/-/ready`), 'its port is free');
    assert.ok(existsSync(dir), 'only the folder is left (nothing ran to remove it)');
    const log = captureLog();
    try {
      assert.ok(reapStaleServers().includes(dir));
    } finally {
      log.restore();
    }
    assert.equal(existsSync(dir), false);
  } finally {
    if (owner.exitCode === null && owner.signalCode === null) owner.kill('SIGKILL');
  }
});

it('the next start kills a server a dead munnin left running (no parent-death signal) and removes its folder; a live owner\'s is kept', { timeout: 30_000 }, async () => {
  const tmp = makeTempDir('munnin-reap-');
  const dead = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => dead.once('exit', resolve));
  const stale = join(tmp.dir, 'munnin-prometheus-stale');
  const live = join(tmp.dir, 'munnin-prometheus-live');
  const foreign = join(tmp.dir, 'munnin-prometheus-foreign');
  for (const d of [stale, live, foreign]) mkdirSync(d);
  writeFileSync(join(stale, 'owner.json'), JSON.stringify({ pid: dead.pid }));
  writeFileSync(join(live, 'owner.json'), JSON.stringify({ pid: process.pid }));
  // An orphan as a platform without setpriv leaves it: its command line names the folder.
  const orphan = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', '--', `--config.file=${stale}/scrape.yml`], { stdio: 'ignore' });
  const log = captureLog();
  try {
    await waitFor(() => alive(orphan.pid!), 'the orphan to start', 5000);
    assert.deepEqual(reapStaleServers(['prometheus'], tmp.dir), [stale]);
    await waitFor(() => orphan.exitCode !== null || orphan.signalCode !== null, 'the orphan to be killed', 5000);
    assert.equal(orphan.signalCode, 'SIGKILL');
    assert.equal(existsSync(stale), false);
    assert.ok(existsSync(live), 'a running munnin\'s folder is kept');
    assert.ok(existsSync(foreign), 'a folder without an owner file is not ours to judge');
    assert.match(log.text('warn'), new RegExp(`killed a managed server left running by a munnin that died \\(pid ${orphan.pid}`));
  } finally {
    log.restore();
    orphan.kill('SIGKILL');
    tmp.remove();
  }
});

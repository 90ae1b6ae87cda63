// Bug: a whole-process bench round of a command that re-ran itself in a child (a stale build is
// rebuilt, then the command re-executed: scripts/freshBuild.mjs) was measured as the waiting
// parent: 0.08 s of CPU and 49 MB for a 27-s replay. The preload now keeps the figures of the
// first process to exit, the child that did the work.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runProcess } from '../../src/cli/benchProcess.ts';
import { makeTempDir } from '../util.ts';

test('bench: a command that re-runs itself in a child is measured by the child that did the work', async () => {
  const tmp = makeTempDir('munnin-bench-reexec-');
  try {
    const script = join(tmp.dir, 'reexec.mjs');
    // The parent re-runs this script as a child (with the same preload, as freshBuild does) and
    // waits; the child holds 200 MB and burns 0.3 s of CPU.
    writeFileSync(
      script,
      `import { spawnSync } from 'node:child_process';
if (process.env.CHILD !== '1') {
  spawnSync(process.execPath, [...process.execArgv, process.argv[1]], { stdio: 'inherit', env: { ...process.env, CHILD: '1' } });
} else {
  const held = new Uint8Array(200 * 2 ** 20).fill(1);
  // 0.3 s of its own CPU, not of the clock: on a loaded machine a clock-timed loop gets less.
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
  const until = cpu() + 0.3;
  let x = 0;
  while (cpu() < until) for (let i = 0; i < 1000; i++) x += Math.sqrt(i + held[i]);
  if (x < 0) console.log(x);
}
`,
    );
    const run = await runProcess([script], tmp.dir);
    assert.ok(run.peakRssMegabytes > 200, `peak RSS ${run.peakRssMegabytes} MB, the waiting parent's`);
    assert.ok(run.cpuSeconds >= 0.25, `CPU ${run.cpuSeconds} s, the waiting parent's`);
  } finally {
    tmp.remove();
  }
});

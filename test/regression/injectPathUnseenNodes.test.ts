import { it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { resolveParameters } from '../../src/config/index.ts';
import { runReplay } from '../../src/replay/index.ts';
import { captureLog, makeTempDir, writeRunFiles } from '../util.ts';

// Bug: --inject along a path through a node the run does not have was not warned about. On
// Munnin's 2018 run (outside world 172.17.0.1, no `external`), the default path ending at
// `external` made a never-seen edge external → front-end and new-edge was credited with the
// "detection"; a typo (`usr`) did likewise. Now a warning names each path node the run has not
// shown by the first injected interval, with the run's nodes that look like an outside world
// when the missing one is where the data leaves. Only a warning: a new route may be meant.
const BASE = 1_800_000_000;

async function warningsFor(tmpDir: string, name: string, lateNode: string | undefined, injectPath: string[] | undefined, extraEdges: { src: string; dst: string }[] = []): Promise<string[]> {
  let snapshots = '';
  for (let i = 1; i <= 20; i++) {
    const edges = [
      { src: 'user', dst: 'user-db', tcp_sent_bytes: 500 },
      { src: 'front-end', dst: 'user', response_bytes: 800 },
      { src: '172.17.0.1', dst: 'front-end', response_bytes: 900 },
      ...extraEdges.map((e) => ({ ...e, response_bytes: 10 })),
    ];
    // A node that appears only after the first injected interval (10-11 s) counts as unseen.
    if (lateNode !== undefined && i >= 12) edges.push({ src: lateNode, dst: 'front-end', response_bytes: 5 });
    snapshots += `${JSON.stringify({ t: BASE + i, dt: 1, edges })}\n`;
  }
  const dir = writeRunFiles(join(tmpDir, name), { manifest: { format: 'munnin-run/1', intervalSeconds: 1, metrics: ['response_bytes', 'tcp_sent_bytes'] }, snapshots, events: '' });
  const log = captureLog();
  try {
    const detectors = resolveParameters({ detectors: { enabled: ['new-edge'], trainingSeconds: 5 } }).detectors;
    await runReplay(dir, { outDir: join(tmpDir, `${name}-out`), detectors, injectPath, inject: [{ bytesPerInterval: 1000, at: [{ startSeconds: 10, endSeconds: 12 }] }] });
    return log.messages.filter((m) => m.level === 'warn' && /^--inject-path/.test(m.message)).map((m) => m.message);
  } finally {
    log.restore();
  }
}

it('--inject-path through nodes the run has not shown is warned about, naming them', async () => {
  const tmp = makeTempDir('munnin-inject-path-');
  try {
    assert.deepEqual(await warningsFor(tmp.dir, 'default', 'external', undefined), [
      '--inject-path user-db,user,front-end,external (the default): node "external" not seen in the run by the first injected interval (10 s): ' +
        'the injection adds edges the run never had, so a new-edge alarm tells the route, not the exfiltration; ' +
        "this run's outside world looks like 172.17.0.1 (e.g. --inject-path user-db,user,front-end,172.17.0.1)",
    ]);
    assert.deepEqual(await warningsFor(tmp.dir, 'typo', undefined, ['user-db', 'usr', 'front-end', '172.17.0.1']), [
      '--inject-path user-db,usr,front-end,172.17.0.1: node "usr" not seen in the run by the first injected interval (10 s): ' +
        'the injection adds edges the run never had, so a new-edge alarm tells the route, not the exfiltration; see --inject-path',
    ]);
    assert.deepEqual(await warningsFor(tmp.dir, 'own', undefined, ['user-db', 'user', 'front-end', '172.17.0.1']), [], 'the run\'s own route: no warning');
  } finally {
    tmp.remove();
  }
});

// Bug: the watch looked only at the path's nodes, while new-edge alarms on edges: a path of
// nodes the run has, in an order it never routes (user-db → front-end, skipping user), got no
// warning, and new-edge scored 2/2 on the new route front-end → user-db. Now each hop edge
// (caller → callee) the run has not shown is named too.
it('--inject-path hops along edges the run has not shown are warned about, naming the edges', async () => {
  const tmp = makeTempDir('munnin-inject-path-edges-');
  try {
    assert.deepEqual(await warningsFor(tmp.dir, 'skip', undefined, ['user-db', 'front-end', '172.17.0.1']), [
      '--inject-path user-db,front-end,172.17.0.1: edge front-end → user-db not seen in the run by the first injected interval (10 s): ' +
        'the injection adds edges the run never had, so a new-edge alarm tells the route, not the exfiltration; see --inject-path',
    ]);
    // Hop user-db → front-end is edge front-end → user-db, front-end → user is user → front-end
    // (the run has it the other way round), user → 172.17.0.1 is 172.17.0.1 → user: all new.
    assert.deepEqual(await warningsFor(tmp.dir, 'two', undefined, ['user-db', 'front-end', 'user', '172.17.0.1']), [
      '--inject-path user-db,front-end,user,172.17.0.1: edges front-end → user-db, user → front-end, 172.17.0.1 → user not seen in the run by the first injected interval (10 s): ' +
        'the injection adds edges the run never had, so a new-edge alarm tells the route, not the exfiltration; see --inject-path',
    ]);
    assert.deepEqual(await warningsFor(tmp.dir, 'both', undefined, ['user-db', 'front-end', 'external']), [
      '--inject-path user-db,front-end,external: node "external" and edge front-end → user-db not seen in the run by the first injected interval (10 s): ' +
        'the injection adds edges the run never had, so a new-edge alarm tells the route, not the exfiltration; ' +
        "this run's outside world looks like 172.17.0.1 (e.g. --inject-path user-db,front-end,172.17.0.1)",
    ]);
  } finally {
    tmp.remove();
  }
});

// Bug: the outside-world candidates were picked by a pattern of their own (looksOutside), not
// the one rule the detectors use (OutsideNodes): it missed Istio's `unknown` (a caller without
// a sidecar) and took a workload named `egress-gateway` for the outside world.
it('the outside-world candidates named are the nodes the detectors take for the outside', async () => {
  const tmp = makeTempDir('munnin-inject-path-outside-');
  try {
    const extra = [
      { src: 'unknown', dst: 'front-end' },
      { src: 'front-end', dst: 'PassthroughCluster' },
      { src: 'egress-gateway', dst: 'front-end' },
    ];
    assert.deepEqual(await warningsFor(tmp.dir, 'outside', undefined, undefined, extra), [
      '--inject-path user-db,user,front-end,external (the default): node "external" not seen in the run by the first injected interval (10 s): ' +
        'the injection adds edges the run never had, so a new-edge alarm tells the route, not the exfiltration; ' +
        "this run's outside world looks like 172.17.0.1, PassthroughCluster, unknown (e.g. --inject-path user-db,user,front-end,172.17.0.1)",
    ]);
  } finally {
    tmp.remove();
  }
});

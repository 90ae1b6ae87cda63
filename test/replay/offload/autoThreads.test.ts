import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AUTO_MIN_INTERVALS, AUTO_MIN_NODES, autoThreads } from '../../../src/replay/offload/index.ts';
import { REPLAY_HELP } from '../../../src/cli/replayFlags.ts';
import { makeTempDir } from '../../util.ts';

// `--threads auto`: two threads when a second core is there, eigenspace is enabled, and the
// run's first 64 lines name AUTO_MIN_NODES nodes or more in a run of AUTO_MIN_INTERVALS lines
// or more. Runs written by hand, so the node and line counts are known exactly.

const tmp = makeTempDir('munnin-auto-threads-');
after(() => tmp.remove());
const ALL = ['control-chart', 'eigenspace', 'midas'];

/** A run whose every line names `nodes` nodes (n0 → n1, n2 → n3, …), `lines` lines long, after `before` lines. */
function run(name: string, nodes: number, lines: number, before: readonly string[] = []): string {
  const dir = join(tmp.dir, name);
  const edges = Array.from({ length: Math.floor(nodes / 2) }, (_, k) => `{"src":"n${2 * k}","dst":"n${2 * k + 1}","requests":1}`);
  if (nodes % 2 === 1) edges.push(`{"src":"n0","dst":"n${nodes - 1}","requests":1}`);
  const line = (i: number) => `{"t":${1000 + 60 * i},"dt":60,"edges":[${edges.join(',')}]}\n`;
  // Every line the same length, so the estimate of the run's length from its size is exact.
  const text = before.join('') + Array.from({ length: lines }, (_, i) => line(i)).join('');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'snapshots.ndjson'), text);
  return dir;
}

describe('--threads auto', () => {
  it(`takes two threads at ${AUTO_MIN_NODES} nodes and ${AUTO_MIN_INTERVALS} intervals, one below either, and says why`, () => {
    const both = autoThreads(run('both', AUTO_MIN_NODES, AUTO_MIN_INTERVALS), ALL, 2);
    assert.equal(both.threads, 2);
    assert.equal(both.reason, `${AUTO_MIN_NODES} nodes in the first 64 intervals, ${AUTO_MIN_NODES / 2} edges an interval, ~${AUTO_MIN_INTERVALS} intervals in all`);
    assert.deepEqual(autoThreads(run('fewer-nodes', AUTO_MIN_NODES - 1, AUTO_MIN_INTERVALS), ALL, 2), { threads: 1 });
    assert.deepEqual(autoThreads(run('shorter', AUTO_MIN_NODES, AUTO_MIN_INTERVALS - 1), ALL, 2), { threads: 1 });
  });

  it('keeps one thread where a line has more edges than the graph has nodes (a large mesh: reading twice costs what eigenspace saves)', () => {
    // 500 nodes; 501 edges a line (a ring, and one chord), then 499 (the ring without two).
    const ring = Array.from({ length: 500 }, (_, k) => `{"src":"n${k}","dst":"n${(k + 1) % 500}","requests":1}`);
    const line = (edges: readonly string[], i: number) => `{"t":${1000 + 60 * i},"dt":60,"edges":[${edges.join(',')}]}\n`;
    const write = (name: string, edges: readonly string[]) => {
      const dir = join(tmp.dir, name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'snapshots.ndjson'), Array.from({ length: AUTO_MIN_INTERVALS }, (_, i) => line(edges, i)).join(''));
      return dir;
    };
    assert.deepEqual(autoThreads(write('dense', [...ring, '{"src":"n0","dst":"n2","requests":1}']), ALL, 2), { threads: 1 });
    assert.equal(autoThreads(write('sparse', ring.slice(0, 499)), ALL, 2).threads, 2);
  });

  it('keeps one thread on one core, without eigenspace, with eigenspace alone, and when there is no snapshots.ndjson to look at', () => {
    const dir = run('large', 2 * AUTO_MIN_NODES, 2 * AUTO_MIN_INTERVALS);
    assert.equal(autoThreads(dir, ALL, 2).threads, 2);
    assert.deepEqual(autoThreads(dir, ALL, 1), { threads: 1 });
    assert.deepEqual(autoThreads(dir, ['control-chart', 'midas'], 2), { threads: 1 });
    // Nothing left for the main thread but reading the run a second time.
    assert.deepEqual(autoThreads(dir, ['eigenspace'], 2), { threads: 1 });
    assert.deepEqual(autoThreads(join(tmp.dir, 'missing'), ALL, 2), { threads: 1 });
  });

  it('counts the nodes of the lines it can read, skipping a line that is not a snapshot', () => {
    const dir = run('bad-first', AUTO_MIN_NODES, AUTO_MIN_INTERVALS, ['not json\n', '{"t":1,"dt":60,"edges":"none"}\n']);
    const choice = autoThreads(dir, ALL, 2);
    assert.equal(choice.threads, 2);
    assert.match(choice.reason!, new RegExp(`^${AUTO_MIN_NODES} nodes in the first 64 intervals`));
  });

  it('reads at most the first megabyte, leaving out the line it cut', () => {
    // Lines of exactly 20,000 bytes (300 edges of 600 nodes, padded with two-byte characters, so
    // the text read is shorter than the bytes read): 52 whole lines fit in a megabyte
    // (1,048,576 / 20,000 = 52.4), the 53rd is cut.
    const edges = Array.from({ length: 300 }, (_, k) => `{"src":"n${2 * k}","dst":"n${2 * k + 1}","requests":1}`).join(',');
    const line = (i: number) => {
      const head = `{"t":${100_000 + 60 * i},"dt":60,"edges":[${edges}],"note":"`;
      const room = 20_000 - head.length - 3;
      return `${head}${'é'.repeat(Math.floor(room / 2))}${'x'.repeat(room % 2)}"}\n`;
    };
    assert.equal(Buffer.byteLength(line(0)), 20_000);
    const dir = join(tmp.dir, 'long-lines');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'snapshots.ndjson'), Array.from({ length: AUTO_MIN_INTERVALS }, (_, i) => line(i)).join(''));
    assert.deepEqual(autoThreads(dir, ALL, 2), { threads: 2, reason: `600 nodes in the first 52 intervals, 300 edges an interval, ~${AUTO_MIN_INTERVALS} intervals in all` });
  });

  it('is described in replay --help with the limits it uses', () => {
    assert.match(REPLAY_HELP.replace(/\s+/g, ' '), new RegExp(`name ${AUTO_MIN_NODES} nodes or more, and more nodes than a line has edges, in a run of ${AUTO_MIN_INTERVALS.toLocaleString('en-US')} lines or more`));
  });
});

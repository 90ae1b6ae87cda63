import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { MUNNIN_SCHEDULE_SHIFTS_SECONDS, MUNNIN_SHAPED_PATH, MUNNIN_SHAPED_SPLIT_WINDOWS, MUNNIN_SHAPED_WINDOWS, replayRun, shiftWindows, writeInjectedRun, writeMunninShapedRun } from '../../src/replay/index.ts';
import { readEvents, readManifest } from '../../src/store/index.ts';
import type { Snapshot } from '../../src/types.ts';
import { captureLog, makeTempDir } from '../util.ts';

const tmp = makeTempDir('munnin-shaped-');
after(() => tmp.remove());

async function snapshotsOf(dir: string): Promise<Snapshot[]> {
  const log = captureLog();
  const snapshots = await lastValueFrom(replayRun(dir).pipe(toArray()));
  log.restore();
  assert.equal(log.messages.length, 0, log.text());
  return snapshots;
}

const bytesOf = (s: Snapshot, src: string, dst: string, metric: string) => s.edges.find((e) => e.src === src && e.dst === dst)?.values[metric] ?? 0;

describe('writeMunninShapedRun', () => {
  it('writes Munnin’s shape: 72 slices of 5 s, TCP byte counters only, the outside an address, database counters cumulative per connection', async () => {
    const dir = join(tmp.dir, 'seed-1');
    writeMunninShapedRun(dir, { seed: 1 });
    const manifest = await readManifest(dir);
    assert.deepEqual(manifest.metrics, ['tcp_sent_bytes', 'tcp_received_bytes']);
    assert.equal(manifest.intervalSeconds, 5);
    assert.deepEqual(await readEvents(dir), [], 'benign: the exfiltrations are injected into copies');
    const snapshots = await snapshotsOf(dir);
    assert.equal(snapshots.length, 72);
    snapshots.forEach((s, i) => assert.equal(s.t, 1_500_000_000 + 5 * (i + 1)));
    for (const s of snapshots) for (const e of s.edges) assert.deepEqual(Object.keys(e.values).sort(), ['tcp_received_bytes', 'tcp_sent_bytes']);
    assert.ok(snapshots.every((s) => s.edges.some((e) => e.src === '172.17.0.1' && e.dst === 'front-end')), 'the outside calls the front door every slice');
    // A database's counter grows slice by slice and drops only when its connection reopens (5 % a slice).
    const db = snapshots.map((s) => bytesOf(s, 'user', 'user-db', 'tcp_sent_bytes'));
    const drops = db.filter((v, i) => i > 0 && v < db[i - 1]!).length;
    const rises = db.filter((v, i) => i > 0 && v > db[i - 1]!).length;
    assert.ok(rises > 40, `${rises} rises`);
    assert.ok(drops >= 1 && drops <= 12, `${drops} reopened connections in 71 slices (expected ~3.5)`);
    // Short-lived edges are per slice, and noisy: front-end → user varies.
    const user = snapshots.map((s) => bytesOf(s, 'front-end', 'user', 'tcp_sent_bytes'));
    assert.ok(new Set(user).size > 50, 'noisy');
  });

  it('is reproducible from its seed, and another seed gives another run', () => {
    for (const [name, seed] of [['a', 7], ['b', 7], ['c', 8]] as const) writeMunninShapedRun(join(tmp.dir, name), { seed });
    const text = (name: string) => readFileSync(join(tmp.dir, name, 'snapshots.ndjson'), 'utf8');
    assert.equal(text('a'), text('b'));
    assert.notEqual(text('a'), text('c'));
  });

  it('takes Munnin’s five exfiltrations, injected along user-db → user → front-end → outside in the slices at 200, 205, 300, 310 and 315 s', async () => {
    const base = join(tmp.dir, 'base');
    const copy = join(tmp.dir, 'copy');
    writeMunninShapedRun(base, { seed: 3 });
    await writeInjectedRun(base, copy, { inject: [{ bytesPerInterval: 25_000, at: MUNNIN_SHAPED_WINDOWS }], path: MUNNIN_SHAPED_PATH });
    const events = await readEvents(copy);
    assert.deepEqual(events.map((e) => e.start - 1_500_000_000), [200, 205, 300, 310, 315]);
    assert.ok(events.every((e) => e.bytes === 25_000 && e.path?.join(',') === 'user-db,user,front-end,172.17.0.1'));
    const [before, after] = [await snapshotsOf(base), await snapshotsOf(copy)];
    // Slice k ends at 5(k + 1) s: the one ending at 205 s holds the first attack.
    const attacked = new Set([40, 41, 60, 62, 63]);
    for (let k = 0; k < 72; k++) {
      const added = bytesOf(after[k]!, 'front-end', 'user', 'tcp_sent_bytes') - bytesOf(before[k]!, 'front-end', 'user', 'tcp_sent_bytes');
      assert.equal(added, attacked.has(k) ? 25_000 : 0, `slice ${k}`);
    }
  });

  it('schedules moved whole (quality parts d-f): Munnin’s spacing, clear of the first 20 judged slices, the last grace slice inside the run', () => {
    assert.deepEqual(shiftWindows(MUNNIN_SHAPED_WINDOWS, -40), [
      { startSeconds: 160, endSeconds: 165 },
      { startSeconds: 165, endSeconds: 170 },
      { startSeconds: 260, endSeconds: 265 },
      { startSeconds: 270, endSeconds: 275 },
      { startSeconds: 275, endSeconds: 280 },
    ]);
    for (const shift of MUNNIN_SCHEDULE_SHIFTS_SECONDS) {
      const at = shiftWindows(MUNNIN_SHAPED_WINDOWS, shift);
      // 60 s of training (parameters.ts) and 20 judged 5-s slices: 160 s.
      assert.ok(at[0]!.startSeconds >= 60 + 20 * 5, `shift ${shift}: first attack at ${at[0]!.startSeconds} s`);
      // The last attack's slice and its grace slice end by the 360-s run's end.
      assert.ok(at[4]!.endSeconds + 5 <= 360, `shift ${shift}: last attack ends at ${at[4]!.endSeconds} s`);
    }
    // Every phase of the real benign run's 15-s pattern (3 slices) meets a first attack: 0, 5 and 10 s.
    assert.deepEqual([...new Set(MUNNIN_SCHEDULE_SHIFTS_SECONDS.map((s) => (((200 + s) % 15) + 15) % 15))].sort((a, b) => a - b), [0, 5, 10]);
  });

  it('split: each exfiltration half a slice later, half its bytes in its slice and half in the next', async () => {
    const base = join(tmp.dir, 'base-split');
    const copy = join(tmp.dir, 'copy-split');
    writeMunninShapedRun(base, { seed: 3 });
    // Pro rata, as quality's part f injects them: whole intervals would put each attack in one slice.
    await writeInjectedRun(base, copy, { inject: [{ bytesPerInterval: 20_000, at: MUNNIN_SHAPED_SPLIT_WINDOWS }], path: MUNNIN_SHAPED_PATH, spread: 'pro-rata' });
    const events = await readEvents(copy);
    assert.deepEqual(events.map((e) => e.start - 1_500_000_000), [202.5, 207.5, 302.5, 312.5, 317.5]);
    assert.ok(events.every((e) => e.bytes === 20_000));
    const [before, after] = [await snapshotsOf(base), await snapshotsOf(copy)];
    // Slice k is (5k, 5(k + 1)] s. Attacks over (202.5, 207.5] and (207.5, 212.5]: 10,000 bytes in
    // slice 40, 10,000 + 10,000 in slice 41 (the second half of one, the first of the next),
    // 10,000 in 42; (302.5, 307.5]: 60 and 61; (312.5, 317.5] and (317.5, 322.5]: 62, 63 (both
    // halves) and 64.
    const expected = new Map([[40, 10_000], [41, 20_000], [42, 10_000], [60, 10_000], [61, 10_000], [62, 10_000], [63, 20_000], [64, 10_000]]);
    for (let k = 0; k < 72; k++) {
      const added = bytesOf(after[k]!, 'front-end', 'user', 'tcp_sent_bytes') - bytesOf(before[k]!, 'front-end', 'user', 'tcp_sent_bytes');
      assert.ok(Math.abs(added - (expected.get(k) ?? 0)) < 1e-6, `slice ${k}: ${added}`);
    }
  });
});

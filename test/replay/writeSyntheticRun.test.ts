import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { replayRun, writeSyntheticRun } from '../../src/replay/index.ts';
import { readEvents, readManifest } from '../../src/store/index.ts';
import { captureLog, makeTempDir } from '../util.ts';

const tmp = makeTempDir('munnin-synthetic-');
after(() => tmp.remove());

describe('writeSyntheticRun', () => {
  it('writes a valid run: about 5 edges per service, noisy volumes, exfiltrations on the events path', async () => {
    const dir = join(tmp.dir, 'run');
    const run = writeSyntheticRun(dir, { services: 30, intervals: 120, intervalSeconds: 2, seed: 3 });
    const log = captureLog();
    const manifest = await readManifest(dir);
    const snapshots = await lastValueFrom(replayRun(dir).pipe(toArray()));
    const events = await readEvents(dir);
    log.restore();
    assert.equal(log.messages.length, 0, log.text());
    assert.deepEqual(manifest.metrics, ['requests', 'request_bytes', 'response_bytes']);
    assert.equal(snapshots.length, 120);
    assert.ok(run.edges >= 30 * 3 && run.edges <= 30 * 6, `${run.edges} edges`);
    assert.equal(events.length, 3);
    assert.deepEqual(events, run.events);
    // The front door's response bytes vary from interval to interval, and jump during an exfiltration.
    const frontDoor = snapshots.map((s) => s.edges.find((e) => e.src === 'external' && e.dst === 'svc-0')?.values['response_bytes'] ?? 0);
    const inAttack = (i: number) => events.some((e) => snapshots[i]!.t > e.start && snapshots[i]!.t - 2 < e.end);
    const benign = frontDoor.filter((_, i) => !inAttack(i));
    const attack = frontDoor.filter((_, i) => inAttack(i));
    assert.ok(new Set(benign).size > benign.length / 2, 'noisy');
    assert.ok(attack.length >= 6);
    assert.ok(Math.min(...attack) > Math.max(...benign), 'exfiltration stands out on the front door');
    assert.equal(events[0]!.path!.at(-1), 'external');
    assert.equal(events[0]!.path!.at(-2), 'svc-0');
  });

  it('is reproducible from its seed', () => {
    const a = writeSyntheticRun(join(tmp.dir, 'a'), { services: 10, intervals: 30, seed: 9 });
    const b = writeSyntheticRun(join(tmp.dir, 'b'), { services: 10, intervals: 30, seed: 9 });
    assert.deepEqual(a.events, b.events);
    assert.equal(a.edges, b.edges);
    assert.equal(readFileSync(join(a.dir, 'snapshots.ndjson'), 'utf8'), readFileSync(join(b.dir, 'snapshots.ndjson'), 'utf8'));
  });
});

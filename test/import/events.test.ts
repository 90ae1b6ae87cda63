import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importMain } from '../../src/cli/import.ts';
import { resolveParameters } from '../../src/config/index.ts';
import { UserError } from '../../src/errors.ts';
import { runReplay } from '../../src/replay/index.ts';
import { loadReportInputs } from '../../src/report/loadReportInputs.ts';
import { readEventsFile } from '../../src/store/index.ts';
import { captureLog, makeTempDir, readRunBack } from '../util.ts';

const FIXTURE = 'test/fixtures/munnin-cybermonday-30k';
const INCIDENT = { kind: 'exfiltration', start: 1500000100, end: 1500000101, bytes: 5000, path: ['user-db', 'user', 'external'], method: 'red-team', ticket: 'SEC-42' };

describe('--events: ground truth from a file', () => {
  it('reads the events form, keeping unknown fields, and refuses a bad file naming every bad line', async () => {
    const tmp = makeTempDir();
    try {
      const good = join(tmp.dir, 'good.ndjson');
      writeFileSync(good, `${JSON.stringify(INCIDENT)}\n\n{"kind":"note","start":1,"end":1}\n`);
      assert.deepEqual(await readEventsFile(good), [INCIDENT, { kind: 'note', start: 1, end: 1 }]);
      const bad = join(tmp.dir, 'bad.ndjson');
      writeFileSync(bad, ['{"kind":"exfiltration","start":10,"end":5}', JSON.stringify(INCIDENT), '{"kind":"scan","start":"yesterday","end":5}', 'not json', '{"start":1,"end":2}'].join('\n'));
      await assert.rejects(readEventsFile(bad), (e: unknown) => {
        assert.ok(e instanceof UserError);
        assert.match(e.message, /bad\.ndjson:1: end: must not come before start \(10\) \(got 5\)/);
        assert.match(e.message, /bad\.ndjson:3: start: expected Unix seconds \(got "yesterday"\)/);
        assert.match(e.message, /bad\.ndjson:4: not valid JSON/);
        assert.match(e.message, /bad\.ndjson:5: kind: expected a string/);
        assert.doesNotMatch(e.message, /bad\.ndjson:2:/);
        return true;
      });
      await assert.rejects(readEventsFile(join(tmp.dir, 'missing.ndjson')), /--events: cannot read .*missing\.ndjson: no such file/);
    } finally {
      tmp.remove();
    }
  });

  it('import copies the events into the run; replay --events scores against them instead of the run\'s own', async () => {
    const tmp = makeTempDir();
    const log = captureLog();
    try {
      const incidents = join(tmp.dir, 'incidents.ndjson');
      writeFileSync(incidents, `${JSON.stringify(INCIDENT)}\n`);
      // Import: the run carries the incidents as its ground truth.
      const traffic = join(tmp.dir, 'traffic.csv');
      writeFileSync(traffic, 't,src,dst,metric,value\n1500000100,a,b,request_bytes,5\n1500000102,a,b,request_bytes,7\n');
      const imported = join(tmp.dir, 'imported');
      await importMain(['csv', traffic, '--events', incidents, '--out', imported, '--quiet'], () => {});
      assert.deepEqual((await readRunBack(imported)).events, [INCIDENT]);

      // Replay the Munnin run (five attacks of its own) against the one incident instead.
      const run = join(tmp.dir, 'run');
      cpSync(FIXTURE, run, { recursive: true });
      const outDir = join(run, 'replay-incidents');
      const { summary } = await runReplay(run, { outDir, detectors: resolveParameters({}).detectors, events: [INCIDENT] });
      // [100, 101) overlaps (95.094, 100.094] and (100.094, 105.098]: two attack intervals, one attack.
      assert.equal(summary.attackIntervals, 2);
      assert.equal(summary.detectors['ewma']!.events.total, 1);
      assert.deepEqual(readFileSync(join(outDir, 'events.ndjson'), 'utf8'), `${JSON.stringify(INCIDENT)}\n`);
      // The report of that replay reads the ground truth it was scored with.
      assert.deepEqual((await loadReportInputs(run, outDir)).events, [INCIDENT]);
      // Without --events: the run's own five, and no stale copy left behind.
      const own = await runReplay(run, { outDir, detectors: resolveParameters({}).detectors });
      assert.equal(own.summary.detectors['ewma']!.events.total, 5);
      assert.equal(existsSync(join(outDir, 'events.ndjson')), false);
    } finally {
      log.restore();
      tmp.remove();
    }
  });

  it('a bad --events file stops the import before anything is written', async () => {
    const tmp = makeTempDir();
    try {
      const incidents = join(tmp.dir, 'incidents.ndjson');
      writeFileSync(incidents, '{"kind":"exfiltration","start":5}\n');
      const traffic = join(tmp.dir, 'traffic.csv');
      writeFileSync(traffic, 't,src,dst,metric,value\n10,a,b,request_bytes,5\n');
      const out = join(tmp.dir, 'run');
      await assert.rejects(importMain(['csv', traffic, '--interval', '2', '--events', incidents, '--out', out, '--quiet'], () => {}), /incidents\.ndjson:1: end: expected Unix seconds/);
      assert.equal(existsSync(out), false);
    } finally {
      tmp.remove();
    }
  });
});

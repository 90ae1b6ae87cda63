import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startDashboard, type Dashboard } from '../../src/dashboard/index.ts';
import { replaySweep } from '../../src/sweep/index.ts';
import { CHROMIUM, CHROMIUM_ARGS, chromiumMissing, get } from '../dashboard/helpers.ts';
import { captureLog, makeTempDir } from '../util.ts';
import { writeFixtureSweepFolder } from '../sweep/fixtureSweepFolder.ts';

// Bug: the dashboard's page of a sweep run showing an injected variant (`k=2_inject=10000`)
// listed only the run's own events under "Events (ground truth)" (here five 0-byte
// null-exfiltrations: "none is an attack"), while the detectors table beside it counted the
// injected attack ("attacks 0/1"). The page now shows the ground truth the replay was scored
// against, its events.ndjson (the run's events plus the injected attack, marked "injected"),
// as the report does. In headless Chromium; skipped without it, except under CI=true.

const missing = chromiumMissing();
const skip = missing !== undefined && process.env['CI'] !== 'true' ? missing : false;
const RUN = 'bytes=0_r1';
const VARIANT = 'k=2_inject=10000';

describe('an injected sweep variant in the dashboard', { skip, timeout: 120_000 }, () => {
  const tmp = makeTempDir('munnin-injected-variant-');
  const log = captureLog();
  let dashboard: Dashboard;
  let browser: Browser;
  let page: Page;
  const sweepDir = join(tmp.dir, 'mysweep');

  before(async () => {
    if (missing) throw new Error(`${missing}; CI=true requires it`);
    writeFixtureSweepFolder(sweepDir, {
      name: 'mysweep',
      axes: [
        { name: 'bytes', path: 'exfiltration[*].bytes', side: 'experiment', values: [0] },
        { name: 'k', path: 'detectors.options.ewma.k', side: 'detector', values: [2, 3] },
      ],
      inject: { bytesPerInterval: [10000], at: [{ startSeconds: 150, endSeconds: 160 }], path: ['user-db', 'user', 'front-end', '172.17.0.1'] },
      base: { detectors: { trainingSeconds: 100, enabled: ['ewma'] } },
      runs: [{ name: RUN, axisValues: { bytes: 0 }, repeat: 1, status: 'complete' }],
    });
    await replaySweep(sweepDir, { progress: false });
    dashboard = await startDashboard({ dataDir: tmp.dir, port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  });
  after(async () => {
    await browser?.close();
    await dashboard?.close();
    log.restore();
    tmp.remove();
  });

  it('lists the attacks the variant was scored against, the injected one marked', async () => {
    const own = readFileSync(join(sweepDir, RUN, 'events.ndjson'), 'utf8').trim().split('\n').length;
    const summary = JSON.parse(readFileSync(join(sweepDir, RUN, 'replay', VARIANT, 'summary.json'), 'utf8')) as { attacks: { start: number; injected?: boolean }[] };
    const injected = summary.attacks.filter((a) => a.injected === true);
    assert.equal(injected.length, 1, 'the variant scored one injected attack');

    const api = await get(`${dashboard.url}api/sweeps/mysweep/runs/${encodeURIComponent(RUN)}?variant=${encodeURIComponent(VARIANT)}`);
    assert.equal(api.status, 200, api.text);
    assert.equal(api.json.eventsSource, 'replay');
    assert.equal(api.json.events.length, own + 1);

    await page.goto(`${dashboard.url}#/sweeps/mysweep/runs/${encodeURIComponent(RUN)}?variant=${encodeURIComponent(VARIANT)}`);
    await page.waitForSelector('#run-events tbody tr');
    const rows = await page.$$eval('#run-events tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));
    assert.equal(rows.length, own + 1);
    const marked = rows.filter((r) => r[0] === 'exfiltration (injected)');
    assert.equal(marked.length, 1);
    // Injected from 150 s after the run's start (t0: the first interval's start).
    assert.match(marked[0]![1]!, /^\+15\d(\.\d)? s$/);
    const headings = await page.$$eval('h3', (hs) => hs.map((h) => h.textContent ?? ''));
    assert.ok(headings.includes('Events (ground truth this replay scored: replay/k=2_inject=10000/events.ndjson)'), headings.join(' | '));
  });
});

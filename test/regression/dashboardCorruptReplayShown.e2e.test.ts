import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startDashboard, type Dashboard } from '../../src/dashboard/index.ts';
import { CHROMIUM, CHROMIUM_ARGS, chromiumMissing, FIXTURE_RUNS, get } from '../dashboard/helpers.ts';
import { captureLog, makeTempDir, readJson } from '../util.ts';

// Bug: a run whose replay/summary.json was corrupt showed "Not replayed yet: npm run replay
// -- …" on its page, and the file was named nowhere on it (the API and the runs list knew:
// "replay/summary.json: not valid JSON (…)"). In a sweep, the page of a run whose replay
// k=2 was corrupt said the same and lost its replay picker, so the good k=3 could not be
// chosen; the sweep's runs table gave "best of 2 replays" without a word on the broken one.
// The pages now name the file and its parse error, keep the picker (the broken replay marked
// "unreadable") and count only the readable replays. In headless Chromium; skipped without
// it, except under CI=true.

const missing = chromiumMissing();
const skip = missing !== undefined && process.env['CI'] !== 'true' ? missing : false;
const CORRUPT = '{"run": "x", "detectors": {';
const SWEEP = 'mysweep';
const RUN = 'bytes=30000_r1';

describe('a corrupt replay summary in the dashboard', { skip, timeout: 120_000 }, () => {
  const tmp = makeTempDir('munnin-corrupt-replay-');
  const log = captureLog();
  let dashboard: Dashboard;
  let browser: Browser;
  let page: Page;
  // The parse error as JavaScript words it, for the text the pages must show.
  let parseError = '';
  try {
    JSON.parse(CORRUPT);
  } catch (e) {
    parseError = (e as Error).message;
  }

  before(async () => {
    if (missing) throw new Error(`${missing}; CI=true requires it`);
    // A plain run, its only replay corrupt.
    cpSync(join(FIXTURE_RUNS, 'cybermonday'), join(tmp.dir, 'corrupt-summary'), { recursive: true });
    writeFileSync(join(tmp.dir, 'corrupt-summary', 'replay', 'summary.json'), CORRUPT);
    // A sweep run with two replays (replay/k=2/, replay/k=3/), k=2 corrupt.
    const run = join(tmp.dir, SWEEP, RUN);
    cpSync(join(FIXTURE_RUNS, 'cybermonday'), run, { recursive: true });
    renameSync(join(run, 'replay'), join(run, 'k=3'));
    mkdirSync(join(run, 'replay', 'k=2'), { recursive: true });
    renameSync(join(run, 'k=3'), join(run, 'replay', 'k=3'));
    cpSync(join(run, 'replay', 'k=3'), join(run, 'replay', 'k=2'), { recursive: true });
    writeFileSync(join(run, 'replay', 'k=2', 'summary.json'), CORRUPT);
    writeFileSync(
      join(tmp.dir, SWEEP, 'sweep.json'),
      JSON.stringify({
        format: 'munnin-sweep/1',
        name: SWEEP,
        createdAt: '2026-11-21T04:00:00.000Z',
        updatedAt: '2026-11-21T05:12:09.000Z',
        repeats: 1,
        axes: [
          { name: 'bytes', path: 'exfiltration[*].bytes', side: 'experiment', values: [30000] },
          { name: 'k', path: 'detectors.options.ewma.k', side: 'detector', values: [2, 3] },
        ],
        base: { detectors: { trainingSeconds: 100 } },
        runs: [{ name: RUN, axisValues: { bytes: 30000 }, repeat: 1, status: 'complete' }],
      }),
    );
    dashboard = await startDashboard({ dataDir: tmp.dir, port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    page.setDefaultTimeout(10_000);
  });
  after(async () => {
    await browser?.close();
    await dashboard?.close();
    log.restore();
    tmp.remove();
  });

  const text = async (selector: string) => ((await page.textContent(selector)) ?? '').replace(/\s+/g, ' ');

  it('names the corrupt file and its parse error on the run page, not "Not replayed yet"', async () => {
    const api = await get(`${dashboard.url}api/runs/corrupt-summary`);
    assert.equal(api.json.problem, `replay/summary.json: not valid JSON (${parseError})`);
    await page.goto(`${dashboard.url}#/runs/corrupt-summary`);
    await page.waitForSelector('#replay-problem');
    const summary = await text('#run-summary');
    assert.ok(summary.includes(`replay/summary.json: not valid JSON (${parseError})`), summary);
    assert.doesNotMatch(summary, /Not replayed yet/);
    await page.waitForSelector('#run-charts p');
    assert.doesNotMatch(await text('#run-charts'), /need a replay\./);
    assert.match(await text('#run-charts'), /readable replay/);
    await page.waitForSelector('#interval-no-alarm');
    assert.equal(await text('#interval-no-alarm'), 'Replay unreadable: no alarms to show.');
  });

  it("keeps a sweep run's replay picker when the replay shown is corrupt, and shows the readable one when picked", async () => {
    const problem = `replay/k=2/summary.json: not valid JSON (${parseError})`;
    await page.goto(`${dashboard.url}#/sweeps/${SWEEP}/runs/${encodeURIComponent(RUN)}?variant=${encodeURIComponent('k=2')}`);
    await page.waitForSelector('#variant-select');
    assert.deepEqual(await page.$$eval('#variant-select option', (os) => os.map((o) => [o.getAttribute('value'), o.textContent])), [
      ['k=2', 'k=2 (unreadable)'],
      ['k=3', 'k=3'],
    ]);
    assert.equal(await page.$eval('#variant-select', (s) => (s as unknown as { value: string }).value), 'k=2');
    assert.ok((await text('#run-summary')).includes(problem));
    assert.doesNotMatch(await text('#run-summary'), /Not replayed yet/);

    await page.selectOption('#variant-select', 'k=3');
    await page.waitForSelector('#summary-table tbody tr');
    const detectors = Object.keys((readJson(tmp.dir, SWEEP, RUN, 'replay', 'k=3', 'summary.json') as { detectors: object }).detectors);
    assert.equal(await page.$$eval('#summary-table tbody tr', (trs) => trs.length), detectors.length);
    // The other replay's problem stays said beside the readable one.
    assert.ok((await text('#replay-problem')).includes(problem));
  });

  it("says in the sweep's runs table that one of the run's replays is unreadable", async () => {
    await page.goto(`${dashboard.url}#/sweeps/${SWEEP}`);
    await page.waitForSelector('#sweep-runs-table tbody tr');
    const best = await page.$eval('#sweep-runs-table tbody tr td:last-child', (td) => (td.textContent ?? '').replace(/\s+/g, ' '));
    assert.match(best, / in k=3, best of 1 readable of 2 replays/);
    assert.ok(best.includes(`replay/k=2/summary.json: not valid JSON (${parseError})`), best);
  });
});

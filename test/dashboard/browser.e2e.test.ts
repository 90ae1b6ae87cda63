import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startDashboard, type Dashboard, type LiveRunInfo } from '../../src/dashboard/index.ts';
import type { Snapshot, Verdict } from '../../src/types.ts';
import { captureLog, makeTempDir, readJson, readNdjson as readLines } from '../util.ts';
import { CHROMIUM, CHROMIUM_ARGS, chromiumMissing, copyFixtureRuns, HOSTILE, watchedPage, writeHostileRun } from './helpers.ts';

// Page functions (evaluate, waitForFunction) run in the browser; the project's types have no DOM.
declare const document: any;

// The dashboard in real headless Chromium (Debian's `chromium`). Without it the tests skip
// with a message, except under CI=true, where they fail.
const missing = chromiumMissing();
const skip = missing !== undefined && process.env['CI'] !== 'true' ? missing : false;


describe('dashboard in headless Chromium', { skip, timeout: 120_000 }, () => {
  const tmp = makeTempDir('munnin-dashboard-browser-');
  const log = captureLog();
  let dashboard: Dashboard;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    if (missing) throw new Error(`${missing}; CI=true requires it`);
    copyFixtureRuns(tmp.dir);
    writeHostileRun(tmp.dir);
    // What replay now writes beside the counts (src/evaluation/falseAlarmPromise.ts): one detector's promise broken, the next one's kept.
    const summaryFile = join(tmp.dir, 'cybermonday', 'replay', 'summary.json');
    const written = JSON.parse(readFileSync(summaryFile, 'utf8')) as { detectors: Record<string, Record<string, unknown>> };
    const [broken, kept] = Object.keys(written.detectors);
    written.detectors[broken!] = { ...written.detectors[broken!], fprInterval95: [0.0125, 0.1875], tprInterval95: [0.3424, 1], falseAlarmPromise: { rate: 0.01, judgedIntervals: 45, episodes: 4, p: 0.00107 } };
    written.detectors[kept!] = { ...written.detectors[kept!], fprInterval95: [0, 0.0676], falseAlarmPromise: { rate: 0.01, judgedIntervals: 53, episodes: 0, p: 1 } };
    writeFileSync(summaryFile, JSON.stringify(written));
    dashboard = await startDashboard({ dataDir: tmp.dir, port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    // Any script error, refused resource, policy violation or dialog is a failure of the page.
    page = await watchedPage(browser, problems, { dialogs: true });
  });
  after(async () => {
    await browser?.close();
    await dashboard?.close();
    log.restore();
    tmp.remove();
  });

  it('lists the runs of the data folder', async () => {
    await page.goto(`${dashboard.url}#/runs`);
    await page.waitForSelector('#runs-table tbody tr');
    const rows = await page.$$eval('#runs-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    const byName = new Map(rows.map((r) => [r[0], r]));
    assert.deepEqual([...byName.keys()].sort(), ['cybermonday', 'interrupted', HOSTILE.run].sort());
    const cyber = byName.get('cybermonday')!;
    assert.equal(cyber[3], String(readLines(tmp.dir, 'cybermonday', 'snapshots.ndjson').length));
    assert.equal(cyber[5], 'complete');
    assert.equal(cyber[6], String(readLines(tmp.dir, 'cybermonday', 'events.ndjson').length));
    const summary = readJson(tmp.dir, 'cybermonday', 'replay', 'summary.json');
    const best = Object.entries(summary.detectors as Record<string, { f1: number }>).sort((a, b) => b[1].f1 - a[1].f1)[0]![0];
    assert.match(cyber[7]!, new RegExp(`^${best} \\(F1 `));
    assert.equal(byName.get('interrupted')![5], 'interrupted');
    assert.equal(byName.get('interrupted')![7], 'not replayed');
  });

  it('opens a run: its summary table, its report charts, and a slider through its intervals', async () => {
    await page.click('#runs-table a:text-is("cybermonday")');
    await page.waitForSelector('#summary-table tbody tr');
    const summary = readJson(tmp.dir, 'cybermonday', 'replay', 'summary.json');
    const rows = await page.$$eval('#summary-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    assert.deepEqual(
      rows.map((r) => r[0]),
      Object.keys(summary.detectors),
    );
    for (const r of rows) {
      const d = summary.detectors[r[0]!];
      assert.deepEqual(r.slice(1, 5), [d.tp, d.fp, d.tn, d.fn].map(String), r[0]);
      // Mean delay as the terminal and the report print it: one decimal always (5.0035 → "5.0 s").
      assert.equal(r[11], d.events.meanDelaySeconds === null ? '–' : `${d.events.meanDelaySeconds.toFixed(1)} s`, r[0]);
    }
    // The FPR's interval as its tooltip (and the TPR's); † and a note for the detector whose false alarms broke its promised rate, none for the other.
    const [broken, kept] = Object.keys(summary.detectors);
    const fprCell = (d: string) => page.$eval(`#summary-table tr[data-detector="${d}"] td:nth-child(7)`, (td) => [td.textContent, td.getAttribute('title')]);
    assert.deepEqual(await fprCell(broken!), [`${summary.detectors[broken!].fpr.toFixed(3)} †`, '95 % interval 1.3 % – 18.8 %']);
    assert.deepEqual(await fprCell(kept!), [summary.detectors[kept!].fpr.toFixed(3), '95 % interval 0.0 % – 6.8 %']);
    // The TPR's interval likewise.
    const tprTitle = await page.$eval(`#summary-table tr[data-detector="${broken}"] td:nth-child(6)`, (td) => td.getAttribute('title'));
    assert.equal(tprTitle, '95 % interval 34.2 % – 100.0 %');
    const notes = await page.$$eval('p.promise-broken', (ps) => ps.map((p) => p.textContent));
    assert.equal(notes.length, 1);
    assert.match(notes[0]!, new RegExp(`^† ${broken}: 4 false-alarm episode\\(s\\) .* in 45 benign intervals judged with a threshold; at 0\\.01, .* probability 0\\.0011`));
    // Every chart of the report is drawn by chart.js; each score chart has one point per scored interval.
    await page.waitForSelector('#run-charts figure.chart');
    const charts = await page.$$eval('#run-charts figure.chart', (figs) =>
      figs.map((f) => {
        const canvas = f.querySelector('canvas')!;
        const chart = (globalThis as any).Chart.getChart(canvas);
        return { section: f.getAttribute('data-section'), drawn: chart !== undefined || canvas.width > 0, points: chart?.data.datasets[0]?.data.length ?? null, title: chart?.options.plugins.title.text ?? null };
      }),
    );
    const scores = charts.filter((c) => c.section === 'scores');
    assert.equal(scores.length, Object.keys(summary.detectors).length);
    for (const c of scores) assert.equal(c.points, summary.scoredIntervals, String(c.title));
    assert.ok(charts.some((c) => c.section === 'roc'));
    assert.ok(charts.some((c) => c.section === 'edges'));
    assert.ok(charts.some((c) => c.section === 'matrix'));
    assert.ok(charts.every((c) => c.drawn));
    // Step to the first attack interval: its label says so, and its edges are the file's.
    const lines = readLines(tmp.dir, 'cybermonday', 'snapshots.ndjson');
    const attack = readLines(tmp.dir, 'cybermonday', 'events.ndjson')[0];
    const i = lines.findIndex((s) => attack.start <= s.t && s.t - s.dt < attack.end);
    await page.$eval('#interval-slider', (el, v) => {
      (el as unknown as { value: string }).value = String(v);
      el.dispatchEvent(new Event('input'));
    }, i);
    await page.waitForFunction((n) => document.querySelector('#interval-label')?.textContent?.startsWith(`Interval ${n + 1} of `), i);
    assert.match((await page.textContent('#interval-label'))!, /attack interval/);
    assert.equal(await page.$$eval('#interval-edges tbody tr', (trs) => trs.length), lines[i].edges.length);
    await page.click('#interval-next');
    await page.waitForFunction((n) => document.querySelector('#interval-label')?.textContent?.startsWith(`Interval ${n + 2} of `), i);
  });

  it('shows a live experiment as it happens: new intervals, scores, and an alert with its blamed edge', async () => {
    await page.goto(`${dashboard.url}#/live`);
    await page.waitForSelector('#live-empty:not([hidden])');
    const info: LiveRunInfo = { name: 'live-test', intervalSeconds: 1, durationSeconds: 8, plannedIntervals: 8, metrics: ['request_bytes', 'response_bytes'], detectors: ['ewma'], trainingSeconds: 2, exfiltration: [{ atSeconds: 4, bytes: 50_000, method: 'api' }], ewma: { lambda: 0.2, k: 3 }, startedAt: new Date().toISOString() };
    const t0 = 1_900_000_000;
    const base = [
      { src: 'external', dst: 'front-end', values: { request_bytes: 900, response_bytes: 40_000 } },
      { src: 'front-end', dst: 'user', values: { request_bytes: 300, response_bytes: 8_000 } },
    ];
    const snapshot = (i: number, extra: Snapshot['edges'] = []): Snapshot => ({ t: t0 + i, dt: 1, gap: false, edges: [...base, ...extra] });
    const verdict = (i: number, score: number, alarm = false): Verdict => ({ t: t0 + i, dt: 1, detector: 'ewma', score: i <= 2 ? Number.NaN : score, threshold: i <= 2 ? Number.NaN : 3, alarm, training: i <= 2, gap: false, blamed: alarm ? [{ src: 'user', dst: 'external', score: 8 }] : [] });
    dashboard.hub.begin(info);
    for (let i = 1; i <= 3; i++) {
      dashboard.hub.snapshot(snapshot(i));
      dashboard.hub.verdict(verdict(i, 1));
    }
    await page.waitForFunction(() => document.querySelector('#live-progress-text')?.textContent?.startsWith('3 / 8 intervals'));
    assert.equal(await page.textContent('#live-alerts'), 'none yet');
    // Interval 4: data leaves through a never-seen edge, and the detector fires.
    dashboard.hub.snapshot(snapshot(4, [{ src: 'user', dst: 'external', values: { request_bytes: 50_000 } }]));
    dashboard.hub.verdict(verdict(4, 9, true));
    dashboard.hub.event({ kind: 'exfiltration', start: t0 + 3.2, end: t0 + 3.9, bytes: 50_000, method: 'api', atSeconds: 4, path: ['user-db', 'user', 'front-end', 'external'] });
    await page.waitForSelector('#live-alerts-table tbody tr');
    const alert = await page.$$eval('#live-alerts-table tbody tr td', (tds) => tds.map((td) => td.textContent));
    assert.deepEqual(alert, ['+4 s', 'ewma', '9 > 3', 'user → external', 'attack']);
    assert.match((await page.textContent('#live-progress-text'))!, /^4 \/ 8 intervals .* 0 gaps · 1 alert$/);
    const edge = await page.$eval('.service-graph g.edge[data-src="user"][data-dst="external"]', (g) => g.getAttribute('class'));
    assert.match(edge!, /edge-blamed/);
    assert.match(edge!, /edge-new/);
    assert.match((await page.textContent('#live-schedule'))!, /done: 50\.0 kB moved/);
    // The score chart got every scored interval (3 and 4) as score ÷ threshold (1/3, 9/3) on a
    // log axis, raw scores kept for the tooltip; the edge chart all four intervals.
    const scoreChart = await page.$eval('#live-detectors [data-detector="ewma"] canvas', (c) => {
      const chart = (globalThis as any).Chart.getChart(c);
      return { points: chart.data.datasets[0].data.map((p: { x: number; y: number; score: number }) => [p.x, p.y, p.score]), y: chart.options.scales.y.type };
    });
    assert.deepEqual(scoreChart.points, [
      [3, 1 / 3, 1],
      [4, 3, 9],
    ]);
    assert.equal(scoreChart.y, 'logarithmic');
    const edgeChart = await page.$eval('#live-content .chart-box canvas', (c) => (globalThis as any).Chart.getChart(c).options.plugins.title.text);
    assert.equal(edgeChart, 'user → external');
    dashboard.hub.end({ complete: true, intervals: 4 });
    await page.waitForFunction(() => document.querySelector('#live-state')?.textContent?.startsWith('ended: 4 intervals'));
  });

  it('shows hostile workload, run and detector names as text and runs none of them', async () => {
    await page.goto(`${dashboard.url}#/runs`);
    await page.waitForSelector('#runs-table tbody tr');
    await page.click(`#runs-table a.run-link >> text=${JSON.stringify(HOSTILE.run)}`);
    await page.waitForSelector('#summary-table tbody tr');
    await page.waitForSelector('#run-charts figure.chart');
    await page.waitForSelector('#interval-edges');
    assert.equal(await page.textContent('.run-name'), HOSTILE.run);
    assert.equal(await page.textContent('#summary-table tbody td'), HOSTILE.detector);
    const text = (await page.textContent('#main'))!;
    for (const name of [HOSTILE.img, HOSTILE.script, HOSTILE.svg]) assert.ok(text.includes(name), `shown as text: ${name}`);
    const titles = await page.$$eval('.service-graph .node title', (ts) => ts.map((t) => t.textContent));
    assert.ok(titles.includes(HOSTILE.img) && titles.includes(HOSTILE.script));
    // Live view with the same names.
    dashboard.hub.begin({ name: HOSTILE.run, intervalSeconds: 1, durationSeconds: 4, plannedIntervals: 4, metrics: ['request_bytes'], detectors: [HOSTILE.detector], trainingSeconds: 0, exfiltration: [], ewma: { lambda: 0.2, k: 3 }, startedAt: new Date().toISOString() });
    dashboard.hub.snapshot({ t: 2_000_000_001, dt: 1, gap: false, edges: [{ src: HOSTILE.img, dst: HOSTILE.script, values: { request_bytes: 10 } }] });
    dashboard.hub.verdict({ t: 2_000_000_001, dt: 1, detector: HOSTILE.detector, score: 5, threshold: 1, alarm: true, training: false, gap: false, blamed: [{ src: HOSTILE.img, dst: HOSTILE.script, score: 5 }] });
    await page.goto(`${dashboard.url}#/live`);
    await page.waitForSelector('#live-alerts-table tbody tr');
    assert.equal(await page.textContent('#live-alerts-table tbody td:nth-child(2)'), HOSTILE.detector);
    assert.equal(await page.textContent('#live-alerts-table tbody td:nth-child(4)'), `${HOSTILE.img} → ${HOSTILE.script}`);
    assert.ok((await page.textContent('h2'))!.includes(HOSTILE.run));
    const dom = await page.evaluate(() => ({
      pwned: (globalThis as any).__pwned,
      imgs: document.querySelectorAll('img').length,
      handlers: document.querySelectorAll('[onerror], [onload]').length,
      scripts: [...document.querySelectorAll('script')].map((s) => s.getAttribute('src')),
    }));
    assert.deepEqual(dom, { pwned: undefined, imgs: 0, handlers: 0, scripts: ['/vendor/chart.umd.js', '/app/app.js'] });
  });

  it('had no script error, refused load or policy violation on any page', () => {
    assert.deepEqual(problems, []);
  });
});

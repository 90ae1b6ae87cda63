import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { pathToFileURL } from 'node:url';
import { startDashboard, type Dashboard } from '../../src/dashboard/index.ts';
import { writeReport } from '../../src/report/index.ts';
import { captureLog, makeTempDir, readJson, readNdjson as readLines } from '../util.ts';
import { CHROMIUM, CHROMIUM_ARGS, chromiumMissing, FIXTURE_RUNS, watchedPage, writeHostileRun } from './helpers.ts';
import { SWEEP, writeFixtureSweep } from './sweepFixture.ts';

// Sweeps, replay variants, the interval slider's alarms and the layout at 1300 px, in real
// headless Chromium (Debian's `chromium`). Without it the tests skip with a message, except
// under CI=true, where they fail. Expected values are read from the files the replay wrote.

// Page functions (evaluate, waitForFunction) run in the browser; the project's types have no DOM.
declare const document: any;
declare const location: any;
declare const getComputedStyle: any;

const missing = chromiumMissing();
const skip = missing !== undefined && process.env['CI'] !== 'true' ? missing : false;

type Summary = { detectors: Record<string, { tp: number; fp: number; f1: number | null }> };
type Alert = { t: number; detector: string; blamed: { src: string; dst: string }[] };
const cellsOf = (page: Page, selector: string) => page.$$eval(`${selector} tbody tr`, (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())));

describe('sweeps, replay variants and layout in headless Chromium', { skip, timeout: 180_000 }, () => {
  const tmp = makeTempDir('munnin-dashboard-sweep-');
  const log = captureLog();
  let sweepDir: string;
  let dashboard: Dashboard;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    if (missing) throw new Error(`${missing}; CI=true requires it`);
    cpSync(join(FIXTURE_RUNS, 'cybermonday'), join(tmp.dir, 'cybermonday'), { recursive: true });
    sweepDir = await writeFixtureSweep(tmp.dir);
    dashboard = await startDashboard({ dataDir: tmp.dir, port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    page = await watchedPage(browser, problems);
  });
  after(async () => {
    await browser?.close();
    await dashboard?.close();
    log.restore();
    tmp.remove();
  });

  const variantSummary = (run: string, k: number): Summary => readJson(sweepDir, run, 'replay', `k=${k}`, 'summary.json');
  const variantAlerts = (run: string, k: number): Alert[] => readLines(sweepDir, run, 'replay', `k=${k}`, 'alerts.ndjson');

  it('lists the sweep beside the runs, with how many of its runs are complete, in right plurals', async () => {
    await page.goto(`${dashboard.url}#/runs`);
    await page.waitForSelector('#sweeps-table tbody tr');
    assert.deepEqual(await cellsOf(page, '#sweeps-table'), [[SWEEP.name, '2026-11-21 ' + new Date('2026-11-21T04:00:00.000Z').toTimeString().slice(0, 5), 'bytes (3 values), k (2 values)', '2 / 3', 'compared']]);
    assert.deepEqual((await cellsOf(page, '#runs-table')).map((r) => r[0]), ['cybermonday']);
    assert.equal(await page.textContent('#status'), `1 run, 1 sweep in ${tmp.dir}`);
  });

  it('shows a sweep: its axes, progress, the comparison with k only for ewma, F1 charts on a log axis, and its runs linked', async () => {
    await page.click(`#sweeps-table a:text-is("${SWEEP.name}")`);
    await page.waitForSelector('#sweep-comparison-table tbody tr');
    assert.deepEqual((await cellsOf(page, '#sweep-axes')).map((r) => [r[0], r[1], r[3]]), [
      ['bytes', 'exfiltration[*].bytes', '30000, 60000, 90000'],
      ['k', 'detectors.options.ewma.k', '2, 3'],
    ]);
    assert.match((await page.textContent('#sweep-progress-text'))!, /^2 of 3 runs complete/);
    // Expected rows from the summaries: ewma once per k, every other detector once per run (its k cell "any").
    const expected: string[][] = [];
    for (const [run, bytes] of [
      [SWEEP.runs[0], '30000'],
      [SWEEP.runs[1], '60000'],
    ] as const) {
      const detectors = Object.keys(variantSummary(run, 2).detectors);
      for (const d of detectors) {
        const f1 = (k: number) => {
          const v = variantSummary(run, k).detectors[d]!.f1;
          return v === null ? '–' : v.toFixed(3);
        };
        if (d === 'ewma') for (const k of SWEEP.k) expected.push([d, bytes, String(k), '1', f1(k)]);
        else {
          // The same numbers in both variants: a detector k does not change.
          assert.deepEqual(variantSummary(run, 3).detectors[d], variantSummary(run, 2).detectors[d]);
          expected.push([d, bytes, 'any', '1', f1(2)]);
        }
      }
    }
    const rows = (await cellsOf(page, '#sweep-comparison-table')).map((r) => [r[0]!, r[1]!, r[2]!, r[3]!, r[6]!]);
    assert.deepEqual(rows, expected);
    // One F1 chart per k, every detector (eleven) drawn against the bytes on a log axis, each with its own marker (shape and rotation).
    const charts = await page.$$eval('#sweep-comparison figure.chart', (figs) =>
      figs.map((f) => {
        const chart = (globalThis as any).Chart.getChart(f.querySelector('canvas'));
        return { file: f.getAttribute('data-file'), x: chart?.options.scales.x.type, labels: chart?.data.datasets.map((d: any) => d.label), markers: new Set(chart?.data.datasets.map((d: any) => `${d.pointStyle}/${d.pointRotation ?? 0}/${d.backgroundColor === '#ffffff' ? 'hollow' : 'filled'}`)).size };
      }),
    );
    assert.deepEqual(charts.map((c) => [c.file, c.x]), [
      ['f1-vs-bytes_k=2.png', 'logarithmic'],
      ['f1-vs-bytes_k=3.png', 'logarithmic'],
    ]);
    for (const c of charts) {
      assert.equal(c.labels.length, 11);
      assert.equal(c.markers, 11);
    }
    // Runs: the two recorded ones linked, the pending one not.
    const runs = await cellsOf(page, '#sweep-runs-table');
    assert.deepEqual(runs.map((r) => [r[0], r[1], r[3], r[4]]), [
      [SWEEP.runs[0], '30000', 'complete', '2'],
      [SWEEP.runs[1], '60000', 'complete', '2'],
      [SWEEP.pending, '90000', 'pending', '0'],
    ]);
    assert.match(runs[0]![5]!, /, best of 2 replays$/);
    assert.equal(await page.$$eval('#sweep-runs-table a.run-link', (as) => as.length), 2);
  });

  it("names every detector in each F1 chart's legend, whole and inside the chart's box, from 1024 to 1920 px", async () => {
    // Eleven detectors with long "(= …)" labels once overflowed chart.js's legend in its 400-px
    // box: labels cut at both ends, the last two entries (midas, graph-lasso) not drawn at all.
    const detectors = Object.keys(variantSummary(SWEEP.runs[0], 2).detectors).sort();
    assert.equal(detectors.length, 11);
    try {
      for (const width of [1024, 1300, 1920]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`${dashboard.url}#/sweeps/${SWEEP.name}`);
        await page.waitForSelector('#sweep-comparison figure.chart canvas');
        const legends = await page.$$eval('#sweep-comparison figure.chart', (figs) =>
          figs.map((f) => {
            const box = f.getBoundingClientRect();
            const chart = (globalThis as any).Chart.getChart(f.querySelector('canvas'));
            const entries = [...f.querySelectorAll('.chart-legend li')].map((li: any) => {
              const r = li.getBoundingClientRect();
              const inside = r.width > 0 && r.height > 0 && r.left >= box.left - 0.5 && r.right <= box.right + 0.5;
              const whole = [li, ...li.querySelectorAll('*')].every((n: any) => n.scrollWidth <= n.clientWidth + 1 || n.clientWidth === 0);
              return { text: (li.textContent ?? '').trim(), inside, whole, visible: getComputedStyle(li).visibility === 'visible' };
            });
            return { labels: chart.data.datasets.map((d: any) => d.label), canvasLegend: chart.options.plugins.legend.display !== false, entries };
          }),
        );
        assert.equal(legends.length, 2, `${width} px: two F1 charts`);
        for (const [i, l] of legends.entries()) {
          const where = `${width} px, chart ${i + 1}`;
          assert.deepEqual(l.entries.map((e) => e.text), l.labels, `${where}: one legend entry per line, with its whole label`);
          assert.deepEqual(detectors.filter((d) => !l.entries.some((e) => e.text === d || e.text.startsWith(`${d} (= `))), [], `${where}: detectors without a legend entry`);
          assert.deepEqual(l.entries.filter((e) => !e.inside || !e.whole || !e.visible).map((e) => e.text), [], `${where}: entries cut or outside the chart`);
          assert.equal(l.canvasLegend, false, `${where}: the clipping canvas legend is not drawn as well`);
        }
      }
      // As in chart.js's legend, a click on an entry hides its line, a second shows it again.
      const entry = '#sweep-comparison figure.chart .chart-legend li[data-dataset="1"]';
      const shown = () => page.$eval('#sweep-comparison figure.chart canvas', (c) => (globalThis as any).Chart.getChart(c).isDatasetVisible(1));
      await page.click(`${entry} button`);
      assert.deepEqual([await shown(), await page.$eval(entry, (li) => li.classList.contains('hidden'))], [false, true]);
      await page.click(`${entry} button`);
      assert.deepEqual([await shown(), await page.$eval(entry, (li) => li.classList.contains('hidden'))], [true, false]);
    } finally {
      await page.setViewportSize({ width: 1300, height: 900 });
    }
  });

  /** Move the slider to interval i (0-based) and wait for it to be shown. */
  async function showInterval(i: number): Promise<void> {
    await page.waitForSelector('#interval-slider');
    await page.$eval('#interval-slider', (el, v) => {
      (el as unknown as { value: string }).value = String(v);
      el.dispatchEvent(new Event('input'));
    }, i);
    await page.waitForFunction((n) => document.querySelector('#interval-label')?.textContent?.startsWith(`Interval ${n + 1} of `), i);
  }

  /** What the slider shows of interval i: the alarms' detectors, and the blamed edges in the graph. */
  async function shownAlarms(): Promise<{ detectors: string[]; blamed: string[] }> {
    const detectors = await page.$$eval('#interval-alarms tbody tr', (trs) => trs.map((tr) => tr.querySelector('td')?.textContent ?? ''));
    const blamed = await page.$$eval('#run-walk .service-graph .edge-blamed', (gs) => gs.map((g) => `${g.getAttribute('data-src')}>${g.getAttribute('data-dst')}`));
    return { detectors: detectors.sort(), blamed: blamed.sort() };
  }

  const expectedAt = (alerts: Alert[], t: number) => ({
    detectors: alerts.filter((a) => Math.abs(a.t - t) < 1e-6).map((a) => a.detector).sort(),
    blamed: [...new Set(alerts.filter((a) => Math.abs(a.t - t) < 1e-6).flatMap((a) => a.blamed.map((b) => `${b.src}>${b.dst}`)))].sort(),
  });

  it("opens a sweep run with its replays one at a time; the slider shows each replay's alarms and blamed edges", async () => {
    const run = SWEEP.runs[0];
    await page.click(`#sweep-runs-table a:text-is("${run}")`);
    await page.waitForSelector('#summary-table tbody tr');
    assert.deepEqual(await page.$$eval('#variant-select option', (os) => os.map((o) => o.textContent)), ['k=2', 'k=3']);
    const ewmaCounts = async () => (await cellsOf(page, '#summary-table')).find((r) => r[0] === 'ewma')!.slice(1, 3);
    const k2 = variantSummary(run, 2).detectors['ewma']!;
    const k3 = variantSummary(run, 3).detectors['ewma']!;
    assert.notDeepEqual([k2.tp, k2.fp], [k3.tp, k3.fp], 'the fixture makes k matter');
    assert.deepEqual(await ewmaCounts(), [String(k2.tp), String(k2.fp)]);

    // Score charts as score ÷ threshold on a log axis, the raw score and threshold in the tooltip.
    await page.waitForSelector('#run-charts figure.chart[data-section="scores"] canvas');
    const scoreChart = await page.$eval('#run-charts figure.chart[data-section="scores"] canvas', (c) => {
      const chart = (globalThis as any).Chart.getChart(c);
      const line = chart.data.datasets[0];
      const i = line.data.findIndex((p: any) => p.y !== null);
      return { y: chart.options.scales.y.type, tick: chart.options.scales.y.ticks.callback(100_000), tooltip: chart.options.plugins.tooltip.callbacks.label({ raw: line.data[i], dataset: line }), point: line.data[i] };
    });
    assert.equal(scoreChart.y, 'logarithmic');
    assert.equal(scoreChart.tick, '1e+5');
    assert.match(scoreChart.tooltip, /^score \S+, threshold \S+/);
    assert.ok(Math.abs(scoreChart.point.y - scoreChart.point.score / scoreChart.point.threshold) < 1e-12 || scoreChart.point.clamped !== undefined);

    // An interval where ewma alarms with k = 2 but not with k = 3.
    const snapshots = readLines(sweepDir, run, 'snapshots.ndjson') as { t: number }[];
    const a2 = variantAlerts(run, 2);
    const a3 = variantAlerts(run, 3);
    const i = snapshots.findIndex((s) => expectedAt(a2, s.t).detectors.includes('ewma') && !expectedAt(a3, s.t).detectors.includes('ewma'));
    assert.ok(i >= 0, 'such an interval exists');
    const t = snapshots[i]!.t;
    await showInterval(i);
    await page.waitForSelector('#interval-alarms tbody tr');
    assert.deepEqual(await shownAlarms(), expectedAt(a2, t));
    assert.ok(expectedAt(a2, t).blamed.length > 0);
    assert.match((await page.textContent('#interval-label'))!, new RegExp(`${expectedAt(a2, t).detectors.length} alarms?`));

    await page.selectOption('#variant-select', 'k=3');
    await page.waitForFunction(() => location.hash.endsWith('?variant=k%3D3'));
    await page.waitForFunction((want) => [...document.querySelectorAll('#summary-table tbody tr')].some((tr: any) => tr.cells[0].textContent === 'ewma' && tr.cells[1].textContent === want), String(k3.tp));
    assert.deepEqual(await ewmaCounts(), [String(k3.tp), String(k3.fp)]);
    await showInterval(i);
    await page.waitForFunction(() => document.querySelector('#interval-alarms') !== null || document.querySelector('#interval-no-alarm') !== null);
    assert.deepEqual(await shownAlarms(), expectedAt(a3, t));

    // An interval without any alarm: nothing blamed.
    const quiet = snapshots.findIndex((s) => expectedAt(a3, s.t).detectors.length === 0);
    await showInterval(quiet);
    await page.waitForSelector('#interval-no-alarm');
    assert.deepEqual(await shownAlarms(), { detectors: [], blamed: [] });
  });

  it('reads a sweep folder given as the data folder: its runs replayed (several replays each), the sweep itself listed', async () => {
    const own = await startDashboard({ dataDir: sweepDir, port: 0 });
    try {
      await page.goto(`${own.url}#/runs`);
      await page.waitForSelector('#runs-table tbody tr');
      const runs = await cellsOf(page, '#runs-table');
      assert.deepEqual(runs.map((r) => r[0]).sort(), [...SWEEP.runs].sort());
      for (const r of runs) assert.match(r[7]!, /\(F1 .*, best of 2 replays$/);
      assert.equal(await page.textContent('#status'), `2 runs, 1 sweep in ${sweepDir}`);
      await page.click(`#sweeps-table a:text-is("${SWEEP.name}")`);
      await page.waitForSelector('#sweep-runs-table a.run-link');
      assert.deepEqual(await page.$$eval('#sweep-runs-table a.run-link', (as) => as.map((a) => a.getAttribute('href'))), SWEEP.runs.map((r) => `#/runs/${encodeURIComponent(r)}`));
      await page.click(`#sweep-runs-table a:text-is("${SWEEP.runs[1]}")`);
      await page.waitForSelector('#variant-select');
      await page.waitForLoadState('networkidle');
    } finally {
      // Leave the page before its server goes, so no request of it is refused.
      await page.goto('about:blank');
      await own.close();
    }
  });

  it('holds at 1300 px: no page wider than the window, names on one line', async () => {
    writeHostileRun(tmp.dir);
    const snapshots = readLines(sweepDir, SWEEP.runs[0], 'snapshots.ndjson') as { edges: unknown[] }[];
    const busiest = snapshots.reduce((best, s, i) => (s.edges.length > snapshots[best]!.edges.length ? i : best), 0);
    const pages = ['#/runs', '#/runs/cybermonday', `#/sweeps/${SWEEP.name}`, `#/sweeps/${SWEEP.name}/runs/${encodeURIComponent(SWEEP.runs[0])}`];
    for (const route of pages) {
      await page.goto(`${dashboard.url}${route}`);
      await page.waitForLoadState('networkidle');
      if (route.includes('/runs/')) {
        await page.waitForSelector('#run-charts figure.chart');
        await showInterval(route.startsWith('#/sweeps') ? busiest : 20);
        await page.waitForSelector('#interval-edges tbody tr');
      }
      const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: document.documentElement.clientWidth }));
      assert.ok(widths.page <= widths.window, `${route}: page ${widths.page} px wide in a ${widths.window} px window`);
      // Each name cell's text sits on one line (no letter-by-letter or mid-word wrapping).
      const broken = await page.evaluate(() => {
        const out: string[] = [];
        for (const td of document.querySelectorAll('#runs-table td:first-child, #interval-edges td:nth-child(-n+2), #summary-table td:first-child, #sweep-comparison-table td:first-child')) {
          const range = document.createRange();
          range.selectNodeContents(td);
          const tops = new Set([...range.getClientRects()].map((r: any) => Math.round(r.top)));
          if (tops.size > 1) out.push(td.textContent);
        }
        return out;
      });
      assert.deepEqual(broken, [], `${route}: names wrapped`);
    }
  });

  it("lays the report out at 1300 px: tables scroll in their box, headers and outcomes never break mid-word", async () => {
    const runDir = join(tmp.dir, 'cybermonday');
    const { htmlPath } = await writeReport({ runDir, replayDir: join(runDir, 'replay'), progress: false });
    await page.goto(pathToFileURL(htmlPath).href);
    const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, window: document.documentElement.clientWidth }));
    assert.ok(widths.page <= widths.window, `report: page ${widths.page} px wide in a ${widths.window} px window`);
    const broken = await page.evaluate(() => {
      const out: string[] = [];
      for (const cell of document.querySelectorAll('thead th, td.hit, td.miss, table.numbers th')) {
        // Lines of its text (a swatch beside the text is not a line of it).
        const tops = new Set<number>();
        for (const node of cell.childNodes) {
          if (node.nodeType !== 3) continue;
          const range = document.createRange();
          range.selectNodeContents(node);
          for (const r of range.getClientRects()) tops.add(Math.round(r.top));
        }
        if (tops.size > 1) out.push(cell.textContent);
      }
      return out;
    });
    assert.deepEqual(broken, []);
    // The attack table (a column per detector) may be wider than the text column: it scrolls inside its box.
    assert.equal(await page.$eval('#attacks ~ table', (t: any) => getComputedStyle(t).overflowX), 'auto');
  });

  it('had no script error on any page', () => {
    assert.deepEqual(problems, []);
  });
});

// Bug: Unicode bidi controls in names were left as they are in report.html and the dashboard,
// so a node named `ext\u202Egnp.exe` (a right-to-left override) made the edge
// `ext\u202Egnp.exe → front-end` display as "extdne-tnorf → exe.png": a spoofed edge, the arrow's
// sides swapped. HTML escaping is right (they are not markup) but not enough. Every embedding,
// override, isolate and mark (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) is now
// written out as its code (`\u202E`) in the report's text and attributes, in chart text, and in
// the dashboard's text and titles (one function, visibleBidi). The dashboard part runs in
// headless Chromium; skipped without it, except under CI=true.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startDashboard, type Dashboard } from '../../src/dashboard/index.ts';
import { shortName } from '../../src/report/charts/index.ts';
import { escapeHtml, html, writeReport } from '../../src/report/index.ts';
import { CHROMIUM, CHROMIUM_ARGS, chromiumMissing } from '../dashboard/helpers.ts';
import { writeFakeReplay, type FakeSnapshot } from '../report/fakeReplay.ts';
import { writeRun } from '../report/runFixture.ts';
import { captureLog, makeTempDir } from '../util.ts';

// Page functions run in the browser; the project's types have no DOM.
declare const document: any;

const RLO_NAME = 'ext\u202egnp.exe';
/** Every bidi control, each written out as the report and the dashboard must show it. */
const CONTROLS: readonly (readonly [string, string])[] = [
  ['\u061c', '\\u061C'], ['\u200e', '\\u200E'], ['\u200f', '\\u200F'],
  ['\u202a', '\\u202A'], ['\u202b', '\\u202B'], ['\u202c', '\\u202C'], ['\u202d', '\\u202D'], ['\u202e', '\\u202E'],
  ['\u2066', '\\u2066'], ['\u2067', '\\u2067'], ['\u2068', '\\u2068'], ['\u2069', '\\u2069'],
];
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const tmp = makeTempDir('munnin-bidi-html-');
after(() => tmp.remove());

/** A small run (40 intervals of 2 s) whose exit node's name holds a right-to-left override, with a fake replay. */
function writeBidiRun(runDir: string): void {
  const snapshots: FakeSnapshot[] = Array.from({ length: 40 }, (_, i) => ({
    t: 1000 + 2 * (i + 1),
    dt: 2,
    edges: [
      { src: RLO_NAME, dst: 'front-end', request_bytes: 700, response_bytes: 30_000 + 1000 * (i % 6) + (i === 30 ? 400_000 : 0) },
      { src: 'front-end', dst: 'user', request_bytes: 500 + 11 * (i % 3), response_bytes: 8000 + 300 * (i % 4) },
    ],
  }));
  writeRun(runDir, { name: 'bidi', intervalSeconds: 2, metrics: ['request_bytes', 'response_bytes'], services: ['front-end', 'user', RLO_NAME] }, snapshots, [
    { kind: 'exfiltration', start: 1060, end: 1062, bytes: 400_000, method: 'api', path: ['user', 'front-end', RLO_NAME] },
  ]);
  writeFakeReplay(runDir, join(runDir, 'replay'), [{ name: 'ewma', threshold: 100_000, score: (s) => Number(s.edges[0]?.['response_bytes'] ?? 0) }], 5);
}

describe('bidi controls in names', () => {
  it('are written out by the HTML escaping and in chart text, each as its code', () => {
    for (const [c, shown] of CONTROLS) {
      assert.equal(escapeHtml(`a${c}b`), `a${shown}b`);
      assert.equal(shortName(`a${c}b`), `a${shown}b`);
    }
    assert.equal(html`<td>${RLO_NAME} → front-end</td>`.value, '<td>ext\\u202Egnp.exe → front-end</td>');
    assert.equal(escapeHtml('<front-end> & "user"'), '&lt;front-end&gt; &amp; &quot;user&quot;');
  });

  it('report.html holds none of them, and shows the edge in its order', async () => {
    const runDir = join(tmp.dir, 'report', 'bidi');
    writeBidiRun(runDir);
    const report = await writeReport({ runDir, replayDir: join(runDir, 'replay'), progress: false });
    const page = readFileSync(report.htmlPath, 'utf8');
    assert.doesNotMatch(page, BIDI);
    assert.ok(page.includes('ext\\u202Egnp.exe → front-end'), 'the edge, its override written out');
  });
});

const missing = chromiumMissing();
const skip = missing !== undefined && process.env['CI'] !== 'true' ? missing : false;

describe('bidi controls in names on the dashboard', { skip, timeout: 120_000 }, () => {
  const dataDir = join(tmp.dir, 'dashboard');
  const log = captureLog();
  let dashboard: Dashboard;
  let browser: Browser;

  before(async () => {
    if (missing) throw new Error(`${missing}; CI=true requires it`);
    mkdirSync(dataDir, { recursive: true });
    writeBidiRun(join(dataDir, 'bidi'));
    dashboard = await startDashboard({ dataDir, port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await dashboard?.close();
    log.restore();
  });

  it('shows them written out in the run page\'s text and titles, never raw', async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    await page.goto(`${dashboard.url}#/runs/bidi`);
    await page.waitForSelector('#run-events tbody tr');
    // Every visible text and every title on the page (data-* attributes are keys, not shown).
    const shown: string[] = await page.evaluate(() => [document.body.innerText, ...[...document.querySelectorAll('[title], title')].map((n: any) => n.getAttribute('title') ?? n.textContent)]);
    assert.ok(shown.every((s) => !BIDI.test(s)), 'no raw bidi control shown');
    assert.ok(shown[0]!.includes('ext\\u202Egnp.exe'), 'the name shown with its override written out');
    await page.close();
  });
});

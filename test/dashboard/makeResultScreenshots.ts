// Not a test: makes the README's pictures of the recorded-run pages (docs/dashboard-*.png)
// from runs on disk, in real headless Chromium. Run it by hand after an experiment, a replay
// and a replayed sweep:
//   node --import tsx test/dashboard/makeResultScreenshots.ts <data folder> <out folder> '<page>|<file>[@<width>x<height>]' ...
// where <page> is the dashboard's hash route (#/sweeps/exfil-size, #/runs/run1, ...); an
// optional `#step=<n>` after it moves the interval slider to interval n (1-based) first, and
// `#sel=<css>` shoots that element only; `@<width>x<height>` sets the window (default 1300x900).
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startDashboard } from '../../src/dashboard/index.ts';
import { CHROMIUM, CHROMIUM_ARGS } from './helpers.ts';

// Page functions (evaluate, waitForFunction) run in the browser; the project's types have no DOM.
declare const document: any;

const [dataDir, outDir, ...shots] = process.argv.slice(2);
if (!dataDir || !outDir || shots.length === 0) throw new Error("usage: makeResultScreenshots.ts <data folder> <out folder> '<#/route>|<file.png>[@<width>x<height>]' ...");
const dashboard = await startDashboard({ dataDir, port: 0 });
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
try {
  for (const shot of shots) {
    const m = /^(#[^|]*?)(?:#step=(\d+))?(?:#sel=([^|]+))?\|([^@]+)(?:@(\d+)x(\d+))?$/.exec(shot);
    if (!m) throw new Error(`bad shot ${shot}`);
    const [, route, step, selector, file, width, height] = m;
    const page = await browser.newPage({ viewport: { width: Number(width ?? 1300), height: Number(height ?? 900) } });
    await page.goto(`${dashboard.url}${route}`);
    await page.waitForLoadState('networkidle');
    if (step !== undefined) {
      await page.waitForSelector('#interval-slider');
      await page.$eval('#interval-slider', (el, v) => {
        (el as unknown as { value: string }).value = String(v);
        el.dispatchEvent(new Event('input'));
      }, Number(step) - 1);
      await page.waitForFunction((n) => document.querySelector('#interval-label')?.textContent?.startsWith(`Interval ${n} of `), Number(step));
    }
    await page.waitForTimeout(500);
    const path = join(outDir, file!);
    if (selector) await (await page.waitForSelector(selector)).screenshot({ path });
    else await page.screenshot({ path });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    process.stdout.write(`written: ${path} (page overflow ${overflow} px)\n`);
    await page.close();
  }
} finally {
  await browser.close();
  await dashboard.close();
}

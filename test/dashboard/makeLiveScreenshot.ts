// Not a test: makes docs/dashboard-live.png, the README's picture of the live view, from a
// real one-minute experiment on the embedded mesh. Run it by hand:
//   node --import tsx test/dashboard/makeLiveScreenshot.ts [out.png]
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { resolveParameters } from '../../src/config/index.ts';
import { startExperimentDashboard } from '../../src/dashboard/index.ts';
import { runExperiment } from '../../src/experiment/index.ts';
import { makeTempDir } from '../util.ts';
import { CHROMIUM, CHROMIUM_ARGS } from './helpers.ts';

// Page functions (evaluate, waitForFunction) run in the browser; the project's types have no DOM.
declare const document: any;

const out = process.argv[2] ?? join(import.meta.dirname, '..', '..', 'docs', 'dashboard-live.png');
const tmp = makeTempDir('munnin-screenshot-');
const params = resolveParameters({
  outputDir: tmp.dir,
  durationSeconds: 60,
  intervalSeconds: 2,
  telemetry: { source: 'scrape' },
  traffic: { generator: 'builtin', users: 8, shape: 'constant', thinkTimeScale: 0.3 },
  exfiltration: [
    { atSeconds: 30, bytes: 400_000, method: 'api' },
    { atSeconds: 48, bytes: 300_000, method: 'egress', workload: 'user' },
  ],
  detectors: { trainingSeconds: 16, enabled: ['control-chart', 'ewma', 'new-edge', 'pca-subspace'] },
});
const live = await startExperimentDashboard({ params, runName: 'screenshot', port: 0 });
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1250 } });
  await page.goto(`${live.dashboard.url}#/live`);
  const running = runExperiment(params, 'screenshot', { progress: false, ...live.hooks });
  // The egress exfiltration's interval judged: the edges its alarms blame are red in the graph.
  await page.waitForFunction(() => Number(document.querySelector('#live-progress-text')?.textContent?.match(/^(\d+) /)?.[1]) >= 24 && document.querySelector('.service-graph .edge-blamed') !== null, null, { timeout: 120_000 });
  await page.waitForTimeout(400);
  await page.screenshot({ path: out });
  live.end(await running);
  process.stdout.write(`written: ${out}\n`);
} finally {
  await browser.close();
  await live.dashboard.close();
  tmp.remove();
}

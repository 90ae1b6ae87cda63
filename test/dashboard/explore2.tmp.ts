import { chromium } from 'playwright-core';
import { startDashboard } from '../../src/dashboard/index.ts';
import type { Snapshot } from '../../src/types.ts';
const d = await startDashboard({ dataDir: 'test/fixtures/dashboard/runs', port: 0 });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'] });
const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
page.on('console', (m) => console.log('console', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror', e.message));
d.hub.begin({ name: 'live1', intervalSeconds: 2, durationSeconds: 40, plannedIntervals: 20, metrics: ['request_bytes', 'response_bytes'], detectors: ['ewma', 'new-edge'], trainingSeconds: 6, exfiltration: [{ atSeconds: 20, bytes: 100000, method: 'api' }, { atSeconds: 30, bytes: 100000, method: 'egress', workload: 'user' }], ewma: { lambda: 0.2, k: 3 }, target: 'embedded', startedAt: new Date().toISOString() });
await page.goto(d.url);
await page.waitForSelector('#live-content');
const t0 = 1_800_000_000;
for (let i = 1; i <= 14; i++) {
  const t = t0 + 2 * i;
  const edges = [
    { src: 'external', dst: 'front-end', values: { request_bytes: 5000 + 100 * (i % 3), response_bytes: 80000 + 3000 * (i % 4) } },
    { src: 'front-end', dst: 'catalogue', values: { request_bytes: 2000, response_bytes: 30000 + 1000 * (i % 5) } },
    { src: 'catalogue', dst: 'catalogue-db', values: { request_bytes: 900, response_bytes: 20000 } },
    { src: 'front-end', dst: 'user', values: { request_bytes: 1000, response_bytes: 9000 + (i === 11 ? 100000 : 0) } },
    { src: 'user', dst: 'user-db', values: { request_bytes: 600, response_bytes: 7000 + (i === 11 ? 90000 : 0) } },
    ...(i === 11 ? [{ src: 'user', dst: 'external', values: { request_bytes: 100000, response_bytes: 10 } }] : []),
  ];
  const s: Snapshot = { t, dt: 2, gap: i === 5, edges: i === 5 ? [] : edges };
  d.hub.snapshot(s);
  for (const det of ['ewma', 'new-edge']) {
    const training = i <= 3;
    const alarm = i === 11;
    d.hub.verdict({ t, dt: 2, detector: det, score: training || i === 5 ? NaN : alarm ? (det === 'new-edge' ? Infinity : 9) : 1 + (i % 3) / 2, threshold: training || i === 5 ? NaN : 3, alarm, training, gap: i === 5, blamed: alarm ? [{ src: det === 'new-edge' ? 'user' : 'front-end', dst: det === 'new-edge' ? 'external' : 'user', score: 5 }] : [] });
  }
  if (i === 11) d.hub.event({ kind: 'exfiltration', start: t0 + 20.1, end: t0 + 21.5, bytes: 100000, method: 'api', atSeconds: 20, path: ['user-db', 'user', 'front-end', 'external'] });
}
await page.waitForTimeout(800);
console.log(await page.textContent('#live-progress-text'));
await page.screenshot({ path: '/tmp/live.png', fullPage: true });
await browser.close();
await d.close();

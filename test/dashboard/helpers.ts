// Helpers of the dashboard tests: HTTP and SSE clients, fixture runs, headless Chromium.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { startDashboard, type Dashboard } from '../../src/dashboard/index.ts';
import type { Browser, Page } from 'playwright-core';
import { findBinary } from '../../src/telemetry/findBinary.ts';
import { captureLog, makeTempDir } from '../util.ts';

export const FIXTURE_RUNS = join(import.meta.dirname, '..', 'fixtures', 'dashboard', 'runs');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];

/** undefined when Chromium can run here; else why not (with CI=true the caller must fail instead of skipping). */
export function chromiumMissing(): string | undefined {
  return findBinary(CHROMIUM) ? undefined : `${CHROMIUM} is not installed (apt-get install -y chromium)`;
}

/** http://host:port/path → request options with the path exactly as written (no dot-segment normalising). */
function rawTarget(url: string): { hostname: string; port: number; path: string } {
  const m = /^http:\/\/([^/:]+):(\d+)(\/.*)?$/.exec(url);
  if (!m) throw new Error(`test URL ${url}: expected http://host:port/path`);
  return { hostname: m[1]!, port: Number(m[2]), path: m[3] ?? '/' };
}

/** GET a URL (path sent as written); the status, the headers and the body parsed as JSON when it is JSON. */
export async function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string; json: any }> {
  return new Promise((resolve, reject) => {
    const req = request({ ...rawTarget(url), method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export interface SseMessage {
  readonly type: string;
  readonly data: any;
}

/** A Server-Sent Events client collecting every message. */
export function sseClient(url: string): { messages: SseMessage[]; waitFor(pred: (m: SseMessage[]) => boolean, timeoutMillis?: number): Promise<void>; ended: Promise<void>; close(): void } {
  const messages: SseMessage[] = [];
  const waiters: (() => void)[] = [];
  let endedResolve!: () => void;
  const ended = new Promise<void>((r) => (endedResolve = r));
  let buffer = '';
  const req = request(url, { headers: { accept: 'text/event-stream' }, agent: false }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let cut = buffer.indexOf('\n\n');
      while (cut !== -1) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (type && data !== undefined) messages.push({ type, data: JSON.parse(data) });
        cut = buffer.indexOf('\n\n');
      }
      for (const w of waiters.splice(0)) w();
    });
    res.on('end', () => endedResolve());
    res.on('close', () => endedResolve());
  });
  req.on('error', () => endedResolve());
  req.end();
  return {
    messages,
    ended,
    async waitFor(pred, timeoutMillis = 10_000) {
      const deadline = Date.now() + timeoutMillis;
      while (!pred(messages)) {
        if (Date.now() > deadline) throw new Error(`SSE: condition not met in ${timeoutMillis} ms; got ${messages.map((m) => m.type).join(',')}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100).unref();
        });
      }
    },
    close: () => req.destroy(),
  };
}

/** Copy the fixture runs into `dir` (a data folder the test may change). */
export function copyFixtureRuns(dir: string): void {
  cpSync(FIXTURE_RUNS, dir, { recursive: true });
}

/**
 * A dashboard on 127.0.0.1 (a free port) over a temporary data folder that `fill` prepares,
 * started before the enclosing suite's tests and closed after them, the log captured meanwhile.
 * `base`: its URL without the trailing slash.
 */
export function servedDashboard(prefix: string, fill: (dataDir: string) => void | Promise<void> = () => {}): { readonly dir: string; readonly dashboard: Dashboard; readonly base: string } {
  const tmp = makeTempDir(prefix);
  const log = captureLog();
  let dashboard: Dashboard | undefined;
  before(async () => {
    await fill(tmp.dir);
    dashboard = await startDashboard({ dataDir: tmp.dir, port: 0 });
  });
  after(async () => {
    await dashboard?.close();
    log.restore();
    tmp.remove();
  });
  return {
    dir: tmp.dir,
    get dashboard() {
      return dashboard!;
    },
    get base() {
      return dashboard!.url.replace(/\/$/, '');
    },
  };
}

/** Names that would run script if any of them were ever parsed as HTML. */
export const HOSTILE = {
  run: '<img src=z onerror="window.__pwned=(window.__pwned||0)+1"> run',
  img: '<img src=x onerror="window.__pwned=(window.__pwned||0)+1">',
  script: '<script>window.__pwned=(window.__pwned||0)+1</script>',
  svg: '"><svg onload="window.__pwned=(window.__pwned||0)+1">',
  detector: '<img src=y onerror="window.__pwned=(window.__pwned||0)+1">-detector',
} as const;

/** A complete, replayed run whose workloads, detector and run name are hostile markup. */
export function writeHostileRun(dataDir: string): string {
  const dir = join(dataDir, HOSTILE.run);
  mkdirSync(join(dir, 'replay'), { recursive: true });
  const t0 = 1_800_000_000;
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ format: 'munnin-run/1', name: HOSTILE.run, createdAt: '2026-11-21T00:00:00.000Z', intervalSeconds: 5, metrics: ['request_bytes', 'response_bytes'], services: ['front-end', HOSTILE.img, HOSTILE.script], source: { kind: HOSTILE.svg }, complete: true }));
  const lines = [1, 2, 3, 4].map((i) =>
    JSON.stringify({
      t: t0 + 5 * i,
      dt: 5,
      edges: [
        { src: 'front-end', dst: HOSTILE.img, request_bytes: 1000 * i, response_bytes: 5000 },
        { src: HOSTILE.img, dst: HOSTILE.script, request_bytes: 400, response_bytes: 9000 * i },
        ...(i === 3 ? [{ src: HOSTILE.script, dst: HOSTILE.svg, request_bytes: 50000, response_bytes: 10 }] : []),
      ],
    }),
  );
  writeFileSync(join(dir, 'snapshots.ndjson'), `${lines.join('\n')}\n`);
  writeFileSync(join(dir, 'events.ndjson'), `${JSON.stringify({ kind: 'exfiltration', start: t0 + 11, end: t0 + 14, bytes: 50000, path: [HOSTILE.script, HOSTILE.svg], method: HOSTILE.img })}\n`);
  const d = { tp: 1, fp: 0, tn: 2, fn: 0, tpr: 1, fpr: 0, precision: 1, f1: 1, auc: 1, events: { detected: 1, total: 1, meanDelaySeconds: 1 } };
  writeFileSync(join(dir, 'replay', 'summary.json'), JSON.stringify({ run: HOSTILE.run, intervals: 4, scoredIntervals: 3, attackIntervals: 1, detectors: { [HOSTILE.detector]: d } }));
  const csvName = `"${HOSTILE.detector.replaceAll('"', '""')}"`;
  writeFileSync(join(dir, 'replay', 'scores.csv'), `t,detector,score,threshold,alarm\n${[2, 3, 4].map((i) => `${t0 + 5 * i},${csvName},${i === 3 ? 9 : 1},3,${i === 3}`).join('\n')}\n`);
  writeFileSync(join(dir, 'replay', 'alerts.ndjson'), `${JSON.stringify({ t: t0 + 15, dt: 5, detector: HOSTILE.detector, score: 9, threshold: 3, attack: true, blamed: [{ src: HOSTILE.script, dst: HOSTILE.svg, score: 9 }] })}\n`);
  return dir;
}

/**
 * A 1300 × 900 page of `browser` on which any script error or console error (and, with
 * `dialogs`, any dialog, dismissed) is pushed to `problems`: a failure of the page, for the test
 * to assert there are none.
 */
export async function watchedPage(browser: Browser, problems: string[], options: { readonly dialogs?: boolean } = {}): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  if (options.dialogs) {
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
  }
  return page;
}

// Remakes docs/dashboard-sweep.png, the README's picture of the dashboard's sweep page, from
// the current dashboard: records a small sweep on the embedded mesh (2 exfiltration sizes × 1
// repeat, 150 s each, as the default run; ewma's k 2 and 3 swept when replaying), replays it,
// serves it with `npm run dashboard` and shoots the sweep page, whole, in headless Chromium
// (playwright-core, as the browser tests). About six minutes, mostly the recording.
//
//   node scripts/screenshots.mjs [--out <file.png>] [--data <folder> [--sweep <name>]]
//
// --out: where the picture goes (default docs/dashboard-sweep.png). --data: a folder that
// already holds the replayed sweep `exfil-size` (as this script leaves it in the temporary folder
// it names), or the one --sweep names: it is shot again without recording (a test does so on
// the dashboard tests' sweep, so the script cannot rot unseen). Commands run as `npm run` runs
// them (dist/cli/*.js, rebuilt first when stale). Needs Chromium (apt-get install chromium).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const ROOT = join(import.meta.dirname, '..');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];
const RECORDED = 'exfil-size';
// The page's width in the README (the dashboard holds from 1024 to 1920 px; the browser tests check 1300).
const WIDTH = 1300;

// The sweep shown: the default run's timing and exfiltrations, at two sizes; a detector-side axis
// so the page has its per-value F1 charts. Written as a plain module (no types to compile).
const PARAMETERS = `export const parameters = {
  outputDir: 'experimental_data',
  durationSeconds: 150,
  intervalSeconds: 2,
  traffic: { users: 12, shape: 'normal' },
  exfiltration: [
    { atSeconds: 90.1, bytes: 400000, method: 'api' },
    { atSeconds: 120.1, bytes: 400000, method: 'egress', workload: 'user' },
  ],
  detectors: { trainingSeconds: 60 },
};
export const sweep = {
  name: '${RECORDED}',
  repeats: 1,
  axes: {
    bytes: { path: 'exfiltration[*].bytes', values: [100000, 400000] },
    k: { path: 'detectors.options.ewma.k', values: [2, 3] },
  },
};
`;

const { values: flags } = parseArgs({ options: { out: { type: 'string' }, data: { type: 'string' }, sweep: { type: 'string' } } });
const out = resolve(flags.out ?? join(ROOT, 'docs', 'dashboard-sweep.png'));
if (flags.sweep !== undefined && flags.data === undefined) throw new Error('--sweep names a sweep of --data: give both');
const SWEEP = flags.sweep ?? RECORDED;
if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is not installed (apt-get install -y chromium)`);

/** Run one of munnin's commands as `npm run <command>` does, in `cwd`; resolves when it exits 0. */
function command(name, args, cwd, onStderr) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'cli', `${name}.js`), ...args], { cwd, stdio: ['ignore', 'inherit', onStderr ? 'pipe' : 'inherit'] });
    if (onStderr) child.stderr.on('data', (d) => onStderr(d.toString(), child));
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolveRun() : reject(new Error(`npm run ${name} ${args.join(' ')}: exit ${code ?? signal}`))));
  });
}

let dataDir;
if (flags.data) dataDir = resolve(flags.data);
else {
  const work = mkdtempSync(join(tmpdir(), 'munnin-screenshots-'));
  writeFileSync(join(work, 'parameters.mjs'), PARAMETERS);
  process.stderr.write(`recording the sweep in ${work} (kept: shoot it again with --data ${join(work, 'experimental_data')})\n`);
  await command('experiment', ['--sweep', '--parameters', 'parameters.mjs'], work);
  await command('replay', [join('experimental_data', RECORDED), '--quiet'], work);
  dataDir = join(work, 'experimental_data');
}
if (!existsSync(join(dataDir, SWEEP, 'comparison.json'))) throw new Error(`${join(dataDir, SWEEP)}: no replayed sweep there (comparison.json missing)`);

// The dashboard from the data folder's parent, so the page names the folder as a user's would
// (experimental_data/exfil-size), not as a temporary path.
const dataName = basename(dataDir);
let dashboard;
// Stopped from outside (a test's time-out): the dashboard goes too, or it would serve on unseen.
process.once('SIGTERM', () => {
  dashboard?.kill('SIGTERM');
  process.exit(143);
});
const url = await new Promise((found, failed) => {
  let said = '';
  command('dashboard', ['--data', dataName, '--port', '0'], dirname(dataDir), (text, child) => {
    dashboard = child;
    said += text;
    const m = /dashboard: (http:\/\/\S+)/.exec(said);
    if (m) found(m[1]);
  }).then(() => failed(new Error(`the dashboard stopped before serving:\n${said}`)), failed);
});
// Inside the try: a browser that fails to start must not leave the dashboard serving.
let browser;
try {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: WIDTH, height: 900 } });
  await page.goto(`${url}#/sweeps/${SWEEP}`);
  // Drawn: the comparison table, the F1 charts (one per detector-side value) and their legends under them.
  await page.waitForSelector('#sweep-comparison-table tbody tr');
  await page.waitForFunction(() => {
    const figures = [...document.querySelectorAll('#sweep-comparison figure.chart')];
    return figures.length > 0 && figures.every((f) => f.querySelector('canvas') && f.querySelectorAll('.chart-legend li').length > 0);
  });
  await page.waitForLoadState('networkidle');
  // chart.js animates its first drawing.
  await page.waitForTimeout(1000);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  if (overflow > 0) throw new Error(`the sweep page is ${overflow} px wider than ${WIDTH} px: it would be cut`);
  await page.screenshot({ path: out, fullPage: true });
  process.stdout.write(`written: ${out}\n`);
} finally {
  await browser?.close();
  // SIGTERM, a program's stop: a stale build's command runs in a child of the process started
  // here (scripts/freshBuild.mjs), which passes SIGTERM on but not SIGINT (a terminal's Ctrl-C).
  dashboard?.kill('SIGTERM');
}

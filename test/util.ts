// Helpers shared by the tests, one section per part of the code they serve.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from, toArray, type OperatorFunction, type VirtualTimeScheduler } from 'rxjs';
import { recordSnapshots } from '../src/experiment/recordSnapshots.ts';
import { loadResidualParameters } from '../src/detectors/series/loadResidualOptions.ts';
import { vectorize } from '../src/detectors/vectorize.ts';
import { createDetectors } from '../src/detectors/createDetectors.ts';
import { runDetectors } from '../src/detectors/runDetectors.ts';
import { detectorsSchema } from '../src/config/schema.ts';
import { setLogSink, type LogLevel } from '../src/logger.ts';
import { mulberry32 } from '../src/mulberry32.ts';
import { decodeSnapshot, readEvents, readManifest, readSnapshots } from '../src/store/index.ts';
import { findBinary } from '../src/telemetry/findBinary.ts';
import type { CounterSample, Frame, MetricKey, RunEvent, RunManifest, Snapshot, TelemetryRead, TelemetrySource, Verdict } from '../src/types.ts';

// ---- replay/store/evaluation helpers --------------------------------------------------

/** Collect what goes through src/logger.ts until `restore()`. */
export function captureLog(): { readonly messages: { level: LogLevel; message: string }[]; text(level?: LogLevel): string; restore(): void } {
  const messages: { level: LogLevel; message: string }[] = [];
  const restore = setLogSink((level, message) => messages.push({ level, message }));
  return { messages, text: (level) => messages.filter((m) => level === undefined || m.level === level).map((m) => m.message).join('\n'), restore };
}

/** A fresh temporary directory and a function removing it. */
export function makeTempDir(prefix = 'munnin-test-'): { readonly dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A recorded run read back as a reader of the format sees it: manifest, snapshots, events. */
export async function readRunBack(dir: string): Promise<{ manifest: RunManifest; snapshots: Snapshot[]; events: RunEvent[] }> {
  const manifest = await readManifest(dir);
  const snapshots: Snapshot[] = [];
  for await (const s of readSnapshots(dir, manifest.metrics)) snapshots.push(s);
  return { manifest, snapshots, events: await readEvents(dir) };
}

/** Write a run directory from literal contents (files left out are not written). */
export function writeRunFiles(dir: string, files: { readonly manifest?: unknown; readonly manifestText?: string; readonly snapshots?: string; readonly events?: string }): string {
  mkdirSync(dir, { recursive: true });
  if (files.manifestText !== undefined) writeFileSync(join(dir, 'run.json'), files.manifestText);
  else if (files.manifest !== undefined) writeFileSync(join(dir, 'run.json'), JSON.stringify(files.manifest));
  if (files.snapshots !== undefined) writeFileSync(join(dir, 'snapshots.ndjson'), files.snapshots);
  if (files.events !== undefined) writeFileSync(join(dir, 'events.ndjson'), files.events);
  return dir;
}

// ---- detector helpers ------------------------------------------------------------------

/** One hand-made interval: `"src>dst": {metric: value}`, or 'gap'. */
export type HandInterval = Readonly<Record<string, Readonly<Record<string, number>>>> | 'gap';

/** Snapshots at t = start + i·dt from hand-made intervals (edge keys are "src>dst"). */
export function handSnapshots(intervals: readonly HandInterval[], options: { readonly start?: number; readonly dt?: number } = {}): Snapshot[] {
  const start = options.start ?? 0;
  const dt = options.dt ?? 1;
  return intervals.map((interval, i) => {
    const t = start + (i + 1) * dt;
    if (interval === 'gap') return { t, dt, gap: true, edges: [] };
    const edges = Object.entries(interval).map(([key, values]) => {
      const [src, dst] = key.split('>') as [string, string];
      return { src, dst, values };
    });
    return { t, dt, gap: false, edges };
  });
}

/** Run snapshots through vectorize and one detector synchronously; the verdicts in order. */
export function judgeSnapshots(snapshots: readonly Snapshot[], detector: OperatorFunction<Frame, Verdict>): Verdict[] {
  const out: Verdict[] = [];
  let failure: unknown;
  from(snapshots)
    .pipe(vectorize(), detector)
    .subscribe({ next: (v) => out.push(v), error: (e) => (failure = e) });
  if (failure !== undefined) throw failure;
  return out;
}

/** Seeded uniform [0, 1) generator: the same seed, the same sequence (the code base's own mulberry32). */
export function seededRandom(seed: number): () => number {
  return mulberry32(seed);
}

/** Standard normal draws (Box-Muller on a seeded uniform). */
export function gaussian(seed: number): () => number {
  const random = seededRandom(seed);
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Poisson(mean) draws from a seeded uniform (Knuth's product of uniforms: for small means). */
export function poissonDraws(seed: number, mean: number): () => number {
  const random = seededRandom(seed);
  const limit = Math.exp(-mean);
  return () => {
    let n = 0;
    for (let p = random(); p > limit; p *= random()) n++;
    return n;
  };
}

/** The frames a detector would read from `snapshots`. */
export function framesOf(snapshots: readonly Snapshot[]): Frame[] {
  let frames: Frame[] = [];
  from(snapshots).pipe(vectorize(), toArray()).subscribe((f) => (frames = f));
  return frames;
}

/** LoadResiduals' parameters: the defaults, with `options` over them. */
export const residualParameters = loadResidualParameters;

/** Fails unless |actual − expected| ≤ tolerance; `what` names the quantity in the message. */
export function assertClose(actual: number, expected: number, tolerance: number, what = ''): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what} ${actual} is not within ${tolerance} of ${expected}`);
}

/**
 * P(X > x) for X ~ gamma(shape, scale), by Simpson's rule on the density: a numerical method
 * of its own, not the incomplete-gamma code under test. tail = ∫_x^U f / ∫_0^U f with
 * f(z) = z^(a−1) e^(−z/θ), the normalising constant cancelling; U = 60θ·max(a, 1) leaves
 * < 1e-20 of the mass out. z = s² (dz = 2s ds) removes the singularity of z^(a−1) at 0 for
 * a < 1. With 200,000 steps the relative error is ~1e-13 for shapes ≥ 1 and ~1e-8 at 0.8,
 * where 2s·s^(2a−2) is not smooth at 0 (linalg.test.ts checks it against closed forms).
 */
export function gammaTail(shape: number, scale: number, x: number): number {
  const f = (z: number) => (z <= 0 ? 0 : Math.exp((shape - 1) * Math.log(z) - z / scale));
  const g = (s: number) => 2 * s * f(s * s);
  const simpson = (lo: number, hi: number, steps: number) => {
    const h = (hi - lo) / steps;
    let acc = g(lo) + g(hi);
    for (let i = 1; i < steps; i++) acc += (i % 2 ? 4 : 2) * g(lo + i * h);
    return (acc * h) / 3;
  };
  const upper = Math.sqrt(60 * scale * Math.max(shape, 1));
  return simpson(Math.sqrt(x), upper, 200_000) / simpson(0, upper, 200_000);
}

// ---- telemetry helpers -----------------------------------------------------------------

/**
 * The path of a real binary a test needs, or undefined after marking the test skipped with
 * how to install it. With CI=true a missing binary fails the test instead.
 */
export function requireBinaryOrSkip(t: { skip(message?: string): void }, name: string, aptPackage: string): string | undefined {
  const found = findBinary(name);
  if (found) return found;
  const message = `${name} is not installed (apt-get install -y ${aptPackage})`;
  if (process.env['CI'] === 'true') throw new Error(`${message}; CI=true requires it`);
  t.skip(message);
  return undefined;
}

/** A read's samples; fails the test (with the fault's reason) when the read is a fault. */
export function samplesOf(read: TelemetryRead): readonly CounterSample[] {
  assert.equal(read.kind, 'read', read.kind === 'fault' ? read.reason : '');
  return read.kind === 'read' ? read.samples : [];
}

/** A fault's reason; fails the test when the read is not a fault. */
export function reasonOf(read: TelemetryRead): string {
  assert.equal(read.kind, 'fault');
  return read.kind === 'fault' ? read.reason : '';
}

/** Sum of counter values per "metric src>dst" (several series of one edge added up). */
export function totals(samples: readonly CounterSample[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples) out[`${s.metric} ${s.src}>${s.dst}`] = (out[`${s.metric} ${s.src}>${s.dst}`] ?? 0) + s.value;
  return out;
}

/**
 * A live recording (recordSnapshots: `intervals` intervals of 2 s of `requests`) from `source`
 * in virtual time, run until nothing more is scheduled, letting the reads' promises settle after
 * each instant: the time its clock started, what onSnapshot was handed (what the run writer
 * writes), and whether the stream completed with exactly those snapshots.
 */
export async function recordInVirtualTime(source: TelemetrySource, scheduler: VirtualTimeScheduler, intervals: number): Promise<{ start: number | undefined; snapshots: Snapshot[]; completed: boolean }> {
  let start: number | undefined;
  const snapshots: Snapshot[] = [];
  const emitted: Snapshot[][] = [];
  recordSnapshots(source, { intervalSeconds: 2, intervals, metrics: ['requests'], scheduler, onStart: (t) => (start = t), onSnapshot: (s) => snapshots.push(s) })
    .pipe(toArray())
    .subscribe((all) => emitted.push(all));
  for (;;) {
    await new Promise((resolve) => setImmediate(resolve));
    const next = scheduler.actions[0]?.delay;
    if (next === undefined) break;
    scheduler.maxFrames = next;
    scheduler.flush();
  }
  const completed = emitted.length === 1;
  if (completed) assert.deepEqual(emitted[0], snapshots, 'subscribers see what onSnapshot wrote');
  return { start, snapshots, completed };
}

// ---- subspace detector helpers (eigenspace, pca-subspace) ------------------------------

/** Sock Shop-shaped call graph: caller, callee, bytes per user per interval. */
export const SOCK_SHOP_EDGES: readonly (readonly [string, string, number])[] = [
  ['external', 'front-end', 50000], ['front-end', 'catalogue', 20000], ['catalogue', 'catalogue-db', 8000],
  ['front-end', 'carts', 6000], ['carts', 'carts-db', 9000], ['front-end', 'orders', 3000], ['orders', 'orders-db', 4000],
  ['orders', 'user', 1500], ['orders', 'carts', 1200], ['orders', 'payment', 800], ['orders', 'shipping', 900],
  ['front-end', 'user', 5000], ['user', 'user-db', 7000], ['shipping', 'rabbitmq', 700], ['queue-master', 'rabbitmq', 600],
];

/**
 * Synthetic mesh traffic: every edge carries users × its bytes × (1 + 15 % noise), the number
 * of users drifting slowly (±30 %) with 10 % jitter. `extra(i)` adds bytes to `"src>dst"`
 * edges in interval i (new edges are created). Intervals are 2 s, from t = 1000.
 */
export function syntheticMesh(intervals: number, seed: number, extra: (i: number) => Readonly<Record<string, number>> = () => ({})): Snapshot[] {
  const random = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-300)) * Math.cos(2 * Math.PI * random());
  const out: Snapshot[] = [];
  for (let i = 0; i < intervals; i++) {
    const users = 10 * (1 + 0.3 * Math.sin(i / 15)) * (1 + 0.1 * gauss());
    const added = extra(i);
    const edges = SOCK_SHOP_EDGES.map(([src, dst, bytes]) => ({
      src,
      dst,
      values: { response_bytes: Math.max(0, users * bytes * (1 + 0.15 * gauss()) + (added[`${src}>${dst}`] ?? 0)) },
    }));
    for (const [key, bytes] of Object.entries(added)) {
      const [src, dst] = key.split('>') as [string, string];
      if (!SOCK_SHOP_EDGES.some(([s, d]) => s === src && d === dst)) edges.push({ src, dst, values: { response_bytes: bytes } });
    }
    out.push({ t: 1000 + 2 * (i + 1), dt: 2, gap: false, edges });
  }
  return out;
}

// ---- process helpers (children left running, a managed server's process) --------------

/** Pids of every descendant of `pid` (from /proc; zombies included, see `alive`). */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // exited while we looked
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** True while `pid` runs: it exists and is not a zombie. */
export function alive(pid: number): boolean {
  try {
    return existsSync(`/proc/${pid}`) && !/^\S+ \S+ Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/\(.*\)/, 'x'));
  } catch {
    return false;
  }
}

/** Live descendants of `of` (default: this process) running `command`, e.g. "prometheus" (/proc/<pid>/comm, which keeps 15 characters). */
export function runningDescendants(command: string, of: number = process.pid): number[] {
  return descendants(of).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === command.slice(0, 15) && alive(pid);
    } catch {
      return false;
    }
  });
}

/** The JSON file at path parts joined (the dashboard tests' expected values come from the files a replay wrote). */
export const readJson = (...path: string[]): any => JSON.parse(readFileSync(join(...path), 'utf8'));

/** The non-empty lines of an ndjson file at path parts joined, parsed. */
export const readNdjson = (...path: string[]): any[] =>
  readFileSync(join(...path), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));

// ---- real-time experiments ------------------------------------------------------------

/**
 * Run `work` while no other test process runs one of its own under the same `name`: a lock
 * directory in the temp folder holding the owner's pid (a dead owner's lock is taken over).
 * The end-to-end experiments record one interval per second in real time; two of them at once
 * on a 2-core machine (npm test runs two files at a time) starve each other's recorder and
 * the intervals stop being a second long, which is what those tests check.
 */
export async function exclusively<T>(name: string, work: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), `munnin-test-lock-${name}`);
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      let owner = Number.NaN;
      try {
        owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
      } catch {
        // Being created or removed right now: look again shortly.
      }
      if (Number.isInteger(owner) && owner > 0 && !alive(owner)) rmSync(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * The verdicts of the named detectors (default options, `trainingSeconds` of training) on a run
 * under test/fixtures/, its snapshots first passed through `transform` (e.g. an injection), and
 * the run's start (the first interval's t − dt): what the regression tests on recordings read.
 */
export function fixtureVerdicts(run: string, enabled: readonly string[], trainingSeconds: number, transform?: (snapshots: Snapshot[], metrics: MetricKey[]) => OperatorFunction<Snapshot, Snapshot>): { verdicts: Verdict[]; start: number } {
  const { snapshots, metrics } = fixtureRun(run);
  const detectors = createDetectors(detectorsSchema.parse({ enabled, trainingSeconds }));
  let verdicts: Verdict[] = [];
  const input = from(snapshots);
  (transform === undefined ? input : input.pipe(transform(snapshots, metrics)))
    .pipe(vectorize({ metrics }), runDetectors(detectors), toArray())
    .subscribe((v) => (verdicts = v));
  return { verdicts, start: snapshots[0]!.t - snapshots[0]!.dt };
}

/** The snapshots of a run under test/fixtures/, decoded as replay does (every line must decode), and its declared metrics (run.json). */
export function fixtureRun(run: string): { snapshots: Snapshot[]; metrics: MetricKey[] } {
  const fixture = new URL(`fixtures/${run}/`, import.meta.url);
  const { metrics } = JSON.parse(readFileSync(new URL('run.json', fixture), 'utf8')) as { metrics: MetricKey[] };
  const snapshots = readFileSync(new URL('snapshots.ndjson', fixture), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line): Snapshot => {
      const decoded = decodeSnapshot(JSON.parse(line), metrics);
      assert.ok(decoded.ok);
      return decoded.snapshot;
    });
  return { snapshots, metrics };
}

import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { mulberry32 } from '../mulberry32.ts';
import { RUN_FORMAT, snapshotToLine } from '../store/index.ts';
import type { Snapshot } from '../types.ts';
import type { InjectionWindow } from './injectExfiltration.ts';
import { poisson } from './poisson.ts';

/** The outside world of a Munnin-shaped run: an address, as minikube's bridge was in 2018. */
export const MUNNIN_SHAPED_OUTSIDE = '172.17.0.1';

/** Where Munnin's experiment pulled its data (its five exfiltrations' route). */
export const MUNNIN_SHAPED_PATH: readonly string[] = ['user-db', 'user', 'front-end', MUNNIN_SHAPED_OUTSIDE];

/** Munnin's slice, in seconds: the runs' interval. */
export const MUNNIN_SHAPED_INTERVAL_SECONDS = 5;

/** Seconds after the start at which Munnin's experiment launched its five exfiltrations, each one slice long. */
export const MUNNIN_SHAPED_OFFSETS_SECONDS: readonly number[] = [200, 205, 300, 310, 315];

/** Munnin's five exfiltrations as injection windows (replay's --inject), one slice each. */
export const MUNNIN_SHAPED_WINDOWS: readonly InjectionWindow[] = MUNNIN_SHAPED_OFFSETS_SECONDS.map((s) => ({
  startSeconds: s,
  endSeconds: s + MUNNIN_SHAPED_INTERVAL_SECONDS,
}));

/**
 * The same five exfiltrations, each half a slice later: a slice-long window straddling two
 * slices, so each attack's bytes fall half in one slice and half in the next (an injection's
 * bytes are spread over its window: see injectExfiltration), as the real 30 kB run spreads its
 * bytes over a slice and the next (../shared/data's README: "in the slice the event names or in
 * the next one"). The back-to-back attacks at 200/205 s and 310/315 s share a slice (ending at
 * 210 s, and at 320 s), which then holds a whole attack's bytes.
 */
export const MUNNIN_SHAPED_SPLIT_WINDOWS: readonly InjectionWindow[] = shiftWindows(MUNNIN_SHAPED_WINDOWS, MUNNIN_SHAPED_INTERVAL_SECONDS / 2);

/**
 * Munnin's schedule moved whole, seconds: the copies of `npm run quality`'s parts d-f, so that
 * each size meets five stretches of the one real background instead of one (25 attacks a size,
 * not 5). The spacing, and so each attack's effect on the limit the next one meets, is Munnin's.
 * The earliest first attack (160 s) comes after the first 20 judged slices of 60 s of training
 * (a limit may have no threshold before them: README "No threshold yet"); the latest schedule's
 * last attack (335 s) leaves its grace slice inside the 360-s run. Steps of 10-20 s put the
 * first attacks at every phase of a 15-s pattern the real benign run's front door repeats (3
 * slices: a quiet one, 18-36 kB of responses, every 15 s).
 */
export const MUNNIN_SCHEDULE_SHIFTS_SECONDS: readonly number[] = [-40, -30, -20, 0, 20];

/** `windows` moved by `seconds` (earlier when negative). A function declaration: hoisted, so the constants above can use it. */
export function shiftWindows(windows: readonly InjectionWindow[], seconds: number): InjectionWindow[] {
  return windows.map((w) => ({ startSeconds: w.startSeconds + seconds, endSeconds: w.endSeconds + seconds }));
}

/**
 * The calls of Sock Shop under Locust, as Munnin's description gives them: caller, callee,
 * requests per second per user, mean response bytes, log-sd of the response size, and whether
 * the edge's counters were cumulative per connection (a database's long-lived connection).
 */
const CALLS: readonly (readonly [string, string, number, number, number, boolean])[] = [
  [MUNNIN_SHAPED_OUTSIDE, 'front-end', 1.2, 2500, 1.1, false],
  ['front-end', 'catalogue', 0.5, 1500, 0.6, false],
  ['catalogue', 'catalogue-db', 0.5, 1200, 0.5, true],
  ['front-end', 'user', 0.25, 900, 0.5, false],
  ['user', 'user-db', 0.25, 800, 0.5, true],
  ['front-end', 'carts', 0.3, 700, 0.6, false],
  ['carts', 'carts-db', 0.3, 600, 0.5, true],
  ['front-end', 'orders', 0.08, 2000, 0.5, false],
  ['orders', 'orders-db', 0.08, 1500, 0.5, true],
  ['orders', 'user', 0.08, 1200, 0.5, false],
  ['orders', 'carts', 0.08, 900, 0.5, false],
  ['orders', 'payment', 0.08, 300, 0.3, false],
  ['orders', 'shipping', 0.08, 300, 0.3, false],
  ['shipping', 'rabbitmq', 0.08, 200, 0.3, false],
  ['queue-master', 'rabbitmq', 0.05, 200, 0.3, false],
  ['front-end', 'session-db', 1.0, 150, 0.3, true],
  ['load-test', 'front-end', 0.05, 3000, 1.0, false],
];

export interface MunninShapedRunOptions {
  /** Seed of the pseudo-random generator (same seed, same run). */
  readonly seed: number;
  /** Slices to write. Default 72 (Munnin's 360 s). */
  readonly intervals?: number;
  /** Locust users of background traffic. Default 12. */
  readonly users?: number;
  /** Slice length in seconds. Default 5. */
  readonly intervalSeconds?: number;
  /** Unix seconds the run starts at. Default 1.5e9. */
  readonly startSeconds?: number;
}

/**
 * Write a benign run shaped like Munnin's 2018 recordings, built from their description (the
 * issue's and ../shared/data's README), not fitted to the two shared runs: 5-s slices, 12 Locust
 * users whose number of active shoppers wanders (a shared load level doing a bounded random walk,
 * times a log-normal wobble per slice), Poisson calls, log-normal response sizes, TCP byte
 * counters only (`tcp_sent_bytes` back to the caller, `tcp_received_bytes` of requests), the
 * outside world an address, in-cluster `load-test` noise, and the databases' counters cumulative
 * per connection (a slice carries the connection's bytes so far; a connection reopens with
 * probability 0.05 a slice). Exfiltrations are added afterwards, as replay's --inject adds them
 * (writeInjectedRun, route MUNNIN_SHAPED_PATH, at MUNNIN_SHAPED_OFFSETS_SECONDS): the synthetic
 * stand-in for Munnin's 24 runs of 0-35 kB that `npm run quality` measures.
 */
export function writeMunninShapedRun(dir: string, options: MunninShapedRunOptions): void {
  const random = mulberry32(options.seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const intervals = options.intervals ?? 72;
  const users = options.users ?? 12;
  const dt = options.intervalSeconds ?? MUNNIN_SHAPED_INTERVAL_SECONDS;
  const start = options.startSeconds ?? 1_500_000_000;
  const connectionBytes = new Float64Array(CALLS.length);
  let level = 1;
  mkdirSync(dir, { recursive: true });
  const services = [...new Set(CALLS.flatMap(([src, dst]) => [src, dst]))];
  const manifest = {
    format: RUN_FORMAT,
    name: `munnin-shaped-${options.seed}`,
    intervalSeconds: dt,
    metrics: ['tcp_sent_bytes', 'tcp_received_bytes'],
    services,
    source: { kind: 'synthetic', generator: 'writeMunninShapedRun', seed: options.seed, users },
    // As Munnin's recordings say of themselves (their run.json's caveats): these edges are not
    // bytes-in-interval, which the format's `edges` otherwise are.
    caveats: [`Counters of ${CALLS.filter((c) => c[5]).map(([src, dst]) => `${src} -> ${dst}`).join(', ')} are cumulative per connection (as in Munnin's 2018 recordings): they grow with the connection's age and drop when it reopens; not bytes-in-interval.`],
    complete: true,
  };
  writeFileSync(join(dir, 'run.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(join(dir, 'events.ndjson'), '');
  const fd = openSync(join(dir, 'snapshots.ndjson'), 'w');
  try {
    for (let i = 0; i < intervals; i++) {
      level = Math.max(0.4, Math.min(1.8, level + 0.08 * gauss()));
      const load = level * Math.exp(0.15 * gauss());
      const edges: Snapshot['edges'][number][] = [];
      for (let c = 0; c < CALLS.length; c++) {
        const [src, dst, rate, size, sigma, cumulative] = CALLS[c]!;
        const calls = poisson(rate * users * dt * load, random, gauss);
        let bytes = 0;
        for (let k = 0; k < calls; k++) bytes += size * Math.exp(sigma * gauss() - (sigma * sigma) / 2);
        let sent = bytes;
        let received = calls * 250 * Math.exp(0.2 * gauss());
        if (cumulative) {
          if (random() < 0.05) connectionBytes[c] = 0;
          connectionBytes[c]! += bytes;
          sent = connectionBytes[c]!;
          received = 0.3 * sent;
        } else if (calls === 0) continue;
        edges.push({ src, dst, values: { tcp_sent_bytes: Math.round(sent), tcp_received_bytes: Math.round(received) } });
      }
      // The store's encoder: names escaped, zero counters and all-zero edges left out (the format lists pairs that carried traffic).
      writeSync(fd, `${snapshotToLine({ t: start + (i + 1) * dt, dt, gap: false, edges })}\n`);
    }
  } finally {
    closeSync(fd);
  }
}

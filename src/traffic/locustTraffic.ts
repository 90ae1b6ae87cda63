import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { TrafficParameters } from '../config/index.ts';
import { UserError } from '../errors.ts';
import { log } from '../logger.ts';
import type { TrafficGenerator, TrafficStats } from '../types.ts';
import { locustEnvironment, LOCUST_READY_LINE } from './locustEnvironment.ts';
import { locustfilePath } from './locustAvailable.ts';
import { readLocustStats } from './locustStats.ts';

export interface LocustTrafficOptions {
  /** Front-end base URL (Locust's --host). */
  readonly frontEndUrl: string;
  /** Users, load shape, think time, behaviour mix and seed. */
  readonly traffic: TrafficParameters;
  /** Length of the run the load shape is spread over. */
  readonly durationSeconds: number;
  /** Where Locust writes its statistics (JSON) when it quits. */
  readonly statsFile: string;
  /** locust executable (default: `locust` on PATH). */
  readonly locustBinary?: string;
  /** Longest wait for Locust to start its users (default 30000). */
  readonly startTimeoutMillis?: number;
  /** Longest wait after SIGINT for Locust to write its statistics and exit, then SIGKILL (default 10000). */
  readonly stopTimeoutMillis?: number;
}

const TAIL_LINES = 40;

/**
 * Background users from real Locust (locust/locustfile.py) as a child process: same Sock Shop
 * behaviour, mix and load shape as the built-in generator. Its output goes to the debug log
 * only. stop() sends SIGINT (Locust then writes its statistics), SIGKILL after a time-out;
 * the child is also killed if this process exits.
 */
export function createLocustTraffic(options: LocustTrafficOptions): TrafficGenerator & { readonly pid: number | undefined } {
  if (!URL.canParse(options.frontEndUrl)) throw new UserError(`frontEndUrl: not a URL (got "${options.frontEndUrl}")`);
  const binary = options.locustBinary ?? 'locust';
  const tail: string[] = [];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let stopRequested = false;
  let running = false;
  let startError: string | undefined;
  let exitReason: string | undefined;
  let stopping: Promise<TrafficStats> | undefined;
  const kill = (signal: NodeJS.Signals) => child?.kill(signal);
  const killOnExit = () => kill('SIGKILL');
  const output = () => (tail.length ? `\n${tail.join('\n')}` : '');

  const launch = (): Promise<boolean> => {
    rmSync(options.statsFile, { force: true });
    const env = {
      ...process.env,
      PYTHONUNBUFFERED: '1',
      // No __pycache__ in the repository's locust/ (it becomes a ConfigMap for in-cluster runs).
      PYTHONDONTWRITEBYTECODE: '1',
      ...locustEnvironment(options.traffic, options.durationSeconds),
      MUNNIN_RUN_TAG: Date.now().toString(36),
      MUNNIN_STATS_FILE: options.statsFile,
    };
    const args = ['--headless', '-f', locustfilePath(), '--host', options.frontEndUrl, '--only-summary', '--loglevel', 'WARNING'];
    // Own process group: a Ctrl-C in the terminal reaches munnin, which stops Locust in order.
    const proc = spawn(binary, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child = proc;
    process.on('exit', killOnExit);
    return new Promise((resolve) => {
      exited = new Promise((done) => {
        let over = false;
        const finished = (why: string) => {
          if (over) return;
          over = true;
          process.off('exit', killOnExit);
          // Before it is running, start() reports the failure itself.
          if (running && !stopRequested) log.warn(`locust ${why} before it was stopped${output()}`);
          running = false;
          exitReason = why;
          resolve(false);
          done();
        };
        proc.once('error', (e) => finished(`could not run ${binary} (${e.message})`));
        proc.once('close', (code, signal) => finished(`exited (${signal ?? `code ${code}`})`));
      });
      for (const stream of [proc.stdout, proc.stderr]) {
        createInterface({ input: stream }).on('line', (line) => {
          if (line === LOCUST_READY_LINE) {
            running = true;
            return resolve(true);
          }
          tail.push(line);
          if (tail.length > TAIL_LINES) tail.shift();
          log.debug(`locust: ${line}`);
        });
      }
    });
  };

  const terminate = async (): Promise<void> => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill('SIGINT');
    const timeout = options.stopTimeoutMillis ?? 10_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), timeout)));
    if ((await Promise.race([exited, late])) === 'late') {
      log.warn(`locust did not exit within ${timeout} ms of SIGINT; killing it (its statistics are lost)`);
      child.kill('SIGKILL');
    }
    clearTimeout(timer);
    await exited;
  };

  return {
    kind: 'locust',
    /** Process id of the running Locust (undefined before start). */
    get pid() {
      return child?.pid;
    },
    async start() {
      if (child || stopping) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = options.startTimeoutMillis ?? 30_000;
      const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeout)));
      const ready = await Promise.race([launch(), late]);
      clearTimeout(timer);
      if (ready) return;
      const reason = exitReason ?? `no sign of it after ${timeout} ms`;
      stopRequested = true;
      kill('SIGKILL');
      await exited;
      startError = `locust did not start its users: ${reason} (${binary} -f ${locustfilePath()})${output()}`;
      throw new Error(startError);
    },
    stop() {
      stopping ??= (async (): Promise<TrafficStats> => {
        stopRequested = true;
        if (!child || startError) return { generator: 'locust', requests: 0, failures: 0, started: false, ...(startError ? { error: startError } : {}) };
        await terminate();
        try {
          return readLocustStats(options.statsFile);
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          log.warn(`${message}${output()}`);
          return { generator: 'locust', requests: 0, failures: 0, statsMissing: true, error: message };
        }
      })();
      return stopping;
    },
  };
}

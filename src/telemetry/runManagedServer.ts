import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log, reportError } from '../logger.ts';
import type { ScrapeTarget } from '../types.ts';
import type { ManagedPrometheus } from './ManagedPrometheus.ts';
import { SIDECAR_JOB, scrapeConfig } from './scrapeConfig.ts';

/** What differs between Prometheus and VictoriaMetrics; the lifecycle is shared. */
export interface ManagedServerSpec {
  readonly kind: ManagedPrometheus['kind'];
  /** Executable to run. */
  readonly binary: string;
  /** Arguments for a server on 127.0.0.1:port reading configFile and keeping its data in dataDir. */
  readonly args: (port: number, configFile: string, dataDir: string) => string[];
  readonly targets: readonly ScrapeTarget[];
  readonly scrapeIntervalSeconds: number;
  readonly scrapeTimeoutSeconds: number;
  readonly evaluationDelaySeconds: number;
  /** Port to listen on; default a free ephemeral one. */
  readonly port?: number;
  /** Longest wait for every sidecar to be scraped and queryable. */
  readonly startTimeoutMillis: number;
  /** Wait after SIGTERM before SIGKILL. */
  readonly stopTimeoutMillis: number;
}

interface Running {
  readonly child: ChildProcess;
  readonly dir: string;
}

// Children still running when this process exits are killed (synchronously: 'exit' allows
// nothing else). A Ctrl-C in a terminal reaches them directly: they share its process group.
const running = new Set<Running>();
let exitHookInstalled = false;
function killAllOnExit(): void {
  for (const { child, dir } of running) {
    try {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Exiting: nothing left to report to.
    }
  }
}

/** Start the server, wait until every sidecar has been scraped and is queryable, or fail cleanly. */
export async function runManagedServer(spec: ManagedServerSpec): Promise<ManagedPrometheus> {
  if (!exitHookInstalled) {
    process.once('exit', killAllOnExit);
    exitHookInstalled = true;
  }
  for (let attempt = 1; ; attempt++) {
    const port = spec.port ?? (await freePort());
    const server = launch(spec, port);
    try {
      await server.ready;
      return server.managed;
    } catch (e) {
      await server.managed.stop();
      // Another process may take the free port between our probe and the server's bind.
      const portTaken = /address already in use/i.test(String(e));
      if (!portTaken || spec.port !== undefined || attempt >= 3) throw e;
    }
  }
}

function launch(spec: ManagedServerSpec, port: number): { managed: ManagedPrometheus; ready: Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), `munnin-${spec.kind}-`));
  const configFile = join(dir, 'scrape.yml');
  const dataDir = join(dir, 'data');
  writeFileSync(configFile, scrapeConfig(spec.targets, spec.scrapeIntervalSeconds, spec.scrapeTimeoutSeconds));
  const child = spawn(spec.binary, spec.args(port, configFile, dataDir), { stdio: ['ignore', 'pipe', 'pipe'] });
  const entry: Running = { child, dir };
  running.add(entry);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  let started = false;
  let stopping: Promise<void> | undefined;
  const exited = new Promise<string>((resolve) => {
    child.once('error', (e) => resolve(`could not be started: ${e.message}`));
    child.once('exit', (code, signal) => resolve(signal ? `was killed by ${signal}` : `exited with code ${code}`));
  });
  void exited.then((how) => {
    if (started && !stopping) log.warn(`managed ${spec.kind} (pid ${child.pid}) ${how} unexpectedly; its last output: ${lastLines(output)}`);
  });

  const managed: ManagedPrometheus = {
    kind: spec.kind,
    url,
    pid: child.pid ?? -1,
    dir,
    scrapeIntervalSeconds: spec.scrapeIntervalSeconds,
    evaluationDelaySeconds: spec.evaluationDelaySeconds,
    upSelector: `up{job="${SIDECAR_JOB}"}`,
    targets: spec.targets.length,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
          child.kill('SIGTERM');
          const timer = new Promise<string>((resolve) => setTimeout(resolve, spec.stopTimeoutMillis, 'timeout').unref());
          if ((await Promise.race([exited, timer])) === 'timeout') {
            child.kill('SIGKILL');
            await exited;
          }
        }
        running.delete(entry);
        rmSync(dir, { recursive: true, force: true });
      })().catch((e: unknown) => reportError(`stopping managed ${spec.kind}`, e));
      return stopping;
    },
  };

  const ready = (async () => {
    const deadline = Date.now() + spec.startTimeoutMillis;
    let exitedHow: string | undefined;
    void exited.then((how) => (exitedHow = how));
    for (;;) {
      if (exitedHow !== undefined) throw new Error(`${spec.kind} ${exitedHow} during start-up: ${lastLines(output)}`);
      if ((await allTargetsUp(url, spec.targets.length)) === true && (await scrapedBy(url, Date.now() / 1000 - spec.evaluationDelaySeconds)) >= spec.targets.length) {
        started = true;
        return;
      }
      if (Date.now() > deadline) {
        const state = await allTargetsUp(url, spec.targets.length);
        throw new Error(`${spec.kind} did not scrape all ${spec.targets.length} sidecars within ${spec.startTimeoutMillis} ms${state === true ? ' (targets up, data not yet queryable)' : `: ${state}`}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  return { managed, ready };
}

/** True when /api/v1/targets lists every sidecar as up, else what is missing. */
async function allTargetsUp(url: string, expected: number): Promise<true | string> {
  const body = await getJson(`${url}/api/v1/targets?state=active`);
  const targets = (body as { data?: { activeTargets?: unknown } } | undefined)?.data?.activeTargets;
  if (!Array.isArray(targets)) return 'targets API not answering yet';
  const down = targets.filter((t: { health?: unknown }) => t.health !== 'up') as { scrapeUrl?: unknown; health?: unknown; lastError?: unknown }[];
  if (targets.length >= expected && down.length === 0) return true;
  const detail = down.slice(0, 3).map((t) => `${String(t.scrapeUrl)} ${String(t.health)}${t.lastError ? ` (${String(t.lastError)})` : ''}`);
  return `${targets.length - down.length} of ${expected} targets up${detail.length ? `; ${detail.join('; ')}` : ''}`;
}

/** Number of sidecars whose scrape at or before `atSeconds` succeeded and is queryable. */
async function scrapedBy(url: string, atSeconds: number): Promise<number> {
  const query = encodeURIComponent(`count(up{job="${SIDECAR_JOB}"} == 1)`);
  const body = await getJson(`${url}/api/v1/query?query=${query}&time=${atSeconds.toFixed(3)}`);
  const value = (body as { data?: { result?: { value?: unknown[] }[] } } | undefined)?.data?.result?.[0]?.value?.[1];
  return typeof value === 'string' ? Number(value) : 0;
}

async function getJson(url: string): Promise<unknown> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return response.ok ? await response.json() : undefined;
  } catch {
    return undefined;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function lastLines(output: string): string {
  const lines = output.trim().split('\n').slice(-5).join(' | ');
  return lines === '' ? '(no output)' : lines;
}

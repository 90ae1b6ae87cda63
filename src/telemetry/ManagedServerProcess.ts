import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { log, reportError } from '../logger.ts';
import type { ManagedPrometheus } from './ManagedPrometheus.ts';
import { stateFault, type ManagedServerState } from './ManagedServerState.ts';
import { onProcessExit } from './onProcessExit.ts';
import { claimServerDir } from './reapStaleServers.ts';
import { RestartPolicy } from './RestartPolicy.ts';
import type { ManagedServerSpec } from './runManagedServer.ts';
import { SIDECAR_JOB, scrapeConfig } from './scrapeConfig.ts';
import { waitUntilQueryable, waitUntilScraping, type ReadinessProbe } from './serverReadiness.ts';
import { ServerChild, type ServerExit } from './ServerChild.ts';

/**
 * How long after a server's clean exit munnin's own abort may still come from the same Ctrl-C
 * (signal handlers and child exits are separate event-loop callbacks, in either order).
 */
const SAME_CTRL_C_MILLIS = 500;

/**
 * A managed server and its supervision: one port, configuration file and data directory for
 * its whole life, and a process restarted there (WAL and TSDB kept) when it dies unexpectedly,
 * within the RestartPolicy. One warning when it dies, one message when it scrapes again.
 */
export class ManagedServerProcess implements ManagedPrometheus {
  readonly kind: ManagedPrometheus['kind'];
  readonly url: string;
  readonly dir: string;
  readonly scrapeIntervalSeconds: number;
  readonly evaluationDelaySeconds: number;
  readonly upSelector = `up{job="${SIDECAR_JOB}"}`;
  readonly targets: number;
  private readonly args: string[];
  private readonly probe: ReadinessProbe;
  private readonly policy: RestartPolicy;
  private child: ServerChild;
  private state: ManagedServerState = { kind: 'starting' };
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private readonly forgetOnExit: () => void;

  /** Writes the configuration and spawns the first process; start() waits for it. */
  constructor(private readonly spec: ManagedServerSpec, port: number) {
    this.kind = spec.kind;
    this.url = `http://127.0.0.1:${port}`;
    this.scrapeIntervalSeconds = spec.scrapeIntervalSeconds;
    this.evaluationDelaySeconds = spec.evaluationDelaySeconds;
    this.targets = spec.targets.length;
    this.probe = { url: this.url, targets: this.targets, evaluationDelaySeconds: this.evaluationDelaySeconds };
    this.policy = new RestartPolicy(spec.restart);
    this.dir = mkdtempSync(join(tmpdir(), `munnin-${spec.kind}-`));
    // A later munnin removes the folder (and anything still running from it) if this one dies uncleanly.
    claimServerDir(this.dir);
    const configFile = join(this.dir, 'scrape.yml');
    writeFileSync(configFile, scrapeConfig(spec.targets, spec.scrapeIntervalSeconds, spec.scrapeTimeoutSeconds));
    this.args = spec.args(port, configFile, join(this.dir, 'data'));
    // Killed if this process exits first; a Ctrl-C in a terminal reaches it directly (same process group).
    this.forgetOnExit = onProcessExit(() => {
      this.child.killNow();
      rmSync(this.dir, { recursive: true, force: true });
    });
    this.child = this.spawn();
  }

  get pid(): number {
    return this.child.pid;
  }

  get restarts(): number {
    return this.policy.restarts;
  }

  /** Resolves once every sidecar is scraped and queryable; rejects when the process dies first or in time, or with the abort of spec.signal (call stop() then). */
  async start(): Promise<void> {
    const child = this.child;
    const exited = () => child.exit && `${child.exit.how} during start-up: ${child.lastLines()}`;
    await waitUntilQueryable(this.probe, this.spec.startTimeoutMillis, exited, this.kind, this.spec.signal);
    // A death while the last check was answered is not a restart's business: nothing has used it yet.
    const how = exited();
    if (how !== undefined) throw new Error(`${this.kind} ${how}`);
    if (this.state.kind === 'starting') this.state = { kind: 'running', trustedFromSeconds: 0 };
  }

  faultAt(evaluationSeconds: number): string | undefined {
    return stateFault(this.kind, this.state, evaluationSeconds);
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.state = { kind: 'stopped' };
      clearTimeout(this.restartTimer);
      this.restartTimer = undefined;
      await this.child.stop(this.spec.stopTimeoutMillis);
      this.forgetOnExit();
      rmSync(this.dir, { recursive: true, force: true });
    })().catch((e: unknown) => reportError(`stopping managed ${this.kind}`, e));
    return this.stopping;
  }

  private spawn(): ServerChild {
    const child = new ServerChild(this.spec.binary, this.args);
    void child.exited.then((exit) => this.died(child, exit)).catch((e: unknown) => reportError(`supervising managed ${this.kind}`, e));
    return child;
  }

  private died(child: ServerChild, exit: ServerExit): void {
    const state = this.state;
    // start() reports a death during start-up; stop() caused the others.
    if (child !== this.child || (state.kind !== 'running' && state.kind !== 'restarting')) return;
    const what = `managed ${this.kind} (pid ${child.pid}) ${exit.how}`;
    if (this.spec.signal?.aborted) {
      // Munnin is stopping (Ctrl-C): the server took the same Ctrl-C (same process group). The
      // user asked for exactly this, and "stopping..." said so: nothing to add, nothing to restart.
      this.state = { kind: 'down', cause: `${exit.how} (munnin is stopping)` };
      return;
    }
    if (exit.graceful) {
      // A SIGTERM or SIGINT sent to the server alone (kill <pid>): someone wants it stopped.
      // Mid-run, the source warns about the gaps at its next read.
      this.state = { kind: 'down', cause: `${exit.how}, not restarted` };
      // A terminal's Ctrl-C reaches the server and munnin at once, and the server's exit can be
      // seen before munnin's own SIGINT handler has aborted the run (a clean-clone CI run printed
      // this line after a Ctrl-C): said only if munnin is still not stopping a moment later.
      const later = setTimeout(() => {
        if (this.spec.signal?.aborted) this.state = { kind: 'down', cause: `${exit.how} (munnin is stopping)` };
        else if (this.state.kind === 'down') log.info(`${what}: it was asked to stop (SIGTERM or SIGINT sent to it, not to munnin), so it is not restarted`);
      }, SAME_CTRL_C_MILLIS);
      later.unref();
      return;
    }
    const sinceMillis = state.kind === 'restarting' ? state.sinceMillis : Date.now();
    const delayMillis = this.policy.next(Date.now());
    if (delayMillis === undefined) {
      this.state = { kind: 'down', cause: `${exit.how}; restart limit reached` };
      log.warn(`${what}; restart limit reached (${this.policy.describe()}): it is not restarted again, telemetry stays down and the run goes on recording gaps; its last output: ${child.lastLines()}`);
      return;
    }
    this.state = { kind: 'restarting', sinceMillis, cause: exit.how };
    const when = `in ${(delayMillis / 1000).toFixed(1)} s (restart ${this.restarts}, ${this.policy.describe()})`;
    log.warn(
      state.kind === 'running'
        ? `${what} unexpectedly; restarting it ${when} on the same port and storage; intervals are gaps until it is back; its last output: ${child.lastLines()}`
        : `${what} while restarting; trying again ${when}; its last output: ${child.lastLines()}`,
    );
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.restart(sinceMillis).catch((e: unknown) => reportError(`restarting managed ${this.kind}`, e));
    }, delayMillis);
    // A pending restart alone does not keep this process alive (the exit hook covers the rest).
    this.restartTimer.unref();
  }

  private async restart(sinceMillis: number): Promise<void> {
    if (this.state.kind !== 'restarting') return;
    const child = (this.child = this.spawn());
    const gone = () => this.child !== child || child.exit !== undefined || this.state.kind !== 'restarting';
    const slow = (missing: string) =>
      log.warn(`managed ${this.kind} restarted (pid ${child.pid}) but has not scraped every sidecar within ${this.spec.startTimeoutMillis} ms (${missing}); intervals stay gaps until it has`);
    if (!(await waitUntilScraping(this.probe, this.spec.startTimeoutMillis, gone, slow)) || gone()) return;
    this.state = { kind: 'running', trustedFromSeconds: Date.now() / 1000 };
    const seconds = ((Date.now() - sinceMillis) / 1000).toFixed(1);
    log.info(`managed ${this.kind} is back (pid ${child.pid}) after ${seconds} s, scraping all ${this.targets} sidecars again; intervals are recorded again once its new scrapes are queryable`);
  }
}

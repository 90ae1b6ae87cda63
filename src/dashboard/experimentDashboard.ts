import type { Parameters } from '../config/index.ts';
import type { ExperimentHooks, ExperimentResult } from '../experiment/index.ts';
import { log, reportError } from '../logger.ts';
import { ewmaBandSettings } from '../report/index.ts';
import { checkHost, checkPort } from './dashboardOptions.ts';
import type { LiveRunInfo } from './LiveHub.ts';
import { startDashboard, type Dashboard } from './startDashboard.ts';

export interface ExperimentDashboardOptions {
  readonly params: Parameters;
  readonly runName: string;
  readonly host?: string | undefined;
  readonly port?: number | string | undefined;
}

export interface ExperimentDashboard {
  readonly dashboard: Dashboard;
  /** Pass to runExperiment: feed the live view. */
  readonly hooks: Required<Pick<ExperimentHooks, 'onSnapshot' | 'onVerdict' | 'onEvent'>>;
  /** The experiment is over (result undefined: it failed with `error`). */
  end(result: ExperimentResult | undefined, error?: unknown): void;
  /** Keep serving until Ctrl-C (or SIGTERM), then close. */
  serveUntilInterrupted(): Promise<void>;
}

/** What the live view needs to know of an experiment before its first interval. */
export function liveRunInfo(params: Parameters, runName: string, now = new Date()): LiveRunInfo {
  return {
    name: runName,
    intervalSeconds: params.intervalSeconds,
    durationSeconds: params.durationSeconds,
    plannedIntervals: Math.round(params.durationSeconds / params.intervalSeconds),
    metrics: params.telemetry.metrics,
    detectors: params.detectors.enabled,
    trainingSeconds: params.detectors.trainingSeconds,
    exfiltration: [...params.exfiltration].sort((a, b) => a.atSeconds - b.atSeconds).map((e) => ({ atSeconds: e.atSeconds, bytes: e.bytes, method: e.method, ...(e.method === 'egress' ? { workload: e.workload } : {}) })),
    ewma: ewmaBandSettings(params),
    target: params.target,
    startedAt: now.toISOString(),
  };
}

/**
 * The dashboard beside a running experiment (`npm run experiment -- --dashboard`): started
 * before the experiment, fed through its hooks. A hook never lets an error reach the
 * experiment's pipeline: the dashboard failing must not cost the run.
 */
export async function startExperimentDashboard(options: ExperimentDashboardOptions): Promise<ExperimentDashboard> {
  const dashboard = await startDashboard({ dataDir: options.params.outputDir, host: checkHost(options.host, '--host'), port: checkPort(options.port, '--port') });
  const hub = dashboard.hub;
  hub.begin(liveRunInfo(options.params, options.runName));
  const guarded =
    <T>(f: (x: T) => void) =>
    (x: T) => {
      try {
        f(x);
      } catch (e) {
        reportError('dashboard', e);
      }
    };
  return {
    dashboard,
    hooks: { onSnapshot: guarded((s) => hub.snapshot(s)), onVerdict: guarded((v) => hub.verdict(v)), onEvent: guarded((e) => hub.event(e)) },
    end(result, error) {
      hub.end(result ? { complete: result.complete, intervals: result.intervals } : { complete: false, intervals: hub.state().snapshots.length, error: error instanceof Error ? error.message : String(error) });
    },
    serveUntilInterrupted() {
      log.info(`dashboard still serving at ${dashboard.url} (Ctrl-C to stop)`);
      return new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          dashboard.close().then(resolve, (e: unknown) => {
            reportError('dashboard: closing', e);
            resolve();
          });
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    },
  };
}

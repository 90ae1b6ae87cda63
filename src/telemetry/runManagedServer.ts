import { createServer } from 'node:net';
import type { ScrapeTarget } from '../types.ts';
import type { ManagedPrometheus } from './ManagedPrometheus.ts';
import { ManagedServerProcess } from './ManagedServerProcess.ts';
import { reapStaleServers } from './reapStaleServers.ts';
import type { RestartLimits } from './RestartPolicy.ts';

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
  /** Longest wait for every sidecar to be scraped and queryable (after a restart: before one warning). */
  readonly startTimeoutMillis: number;
  /** Wait after SIGTERM before SIGKILL. */
  readonly stopTimeoutMillis: number;
  /** When a server that died is restarted, and how often at most. */
  readonly restart: RestartLimits;
  /** Munnin is stopping (Ctrl-C): the start-up ends at once, as an abort, and the server's death then is no fault. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Start the server (after reaping what a munnin that died uncleanly left), wait until every sidecar has been scraped and is queryable, or fail
 * cleanly (nothing left running, storage removed); rejects with the abort when `spec.signal` is
 * aborted meanwhile. From then on it is supervised: see ManagedServerProcess.
 */
export async function runManagedServer(spec: ManagedServerSpec): Promise<ManagedPrometheus> {
  // What a munnin killed outright (SIGKILL, OOM) left behind: its folders, and servers the system could not tie to it.
  reapStaleServers();
  for (let attempt = 1; ; attempt++) {
    const port = spec.port ?? (await freePort());
    const server = new ManagedServerProcess(spec, port);
    try {
      await server.start();
      return server;
    } catch (e) {
      await server.stop();
      // A Ctrl-C in a terminal reaches the server too (same process group): its death during
      // start-up, however it reads (killed by SIGINT, exited with code 0), is the stop munnin was asked for.
      spec.signal?.throwIfAborted();
      // Another process may take the free port between our probe and the server's bind.
      const portTaken = /address already in use/i.test(String(e));
      if (!portTaken || spec.port !== undefined || attempt >= 3) throw e;
    }
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

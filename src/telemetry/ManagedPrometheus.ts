/**
 * A Prometheus-API server started and owned by munnin (Prometheus or VictoriaMetrics).
 * When its process dies unexpectedly (crash, OOM kill, kill -9) it is restarted on the same
 * port with the same configuration and storage, after a short backoff and within a limit
 * (ManagedPrometheusOptions.maxRestarts); one warning when it dies, one message when it
 * scrapes every sidecar again. One that exits with code 0 was asked to stop (SIGTERM or SIGINT
 * sent to it) and is not restarted; nor is one that ends while munnin is stopping (its start's
 * `signal` aborted: a Ctrl-C reaches the server too), and that is not reported.
 */
export interface ManagedPrometheus {
  readonly kind: 'prometheus' | 'victoria-metrics';
  /** Base URL of its HTTP API, e.g. http://127.0.0.1:40123 (the same after a restart). */
  readonly url: string;
  /** Process id of the current server process (a restart changes it; tests kill it to simulate a crash). */
  readonly pid: number;
  /** Times the server was restarted after dying. */
  readonly restarts: number;
  /** Temporary directory holding its configuration and storage (kept across restarts); removed by stop(). */
  readonly dir: string;
  /** Seconds between two scrapes of each sidecar. */
  readonly scrapeIntervalSeconds: number;
  /**
   * How far behind "now" a query must be evaluated to see every scrape at or before its
   * evaluation time: the longest a scrape can take (its time-out) plus the time until a
   * scraped sample becomes queryable, plus a margin.
   */
  readonly evaluationDelaySeconds: number;
  /** Selector of the sidecars' `up` series (one per target). */
  readonly upSelector: string;
  /** Number of sidecars scraped. */
  readonly targets: number;
  /**
   * Why an answer to a query evaluated at `evaluationSeconds` (Unix seconds) cannot be
   * trusted right now, or undefined when it can. It cannot while the server is down or
   * restarting, nor for a time before its last restart had scraped every sidecar again: the
   * restarted server still holds the samples from before it died and a query looks back up
   * to 5 minutes for them, so it would answer with stale counters instead of failing, and the
   * next interval would then count the whole outage's traffic.
   */
  faultAt(evaluationSeconds: number): string | undefined;
  /**
   * Stops the current process (SIGTERM, then SIGKILL after a time-out) and cancels any
   * pending restart, so nothing is started after it; removes its temporary storage. Idempotent.
   */
  stop(): Promise<void>;
}

/** A Prometheus-API server started and owned by munnin (Prometheus or VictoriaMetrics). */
export interface ManagedPrometheus {
  readonly kind: 'prometheus' | 'victoria-metrics';
  /** Base URL of its HTTP API, e.g. http://127.0.0.1:40123. */
  readonly url: string;
  /** Process id (tests kill it to simulate a crash). */
  readonly pid: number;
  /** Temporary directory holding its configuration and storage; removed by stop(). */
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
  /** SIGTERM, then SIGKILL after a time-out; removes its temporary storage. Idempotent. */
  stop(): Promise<void>;
}

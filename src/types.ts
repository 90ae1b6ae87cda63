// The events that flow between pipeline stages, typed once here.
//
//   telemetry source ──TelemetryRead──▶ matrix/differentiate ──Snapshot──▶ store / detectors
//   detectors/vectorize ──Frame──▶ each detector ──Verdict──▶ evaluation / alerts
//
// Node names are opaque strings; the run format (README "Run format") is the contract
// for how Snapshots are written to and read from disk.

import type { TrafficParameters } from './config/index.ts';

/** Metric keys of the run format (run-format.md) and the Istio metric each comes from. */
export const STANDARD_METRICS = {
  requests: 'istio_requests_total',
  request_bytes: 'istio_request_bytes_sum',
  response_bytes: 'istio_response_bytes_sum',
  tcp_sent_bytes: 'istio_tcp_sent_bytes_total',
  tcp_received_bytes: 'istio_tcp_received_bytes_total',
  tcp_connections: 'istio_tcp_connections_opened_total',
} as const;

/** A metric key as stored in a run; writers may add keys beyond the standard ones. */
export type MetricKey = string;

/** One cumulative counter series as read from telemetry at one instant. */
export interface CounterSample {
  /** Run-format metric key, e.g. `request_bytes`. */
  readonly metric: MetricKey;
  /** Source node (caller), after aliasing (e.g. Istio `unknown` → `external`). */
  readonly src: string;
  /** Destination node (callee), after aliasing (e.g. `PassthroughCluster` → `external`). */
  readonly dst: string;
  /** Identity of the underlying counter (sidecar + full label set); resets are detected per series. */
  readonly series: string;
  /** Cumulative counter value. */
  readonly value: number;
}

/** What a telemetry source yields each interval: every counter, or a fault (never partial data). */
export type TelemetryRead =
  | { readonly kind: 'read'; /** Unix seconds the counters refer to. */ readonly t: number; readonly samples: readonly CounterSample[] }
  | { readonly kind: 'fault'; /** Unix seconds of the failed read. */ readonly t: number; /** Human-readable cause. */ readonly reason: string };

/** Traffic of one ordered pair in one interval; a missing metric means 0. */
export interface EdgeSample {
  readonly src: string;
  readonly dst: string;
  readonly values: Readonly<Record<MetricKey, number>>;
}

/** One interval's differential traffic matrix (run format: one line of snapshots.ndjson). */
export interface Snapshot {
  /** End of the interval, Unix seconds (may be fractional). */
  readonly t: number;
  /** Seconds covered: the interval is (t - dt, t]. */
  readonly dt: number;
  /** True when telemetry could not be read: unknown traffic, not zero traffic. */
  readonly gap: boolean;
  /** Why a gap is a gap (informational; not part of the required format). */
  readonly reason?: string;
  /** Sparse edges that carried traffic. Empty for gaps. */
  readonly edges: readonly EdgeSample[];
}

/** Ground truth and experiment events (run format: one line of events.ndjson). */
export interface RunEvent {
  /** `exfiltration`, `scan`, `lateral` are attacks; anything else is informational. */
  readonly kind: string;
  /** Unix seconds. */
  readonly start: number;
  /** Unix seconds, exclusive. */
  readonly end: number;
  /** Bytes moved, for exfiltrations. */
  readonly bytes?: number;
  /** Route the data took, e.g. ["user-db", "user", "front-end", "external"]. */
  readonly path?: readonly string[];
  /** How, e.g. `api` or `egress`. */
  readonly method?: string;
  /** Any further fields are kept as read. */
  readonly [extra: string]: unknown;
}

export const ATTACK_KINDS: ReadonlySet<string> = new Set(['exfiltration', 'scan', 'lateral']);

/**
 * The informational kinds munnin writes or the run format names (run-format.md
 * "events.ndjson": any kind but an attack's is informational; these are the known ones, so
 * that only a kind nobody writes, likely a misspelt attack, is warned about): the built-in
 * generator's `load-change`, attacks that moved nothing (`exfiltration-failed`, `scan-failed`,
 * `lateral-failed`), Munnin's 2018 exfiltration slots that moved no data
 * (`null-exfiltration`, test/fixtures/munnin-cybermonday-0k) and the format's `note`.
 */
const INFORMATIONAL_KIND_NAMES = ['load-change', 'note', 'exfiltration-failed', 'scan-failed', 'lateral-failed', 'null-exfiltration'] as const;
/** An informational kind munnin knows; emitters check their literals against it (`satisfies`). */
export type InformationalKind = (typeof INFORMATIONAL_KIND_NAMES)[number];
export const INFORMATIONAL_KINDS: ReadonlySet<string> = new Set(INFORMATIONAL_KIND_NAMES);

/** run.json. Only format, intervalSeconds and metrics are required when reading. */
export interface RunManifest {
  readonly format: 'munnin-run/1';
  readonly name?: string;
  readonly createdAt?: string;
  readonly intervalSeconds: number;
  readonly metrics: readonly MetricKey[];
  readonly services?: readonly string[];
  readonly source?: Readonly<Record<string, unknown>>;
  readonly traffic?: Readonly<Record<string, unknown>>;
  readonly parameters?: unknown;
  readonly complete?: boolean;
  readonly [extra: string]: unknown;
}

/**
 * A Snapshot projected onto the stream's edge index, for detectors: one Float64Array per metric,
 * position i = edge `edges.list[i]`; arrays are as long as the index was at this frame. A
 * position means the same edge until the edge has been silent for the index's horizon
 * (EDGE_FORGET_AFTER_SECONDS, a day, by default; a replay uses the longest `forgetAfterSeconds`
 * any detector is given, never less than a day): it is then forgotten and its position may go
 * to a new edge, which the frame that first carries it says in `recycled`.
 */
export interface Frame {
  readonly t: number;
  readonly dt: number;
  readonly gap: boolean;
  /** Shared edge index (same object on every frame of a stream). */
  readonly edges: EdgeIndex;
  /**
   * Positions that hold another edge from this frame on than in any earlier frame (an edge silent
   * for longer than the index's horizon was forgotten, and a new edge took its position),
   * ascending; usually empty. A consumer keeping anything per position (a baseline, a cached
   * name or node id, a model coordinate) resets it for these before reading the frame: the
   * edge there is new. Absent on frames not made by `vectorize` (positions are never reused).
   */
  readonly recycled?: Int32Array;
  /** Metric key → value per edge position (0 where the edge carried nothing). */
  readonly values: ReadonlyMap<MetricKey, Float64Array>;
  /**
   * Positions of the edges this frame's snapshot lists, each once, ascending (every other
   * position is 0 in every metric): what a detector whose work should be O(edges active now)
   * iterates. Empty on a gap frame (every value there is NaN: unknown). Absent on frames not
   * made by `vectorize` (then every position may be nonzero).
   */
  readonly active?: Int32Array;
  /** With `active`: per metric of `values`, entry j is the value of edge active[j] (no dense array needed). */
  readonly activeValues?: ReadonlyMap<MetricKey, Float64Array>;
  /** With `active`: the edges `values`' arrays cover (the index's size at this frame). */
  readonly edgeCount?: number;
  /** The snapshot this frame was made from. */
  readonly snapshot: Snapshot;
}

/** Mapping between edges and dense positions (a forgotten edge's position is reused: Frame.recycled). */
export interface EdgeIndex {
  /** Positions handed out so far (the high-water mark; per-position arrays are this long). */
  readonly size: number;
  /** Edge at each position (a forgotten edge's names stay until its position is reused). */
  readonly list: readonly { readonly src: string; readonly dst: string }[];
  /** Position of src→dst, or undefined when never seen or forgotten. */
  indexOf(src: string, dst: string): number | undefined;
  /** Edges forgotten so far (absent: never forgets): a cache of name → position is stale when it changes. */
  readonly forgotten?: number;
}

/** An edge a detector holds responsible for an alarm, with how far out it was. */
export interface BlamedEdge {
  readonly src: string;
  readonly dst: string;
  readonly metric?: MetricKey;
  /** Detector-specific contribution (e.g. sigmas above the mean, share of residual). */
  readonly score: number;
}

/** One detector's judgement of one interval. */
export interface Verdict {
  readonly t: number;
  readonly dt: number;
  /** Detector instance name (e.g. `ewma`). */
  readonly detector: string;
  /** Higher is more anomalous; NaN while not scoring (training or gap). */
  readonly score: number;
  /** Alarm when score > threshold; NaN while not scoring. */
  readonly threshold: number;
  readonly alarm: boolean;
  /** Interval used to train (no alarms, not scored). */
  readonly training: boolean;
  /** Interval was a gap (not scored). */
  readonly gap: boolean;
  readonly blamed: readonly BlamedEdge[];
  /** How score meets threshold to alarm; absent: `>` (score > threshold), every detector's rule today. */
  readonly comparison?: '>' | '≥';
}

// ---------------------------------------------------------------------------------------
// Seams between the parts: the application under test, the telemetry source, the traffic.

/** A sidecar's Prometheus exposition endpoint. */
export interface ScrapeTarget {
  /** Workload the sidecar belongs to. */
  readonly workload: string;
  /** Full URL of its metrics endpoint, e.g. http://127.0.0.1:41234/stats/prometheus. */
  readonly url: string;
}

/** One service a scan tries: its own service port, then each of `otherPorts`. */
export interface ScanTarget {
  readonly service: string;
  /** Further ports tried on it (where nothing listens, as a rule). */
  readonly otherPorts: readonly number[];
}

/** What a scan or a lateral movement did (so far, when it was cut short). */
export interface ProbeTally {
  /** Connections or requests attempted. */
  readonly attempts: number;
  /** Those that got an answer (a connection accepted, an HTTP status, a record). */
  readonly answered: number;
}

/** Where the application runs: the embedded mesh, or a Kubernetes cluster. */
export interface Target {
  readonly kind: 'embedded' | 'kubernetes';
  /** Base URL of the front-end (the only entry point for users and the `api` attacker). */
  readonly frontEndUrl: string;
  /** Workload names, in a stable order (written to run.json `services`). */
  readonly services: readonly string[];
  /** The application's legitimate caller → callee edges (workload → service names). */
  readonly topology: readonly { readonly src: string; readonly dst: string }[];
  /** Sidecar metrics endpoints, for direct scrape or a managed Prometheus. */
  readonly scrapeTargets: readonly ScrapeTarget[];
  /**
   * `egress` exfiltration: the compromised workload reads `bytes` of records from its data
   * store and sends them to a sink outside the mesh. Resolves when the sink has them all.
   */
  egress(workload: string, bytes: number): Promise<{ readonly bytes: number }>;
  /** Workloads `egress` can compromise (checked before a run starts); undefined: any. */
  readonly compromisable?: readonly string[];
  /**
   * `scan`: from `workload`, try each target's service port, then its other ports, one target
   * every `secondsBetweenTargets`. Rejects with an AttackError (src/attacks) carrying what was
   * done when aborted or failing. Absent: the target cannot scan.
   */
  scan?(workload: string, targets: readonly ScanTarget[], options: { readonly secondsBetweenTargets: number; readonly signal?: AbortSignal }): Promise<ProbeTally>;
  /** `lateral`: from `workload`, call `to` `calls` times, `secondsBetweenCalls` apart (rejects as scan does). Absent: the target cannot. */
  lateral?(workload: string, to: string, options: { readonly calls: number; readonly secondsBetweenCalls: number; readonly signal?: AbortSignal }): Promise<ProbeTally>;
  /** Workloads `scan` and `lateral` can run from (checked before a run starts); undefined: any of `services`. */
  readonly attackers?: readonly string[];
  /** What run.json records under `target` (never credentials). */
  describe?(): Readonly<Record<string, unknown>>;
  /** Locust run next to the application (the Kubernetes target's in-cluster Job), when the target offers it. */
  createInClusterLocust?(options: { readonly traffic: TrafficParameters; readonly durationSeconds: number; readonly statsFile: string }): TrafficGenerator;
  /** Stop everything the target started. Idempotent. */
  stop(): Promise<void>;
}

/** Reads every counter at once, each interval. */
export interface TelemetrySource {
  readonly kind: 'scrape' | 'prometheus';
  /** Read all counters as of `tSeconds` (Unix seconds). Never rejects: failures are faults. */
  read(tSeconds: number): Promise<TelemetryRead>;
  /**
   * Optional: make the next read as quick as the ones after it (open connections, run the
   * parsing code once), before a recording's first read starts its clock. Never rejects; its
   * answer is not kept.
   */
  warmUp?(): Promise<void>;
  /** What run.json records under `source` (never secrets). */
  describe(): Readonly<Record<string, unknown>>;
  /** Release what the source holds (a managed Prometheus process, sockets). Idempotent. */
  close(): Promise<void>;
}

/** Background-traffic statistics, written to traffic-stats.json. */
export interface TrafficStats {
  readonly generator: 'builtin' | 'locust';
  readonly requests: number;
  readonly failures: number;
  readonly [extra: string]: unknown;
}

/** Background user traffic against the front-end. */
export interface TrafficGenerator {
  readonly kind: 'builtin' | 'locust';
  /** Begin; the load shape's clock starts now. */
  start(): Promise<void>;
  /** Stop every user (and child process) and report what was done. Idempotent. */
  stop(): Promise<TrafficStats>;
}

import { z } from 'zod';
// detector.ts directly: the detectors index imports config, and going through it would make a cycle.
import { DEFAULT_FALSE_ALARM_RATE, DEFAULT_TRAINING_SECONDS } from '../detectors/defaults.ts';
import { urlForMessage } from '../urlForMessage.ts';

// The experiment's parameters: one schema gives the types, the defaults (applied once,
// here) and the validation (with the field path in every message). parameters.ts at the
// top level overrides any of them; see README "Parameters".

const positive = () => z.number().finite().positive();
/**
 * Shortest interval: one read of every sidecar (or one query per metric) must fit in it. Its
 * check alone (not also positive(), which 0 would fail too) so a mistake is one line.
 */
export const MIN_INTERVAL_SECONDS = 0.25;
/** Shortest scrape interval of a managed Prometheus (its scrape time-out is the interval). */
export const MIN_SCRAPE_INTERVAL_SECONDS = 0.25;
const nonNegative = () => z.number().finite().nonnegative();
const nodeName = () => z.string().min(1);
/**
 * A Kubernetes namespace name: an RFC 1123 label (what the API server accepts, and the embedded
 * mesh's rule), checked here so a bad one is listed with the other mistakes before anything starts.
 */
const namespaceName = () =>
  z
    .string()
    .max(63, { message: 'a Kubernetes namespace name has at most 63 characters (RFC 1123 label)' })
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: 'must be a Kubernetes namespace name: lower-case letters, digits and dashes, starting and ending with a letter or digit (RFC 1123 label)' });
/** Run-format metric keys a run can record; all by default. */
const METRIC_KEYS = ['requests', 'request_bytes', 'response_bytes', 'tcp_sent_bytes', 'tcp_received_bytes', 'tcp_connections'] as const;
/** Detectors the parameters can enable; all by default. */
const DETECTOR_CHOICES = ['control-chart', 'ewma', 'pair-ratio', 'three-tier', 'new-edge', 'eigenspace', 'pca-subspace', 'cusum', 'path', 'midas', 'graph-lasso'] as const;
/** Header names whose values are credentials: refused here as literals, kept out of messages by src/telemetry/prometheusAuth.ts. */
export const SECRET_HEADER = /authorization|token|secret|password|key|cookie/i;

/** One scheduled exfiltration. */
export const exfiltrationSchema = z
  .object({
    /** Seconds after the experiment starts. */
    atSeconds: nonNegative(),
    /** Bytes of customer data to move. */
    bytes: z.number().int().positive(),
    /** `api`: an outside client pulls records through the front-end; `egress`: a compromised workload posts them to a sink outside the mesh. */
    method: z.enum(['api', 'egress']),
    /** For `egress`: the compromised workload (it reads its own data store). */
    workload: nodeName().default('user'),
  })
  .strict();

/**
 * A list with each value once, in first-seen order: a scan's services and ports are targets, and
 * one listed twice would be scanned twice (scanDuplicates says so when the experiment starts).
 */
function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** Highest TCP port number. */
const port = () => z.number().int().min(1).max(65535);

/**
 * One scheduled scan (run format kind `scan`, path [workload, "*"]): the compromised workload
 * connects to every service it can reach, target by target, on the service's own port (an HTTP
 * `GET /` to an HTTP service, a connection with one probe line to a data store or queue) and
 * on each of `otherPorts`. Moves few bytes: it shows in request and connection counts.
 */
export const scanSchema = z
  .object({
    /** Seconds after the experiment starts. */
    atSeconds: nonNegative(),
    /** The compromised workload the scan runs from (on Kubernetes: one with an `attacker` container). */
    workload: nodeName().default('user'),
    /** Seconds between one target service and the next: 0 is a fast sweep; e.g. 6 is one target every three 2-s intervals. */
    secondsBetweenTargets: nonNegative().default(0),
    /**
     * Ports tried on each service besides its own service port. On Kubernetes these very ports
     * (nothing listens there: Istio reports the connections as PassthroughCluster); on the
     * embedded mesh, where every service shares 127.0.0.1, each stands for a port nothing
     * listens on.
     */
    otherPorts: z.array(port()).max(64).transform(unique).default([22, 443, 8080]),
    /** Services to try, in order (default: every service of the target but the workload itself). */
    services: z.array(nodeName()).min(1).transform(unique).optional(),
  })
  .strict();

/**
 * One scheduled lateral movement (run format kind `lateral`, path [workload, to]): the
 * compromised workload calls a service or data store it never calls, `calls` times (an HTTP
 * `GET /health`, or a new connection reading one record from a data store).
 */
export const lateralSchema = z
  .object({
    /** Seconds after the experiment starts. */
    atSeconds: nonNegative(),
    /** The compromised workload (on Kubernetes: one with an `attacker` container). */
    workload: nodeName().default('user'),
    /** The service or data store it calls; must not be one the application's topology lets it call. */
    to: nodeName(),
    /** Number of calls. */
    calls: z.number().int().positive().max(10_000).default(5),
    /** Seconds between one call and the next. */
    secondsBetweenCalls: nonNegative().default(0.2),
  })
  .strict()
  .refine((x) => x.to !== x.workload, { path: ['to'], message: 'must differ from workload (a workload calling itself is no movement)' });

export const loadShapeSchema = z.enum(['constant', 'normal', 'bursty']);

export const trafficSchema = z
  .object({
    /** `auto`: Locust when installed, else the built-in generator. */
    generator: z.enum(['auto', 'builtin', 'locust']).default('auto'),
    /** Peak number of simulated users. */
    users: z.number().int().positive().default(12),
    /** How the number of users varies over the run. */
    shape: loadShapeSchema.default('normal'),
    /** Think time between a user's actions, [min, max] seconds. */
    thinkTimeSeconds: z.tuple([nonNegative(), nonNegative()]).default([2, 4]),
    /** Scales think time (0.5 = twice as busy), to fit Sock Shop behaviour into short runs. */
    thinkTimeScale: positive().default(1),
    /** Relative weights of the three Sock Shop user behaviours Munnin used. */
    mix: z
      .object({ browse: nonNegative().default(50), buy: nonNegative().default(30), register: nonNegative().default(20) })
      .strict()
      .prefault({}),
    /** Seed for the built-in generator's choices (same seed, same sequence of decisions). */
    seed: z.number().int().default(1),
    /** Path to the locust executable (default: `locust` on PATH). */
    locustBinary: z.string().min(1).optional(),
  })
  .strict();

export const prometheusSchema = z
  .object({
    /** External Prometheus-API endpoint; when set, `--source auto` uses it. */
    url: z
      .string()
      .superRefine((url, ctx) => {
        // Shown masked, never whole (params.hideValue): a password with `/` or `#` makes it unparsable.
        if (!URL.canParse(url)) ctx.addIssue({ code: 'custom', params: { hideValue: true }, message: `Invalid URL (got ${JSON.stringify(urlForMessage(url))})` });
      })
      .optional(),
    /** Path to a prometheus binary for a managed local Prometheus (default: `prometheus` on PATH). */
    binary: z.string().min(1).optional(),
    /** Name of the environment variable holding a bearer token (the token itself never goes in a file). */
    bearerTokenEnv: z.string().min(1).optional(),
    /** Basic-auth user name. */
    basicAuthUser: z.string().min(1).optional(),
    /** Name of the environment variable holding the basic-auth password. */
    basicAuthPasswordEnv: z.string().min(1).optional(),
    /** Extra request headers, e.g. { "X-Scope-OrgID": "tenant-1" } for Grafana Mimir. Not for credentials: see headersFromEnv. */
    headers: z
      .record(z.string(), z.string())
      .superRefine((headers, ctx) => {
        for (const name of Object.keys(headers)) {
          if (!SECRET_HEADER.test(name)) continue;
          // The value is a secret: the message must not repeat it (params.hideValue).
          ctx.addIssue({
            code: 'custom',
            path: [name],
            params: { hideValue: true },
            message: 'a credential must not be written in a file: put it in an environment variable and name that variable in headersFromEnv',
          });
        }
      })
      .default({}),
    /** Headers whose values are secrets: header name → name of the environment variable holding the value. */
    headersFromEnv: z.record(z.string(), z.string().min(1)).default({}),
    /** Istio reporter whose series are read first; the other fills in callers without a sidecar. */
    reporter: z.enum(['source', 'destination']).default('source'),
    /** Label giving the source node. */
    sourceLabel: z.string().min(1).default('source_workload'),
    /** Label giving the destination node. */
    destinationLabel: z.string().min(1).default('destination_service_name'),
    /** Scrape interval of the managed Prometheus (seconds). */
    scrapeIntervalSeconds: z.number().finite().min(MIN_SCRAPE_INTERVAL_SECONDS, { message: `must be at least ${MIN_SCRAPE_INTERVAL_SECONDS} s: each scrape reads every sidecar and must finish before the next` }).default(1),
    /** Per-query time-out. */
    timeoutMillis: z.number().int().positive().default(3000),
    /** Restarts of a managed Prometheus that dies mid-run, at most, per 5 minutes (0: never restart). */
    maxRestarts: z.number().int().nonnegative().default(5),
  })
  .strict();

export const telemetrySchema = z
  .object({
    /** `auto`: prometheus.url if set, else a managed Prometheus if its binary is found, else direct scrape. */
    source: z.enum(['auto', 'scrape', 'prometheus']).default('auto'),
    /** Time-out of one sidecar scrape. */
    scrapeTimeoutMillis: z.number().int().positive().default(2000),
    /** Renames applied to node names as read (Istio's sidecar-less caller and out-of-mesh destinations: allowed, and refused under REGISTRY_ONLY). */
    aliases: z.record(z.string(), z.string()).default({ unknown: 'external', PassthroughCluster: 'external', BlackHoleCluster: 'external' }),
    /** Metric keys to record (run-format keys). */
    metrics: z.array(z.enum(METRIC_KEYS)).min(1).default([...METRIC_KEYS]),
    prometheus: prometheusSchema.prefault({}),
  })
  .strict();

export const meshSchema = z
  .object({
    /** Kubernetes-style namespace reported in the Istio labels. */
    namespace: namespaceName().default('sock-shop'),
    /** Number of customers (each with an address and a card) created at start, as Munnin's pop_db did. */
    customers: z.number().int().positive().default(300),
    /** Number of socks in the catalogue. */
    catalogueItems: z.number().int().positive().default(40),
    /**
     * Seconds between the embedded sidecars' stats flushes: histogram sums (request and response
     * bytes) and TCP byte counters change only at a flush, as Envoy's do. 1 matches what munnin
     * sets on a cluster (istio/); Istio's own default is 5, to study what a default mesh shows.
     */
    statsFlushSeconds: z.number().finite().min(0.001).default(1),
  })
  .strict();

export const kubernetesSchema = z
  .object({
    /** kubeconfig context (default: the current one). */
    context: z.string().min(1).optional(),
    /** Namespace of the Sock Shop. */
    namespace: namespaceName().default('sock-shop'),
    /** Delete what was applied when the experiment ends. */
    teardown: z.boolean().default(false),
    /** Longest wait for the rollouts. */
    rolloutTimeoutMillis: z.number().int().positive().default(600_000),
    /** Run Locust as a Job inside the cluster (istio/locust/) instead of on this machine. */
    inClusterLocust: z.boolean().default(false),
  })
  .strict();

/** Detector settings; each detector's own options are documented in src/detectors. */
export const detectorsSchema = z
  .object({
    /** Detectors to run (all by default). */
    enabled: z.array(z.enum(DETECTOR_CHOICES)).default([...DETECTOR_CHOICES]),
    /** Leading stretch used only to train (no alarms). */
    trainingSeconds: nonNegative().default(DEFAULT_TRAINING_SECONDS),
    /**
     * The operating point: the fraction of benign scored intervals a detector may alarm on
     * (family-wise over everything it watches), in (0, 0.5). Every calibrated detector sets its
     * threshold from it; a detector's own `falseAlarmRate`, or a fixed `k`/`alpha`/
     * `criticalProbability` in its options, overrides it. Default 0.01.
     */
    falseAlarmRate: z.number().finite().gt(0).lt(0.5).default(DEFAULT_FALSE_ALARM_RATE),
    /** PLUGINS (issue 18): detector modules (README "Writing a detector"), paths relative to the parameters file; each one listed runs. */
    plugins: z.array(z.string().min(1)).optional(),
    /** Per-detector options, passed through to each detector's own validation. */
    options: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  })
  .strict();

export const parametersSchema = z
  .object({
    /** Run name (default: the next free runN). */
    name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only').optional(),
    /** Folder runs are written under. */
    outputDir: z.string().min(1).default('experimental_data'),
    /** Where the application runs. */
    target: z.enum(['embedded', 'kubernetes']).default('embedded'),
    /** Length of the recorded experiment. */
    durationSeconds: positive().default(150),
    /** Length of one traffic-matrix interval. */
    intervalSeconds: z.number().finite().min(MIN_INTERVAL_SECONDS, { message: `must be at least ${MIN_INTERVAL_SECONDS} s: every interval reads all telemetry once, and shorter ones end before that read does (nothing would be recorded)` }).default(2),
    mesh: meshSchema.prefault({}),
    traffic: trafficSchema.prefault({}),
    /**
     * Exfiltrations, in any order. The defaults start just after an interval boundary (of the
     * default 2 s), where their traffic has the rest of the interval to reach the telemetry
     * (see attacksNearIntervalEnds).
     */
    exfiltration: z.array(exfiltrationSchema).default([
      { atSeconds: 90.1, bytes: 400_000, method: 'api', workload: 'user' },
      { atSeconds: 120.1, bytes: 400_000, method: 'egress', workload: 'user' },
    ]),
    /** Scans, in any order (none by default). */
    scan: z.array(scanSchema).default([]),
    /** Lateral movements, in any order (none by default). */
    lateral: z.array(lateralSchema).default([]),
    telemetry: telemetrySchema.prefault({}),
    detectors: detectorsSchema.prefault({}),
    kubernetes: kubernetesSchema.prefault({}),
  })
  .strict();

/** Parameters as a researcher writes them in parameters.ts: every field optional. */
export type ParametersInput = z.input<typeof parametersSchema>;
/** Parameters with every default applied and every value checked. */
export type Parameters = z.output<typeof parametersSchema>;
export type ExfiltrationSpec = z.output<typeof exfiltrationSchema>;
export type ScanSpec = z.output<typeof scanSchema>;
export type LateralSpec = z.output<typeof lateralSchema>;
export type TrafficParameters = z.output<typeof trafficSchema>;
export type TelemetryParameters = z.output<typeof telemetrySchema>;
export type PrometheusParameters = z.output<typeof prometheusSchema>;
export type MeshParameters = z.output<typeof meshSchema>;
export type DetectorParameters = z.output<typeof detectorsSchema>;
export type KubernetesParameters = z.output<typeof kubernetesSchema>;
export type LoadShape = z.output<typeof loadShapeSchema>;

// Telemetry: reading Istio's counters from the sidecars (directly, or through a Prometheus
// API) into TelemetryReads, one per interval. See createPrometheusSource.ts for how read(t)
// picks its evaluation time and why counter resets stay per sidecar, istioMapper.ts for the
// reporter rule, and ManagedPrometheus.ts for how a managed server that dies is restarted.
export { parseExposition, type ExpositionFamily, type ExpositionSample, type ExpositionType, type ParseOptions } from './parseExposition.ts';
export { ExpositionParseError } from './ExpositionParseError.ts';
export { labelSetKey } from './labelSetKey.ts';
export { createIstioMapper, TelemetryDataError, type IstioMapper, type IstioMappingOptions, type IstioReporter } from './istioMapper.ts';
export { createScrapeSource, type ScrapeSourceOptions } from './createScrapeSource.ts';
export { pollTelemetry, type PollOptions, type LaggingTelemetrySource } from './pollTelemetry.ts';
export { createPrometheusSource, type PrometheusSource, type PrometheusSourceOptions } from './createPrometheusSource.ts';
export { authHeaders, prometheusAuth, type PrometheusAuth, type PrometheusAuthOptions } from './prometheusAuth.ts';
export { OutageLog } from './OutageLog.ts';
export type { ManagedPrometheus } from './ManagedPrometheus.ts';
export { startManagedPrometheus, type ManagedPrometheusOptions } from './startManagedPrometheus.ts';
export { startManagedVictoriaMetrics } from './startManagedVictoriaMetrics.ts';
export { RestartPolicy, restartLimits, DEFAULT_RESTART_LIMITS, type RestartLimits } from './RestartPolicy.ts';
export { findBinary } from './findBinary.ts';
export { reapStaleServers } from './reapStaleServers.ts';
export { tiedToParent } from './tiedToParent.ts';
export { scrapeConfig, SIDECAR_JOB } from './scrapeConfig.ts';
export { istioQueries, type IstioQuery, type IstioQueryOptions } from './istioQueries.ts';
export { downTargetsExpr, downTargetsReason, DOWN_TARGET_WINDOW } from './downTargets.ts';
export { newestSampleExpr, defaultMaxSampleAgeSeconds, staleSamplesReason } from './sampleFreshness.ts';
export { createRangeQuery, type RangeQuery, type RangeSeries } from './createRangeQuery.ts';
export { createInstantQuery, type InstantQuery, type InstantQueryOptions } from './createInstantQuery.ts';
export { parsePrometheusUrl, prometheusBaseUrl } from './prometheusUrl.ts';
export { describePrometheusFailure } from './prometheusResponse.ts';
export { prometheusApiSource, probePrometheusOnce } from './prometheusApiSource.ts';
export { parseDurationSeconds } from './parseDurationSeconds.ts';
export { readScrapeInterval, scrapeIntervalOf, type ScrapeIntervalReading } from './readScrapeInterval.ts';
export { victoriaMetricsLatency, type VictoriaMetricsLatency } from './victoriaMetricsLatency.ts';

// The Kubernetes target: the Sock Shop from istio/ on a real Kubernetes + Istio cluster, through
// @kubernetes/client-node. startKubernetesTarget does everything; the steps are exported for
// tests and for anyone scripting a cluster by hand. See istio/README.md.
export {
  startKubernetesTarget,
  DEFAULT_MANIFESTS_DIR,
  MANIFEST_NAMESPACE,
  FRONT_END_RELAY,
  type KubernetesTarget,
  type KubernetesTargetOptions,
} from './startKubernetesTarget.ts';
export { connectKube, DEFAULT_REQUEST_TIMEOUT_MILLIS, type KubeClient, type KubeClientOptions } from './KubeClient.ts';
export { preflight, findPrometheus, DEFAULT_PROMETHEUS_CANDIDATES, type PreflightOptions, type PreflightResult, type PrometheusLocation, type OutboundTrafficPolicy } from './preflight.ts';
export { statsFlushSettings, verifyStatsFlush, checkIntervalAgainstFlush, BOOTSTRAP_ANNOTATION, ISTIO_DEFAULT_FLUSH_SECONDS, type StatsFlushSettings } from './statsFlush.ts';
// Read from a Prometheus's own configuration; in telemetry, since record reads it too.
export { parseDurationSeconds, readScrapeInterval, scrapeIntervalOf, type ScrapeIntervalReading } from '../telemetry/index.ts';
export {
  loadManifests,
  parseManifestFile,
  retargetNamespace,
  inApplyOrder,
  objectRef,
  objectKey,
  configMapFromFolder,
  type Manifest,
  type KubeObject,
} from './manifests.ts';
export { applyManifests, FIELD_MANAGER, type ApplyOptions, type ApplyResult } from './applyManifests.ts';
export { waitForRollouts, rolloutPending, realClock, type Clock, type RolloutOptions } from './waitForRollouts.ts';
export { checkSidecars, hasSidecar } from './checkSidecars.ts';
export { startServiceForward, CARRIED_AUTHORIZATION_HEADER, type ServiceForward, type ServiceForwardOptions } from './serviceForward.ts';
export { execEgress, ATTACKER_CONTAINER, EXFILTRATE_COMMAND, type ExecEgressOptions } from './execEgress.ts';
export { execScan, execLateral, servicePorts, SCAN_COMMAND, LATERAL_COMMAND, type ServicePort, type ServiceProtocol, type ExecScanOptions, type ExecLateralOptions } from './execAttack.ts';
export { populateCustomers, customerUsername, type PopulateOptions, type PopulateResult } from './populateCustomers.ts';
export { createInClusterLocust, DEFAULT_LOCUST_JOB, LOCUST_STOP_COMMAND, type InClusterLocustOptions } from './inClusterLocust.ts';
export { teardown, type TeardownResult } from './teardown.ts';
export { describeKubeError, statusCodeOf, isNotFound, forbiddenHint } from './kubeErrors.ts';

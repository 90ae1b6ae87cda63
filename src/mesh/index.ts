// The embedded target: a Weave Sock Shop-shaped mesh on 127.0.0.1 whose sidecars serve
// Istio's standard metrics. See startEmbeddedMesh.ts and frontEnd.ts (the HTTP API).
export { startEmbeddedMesh } from './startEmbeddedMesh.ts';
export { validateMeshOptions, type EmbeddedMesh, type EmbeddedMeshOptions } from './EmbeddedMesh.ts';
export { SOCK_SHOP_EDGES, SOCK_SHOP_WORKLOADS, DATA_STORE_OF } from './topology.ts';
export { SEEDED_PASSWORD } from './customerData.ts';
export { ENVOY_BUCKETS } from './IstioMetrics.ts';
export { realFlushTimer, type FlushTimer } from './Sidecar.ts';
export { PASSTHROUGH } from './istioLabels.ts';
export { closeServer, listen } from './listen.ts';
export { createPrng, type Prng } from './prng.ts';
export { embeddedAttackProblems } from './embeddedAttackProblems.ts';

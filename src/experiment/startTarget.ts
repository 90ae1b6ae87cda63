import type { Parameters } from '../config/index.ts';
import { startEmbeddedMesh } from '../mesh/index.ts';
import type { Target } from '../types.ts';

/** Bring up the application under test named by `target`. */
export async function startTarget(params: Parameters, note: (message: string) => void, signal?: AbortSignal): Promise<Target> {
  if (params.target === 'kubernetes') {
    // Loaded on demand: the Kubernetes client is heavy and not needed for the embedded mesh.
    const { startKubernetesTarget } = await import('../k8s/index.ts');
    return startKubernetesTarget({
      kubernetes: params.kubernetes,
      customers: params.mesh.customers,
      intervalSeconds: params.intervalSeconds,
      onProgress: note,
      ...(params.telemetry.prometheus.url ? { prometheusUrl: params.telemetry.prometheus.url } : {}),
      ...(signal ? { signal } : {}),
    });
  }
  note(`starting the embedded Sock Shop mesh (${params.mesh.customers} customers)...`);
  const mesh = await startEmbeddedMesh({
    namespace: params.mesh.namespace,
    customers: params.mesh.customers,
    catalogueItems: params.mesh.catalogueItems,
    statsFlushSeconds: params.mesh.statsFlushSeconds,
  });
  note(`mesh up: ${mesh.services.length} workloads, front-end at ${mesh.frontEndUrl}`);
  return mesh;
}

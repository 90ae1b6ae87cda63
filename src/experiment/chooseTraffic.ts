import { join } from 'node:path';
import type { Parameters } from '../config/index.ts';
import { UserError } from '../errors.ts';
import { createBuiltinTraffic, createLocustTraffic, locustAvailable } from '../traffic/index.ts';
import type { RunEvent, Target, TrafficGenerator } from '../types.ts';

/** `auto`: Locust when installed, else the built-in generator; on Kubernetes, optionally Locust in the cluster. */
export async function chooseTraffic(params: Parameters, target: Target, runDir: string, onEvent: (e: RunEvent) => void, note: (message: string) => void = () => {}): Promise<TrafficGenerator> {
  const wanted = params.traffic.generator;
  const inCluster = params.target === 'kubernetes' && params.kubernetes.inClusterLocust;
  const haveLocust = wanted === 'builtin' || inCluster ? false : await locustAvailable(params.traffic.locustBinary);
  if (wanted === 'locust' && !inCluster && !haveLocust) {
    throw new UserError(`traffic.generator: locust is not installed (got "locust"; install it with apt-get install -y python3-locust, or use --traffic builtin)`);
  }
  const common = { frontEndUrl: target.frontEndUrl, traffic: params.traffic, durationSeconds: params.durationSeconds };
  const users = `${params.traffic.users} users, ${params.traffic.shape} load shape`;
  if (inCluster) {
    if (!target.createInClusterLocust) throw new UserError('kubernetes.inClusterLocust: this target cannot run Locust in the cluster');
    note(`traffic: Locust in the cluster (${users})`);
    return target.createInClusterLocust({ traffic: params.traffic, durationSeconds: params.durationSeconds, statsFile: join(runDir, 'locust-stats.json') });
  }
  if (haveLocust) {
    note(`traffic: Locust (${users})`);
    return createLocustTraffic({ ...common, statsFile: join(runDir, 'locust-stats.json'), ...(params.traffic.locustBinary ? { locustBinary: params.traffic.locustBinary } : {}) });
  }
  note(`traffic: built-in generator (${users})${wanted === 'auto' ? '; install python3-locust to use Locust' : ''}`);
  return createBuiltinTraffic({ ...common, onEvent });
}

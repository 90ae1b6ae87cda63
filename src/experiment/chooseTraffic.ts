import { join } from 'node:path';
import type { Parameters } from '../config/index.ts';
import { UserError } from '../errors.ts';
import { createBuiltinTraffic, createLocustTraffic, locustAvailable } from '../traffic/index.ts';
import type { RunEvent, Target, TrafficGenerator } from '../types.ts';

/** `auto`: Locust when installed, else the built-in generator. */
export async function chooseTraffic(params: Parameters, target: Target, runDir: string, onEvent: (e: RunEvent) => void, note: (message: string) => void = () => {}): Promise<TrafficGenerator> {
  const wanted = params.traffic.generator;
  const haveLocust = wanted === 'builtin' ? false : await locustAvailable(params.traffic.locustBinary);
  if (wanted === 'locust' && !haveLocust) {
    throw new UserError(`traffic.generator: locust is not installed (got "locust"; install it with apt-get install -y python3-locust, or use --traffic builtin)`);
  }
  const common = { frontEndUrl: target.frontEndUrl, traffic: params.traffic, durationSeconds: params.durationSeconds };
  const users = `${params.traffic.users} users, ${params.traffic.shape} load shape`;
  if (haveLocust) {
    note(`traffic: Locust (${users})`);
    return createLocustTraffic({ ...common, statsFile: join(runDir, 'locust-stats.json'), ...(params.traffic.locustBinary ? { locustBinary: params.traffic.locustBinary } : {}) });
  }
  note(`traffic: built-in generator (${users})${wanted === 'auto' ? '; install python3-locust to use Locust' : ''}`);
  return createBuiltinTraffic({ ...common, onEvent });
}

import { log } from '../logger.ts';
import { healthReply, Router, type MeshReply, type MeshRequest } from './router.ts';
import { SHIPPING_QUEUE } from './shippingService.ts';
import type { WorkloadRuntime } from './WorkloadRuntime.ts';

export interface QueueMaster {
  /** HTTP side (health only, as Sock Shop's queue-master). */
  readonly handler: (req: MeshRequest) => Promise<MeshReply>;
  /** Subscribe to the shipping queue (resubscribes by itself after a dropped connection). */
  start(): void;
  stop(): void;
}

/** queue-master: rabbitmq's consumer, so the TCP client of rabbitmq (the edge queue-master → rabbitmq). */
export function createQueueMaster(runtime: WorkloadRuntime, retryMillis = 1000): QueueMaster {
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const client = runtime.tcp('rabbitmq', {
    onPush: (delivery) => {
      const tag = (delivery as { tag?: unknown }).tag;
      client.request('ack', { tag }).catch((error: unknown) => log.debug(`queue-master: ack failed: ${String(error)}`));
    },
    onDisconnect: () => {
      if (stopped) return;
      clearTimeout(retry);
      retry = setTimeout(subscribe, retryMillis);
      retry.unref();
    },
  });
  function subscribe(): void {
    if (stopped) return;
    client.request('consume', { queue: SHIPPING_QUEUE }).catch((error: unknown) => log.debug(`queue-master: subscribe failed: ${String(error)}`));
  }
  const router = new Router().get('/health', () => healthReply('queue-master'));
  return {
    handler: (req) => router.handle(req, undefined),
    start: subscribe,
    stop: () => {
      stopped = true;
      clearTimeout(retry);
      client.close();
    },
  };
}

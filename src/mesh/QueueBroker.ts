import type { TcpPeer } from './MeshTcpServer.ts';
import { SHIPPING_QUEUE } from './shippingService.ts';

interface Consumer {
  readonly peer: TcpPeer;
  readonly queue: string;
}

/**
 * rabbitmq: named queues; shipping publishes, queue-master consumes. A consumer gets each
 * message pushed on its connection and acknowledges it; unacknowledged messages go back
 * to the queue when their consumer disconnects.
 */
export class QueueBroker {
  private readonly queues = new Map<string, unknown[]>();
  private readonly consumers: Consumer[] = [];
  private readonly unacked = new Map<number, { queue: string; message: unknown; peer: TcpPeer }>();
  private nextTag = 1;
  private turn = 0;

  readonly handle = (request: Readonly<Record<string, unknown>>, peer: TcpPeer): unknown => {
    const queue = typeof request['queue'] === 'string' ? request['queue'] : SHIPPING_QUEUE;
    switch (request['op']) {
      case 'publish':
        this.enqueue(queue, request['message'] ?? null);
        return { queued: true };
      case 'consume':
        this.consumers.push({ peer, queue });
        peer.onClose(() => this.dropConsumer(peer));
        queueMicrotask(() => this.dispatch(queue));
        return { consuming: queue };
      case 'ack': {
        const tag = Number(request['tag']);
        return { acked: this.unacked.delete(tag) };
      }
      default:
        throw new Error(`unknown op ${JSON.stringify(request['op'])}`);
    }
  };

  private enqueue(queue: string, message: unknown): void {
    let q = this.queues.get(queue);
    if (!q) this.queues.set(queue, (q = []));
    q.push(message);
    this.dispatch(queue);
  }

  /** Hand waiting messages to the queue's consumers in turn. */
  private dispatch(queue: string): void {
    const q = this.queues.get(queue);
    const consumers = this.consumers.filter((c) => c.queue === queue);
    while (q && q.length > 0 && consumers.length > 0) {
      const consumer = consumers[this.turn++ % consumers.length] as Consumer;
      const message = q.shift();
      const tag = this.nextTag++;
      this.unacked.set(tag, { queue, message, peer: consumer.peer });
      consumer.peer.push({ tag, queue, message });
    }
  }

  private dropConsumer(peer: TcpPeer): void {
    for (let i = this.consumers.length - 1; i >= 0; i--) if (this.consumers[i]?.peer === peer) this.consumers.splice(i, 1);
    for (const [tag, u] of this.unacked) {
      if (u.peer !== peer) continue;
      this.unacked.delete(tag);
      this.enqueue(u.queue, u.message);
    }
  }
}

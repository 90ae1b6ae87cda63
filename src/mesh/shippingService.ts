import { randomUUID } from 'node:crypto';
import type { MeshTcpClient } from './MeshTcpClient.ts';
import { bodyJson, healthReply, HttpError, json, Router, type MeshReply, type MeshRequest } from './router.ts';

/** The queue shipping publishes to and queue-master consumes from. */
export const SHIPPING_QUEUE = 'shipping-task';

/** shipping: turns an order into a shipment task on rabbitmq. */
export function shippingService(rabbitmq: MeshTcpClient): (req: MeshRequest) => Promise<MeshReply> {
  const router = new Router()
    .post('/shipping', async (req) => {
      const body = bodyJson(req);
      if (typeof body['id'] !== 'string' || typeof body['name'] !== 'string') throw new HttpError(400, 'shipment needs string id and name');
      const shipment = { id: body['id'], name: body['name'], trackingId: randomUUID(), created: new Date().toISOString() };
      await rabbitmq.request('publish', { queue: SHIPPING_QUEUE, message: shipment });
      return json(201, shipment);
    })
    .get('/health', () => healthReply('shipping'));
  return (req) => router.handle(req, undefined);
}

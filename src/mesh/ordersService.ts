import { randomBytes } from 'node:crypto';
import type { CallResult, MeshHttpClient } from './MeshHttpClient.ts';
import { paging } from './paging.ts';
import { bodyJson, healthReply, HttpError, json, Router, type MeshReply, type MeshRequest } from './router.ts';
import type { StoreClient } from './StoreClient.ts';

/** Flat shipping charge added to every order, as Sock Shop's orders service does. */
export const SHIPPING_CHARGE = 4.99;

interface OrderItem {
  readonly itemId: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

/**
 * A resource link from the order (Sock Shop passes URLs such as http://user/customers/ID).
 * Only the services orders may call are accepted: any other host would be a new edge.
 */
function link(body: Record<string, unknown>, field: string, service: 'user' | 'carts'): string {
  const v = body[field];
  let url: URL | undefined;
  try {
    url = typeof v === 'string' ? new URL(v) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || url.hostname !== service) throw new HttpError(400, `${field} must be an http://${service}/... link (got ${JSON.stringify(v)})`);
  return `${url.pathname}${url.search}`;
}

function ok(r: CallResult, what: string): unknown {
  if (r.status !== 200) throw new HttpError(406, `could not fetch ${what} (status ${r.status})`);
  return r.json();
}

/** orders: places an order (customer, address, card, cart, payment, shipping), backed by orders-db. */
export function ordersService(http: MeshHttpClient, db: StoreClient): (req: MeshRequest) => Promise<MeshReply> {
  const router = new Router()
    .post('/orders', async (req) => {
      const body = bodyJson(req);
      const paths = { customer: link(body, 'customer', 'user'), address: link(body, 'address', 'user'), card: link(body, 'card', 'user'), items: link(body, 'items', 'carts') };
      const [customer, address, card, items] = await Promise.all([
        http.call('user', 'GET', paths.customer).then((r) => ok(r, 'customer') as { id: string }),
        http.call('user', 'GET', paths.address).then((r) => ok(r, 'address')),
        http.call('user', 'GET', paths.card).then((r) => ok(r, 'card')),
        http.call('carts', 'GET', paths.items).then((r) => ok(r, 'items') as OrderItem[]),
      ]);
      const total = Math.round((items.reduce((s, i) => s + i.quantity * i.unitPrice, 0) + SHIPPING_CHARGE) * 100) / 100;
      const payment = await http.call('payment', 'POST', '/paymentAuth', { body: { customer, address, card, amount: total } });
      const authorisation = (ok(payment, 'payment authorisation') as { authorisation?: { authorised?: boolean; message?: string } }).authorisation;
      if (!authorisation?.authorised) throw new HttpError(406, authorisation?.message ?? 'Payment declined');
      const id = randomBytes(12).toString('hex');
      const shipment = await http.call('shipping', 'POST', '/shipping', { body: { id, name: customer.id } });
      if (shipment.status !== 201) throw new HttpError(503, `shipping failed (status ${shipment.status})`);
      const order = await db.insert('orders', { id, customerId: customer.id, customer, address, card, items, shipment: shipment.json(), date: new Date().toISOString(), total, status: 'PAID' });
      return json(201, { ...order, _links: { self: { href: `http://orders/orders/${id}` }, order: { href: `http://orders/orders/${id}` } } });
    })
    .get('/orders', async (req) => {
      const p = paging(req.query);
      const { docs } = await db.find('orders', p.skip !== undefined ? { skip: p.skip, limit: p.limit } : {});
      return json(200, { _embedded: { customerOrders: docs } });
    })
    .get('/orders/search/customerId', async (req) => {
      const custId = req.query.get('custId') ?? '';
      const { docs } = await db.find('orders', { where: { customerId: custId } });
      return json(200, { _embedded: { customerOrders: docs } });
    })
    .get('/orders/:id', async (_req, { id = '' }) => {
      const order = await db.get('orders', id);
      return order ? json(200, order) : json(404, { error: 'order not found', status_code: 404 });
    })
    .get('/health', () => healthReply('orders'));
  return (req) => router.handle(req, undefined);
}

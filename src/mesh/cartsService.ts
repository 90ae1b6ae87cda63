import { bodyJson, healthReply, HttpError, json, Router, type MeshReply, type MeshRequest } from './router.ts';
import type { StoreClient } from './StoreClient.ts';

interface CartItem {
  readonly id: string;
  readonly customerId: string;
  readonly itemId: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

const key = (customerId: string, itemId: string) => `${customerId}:${itemId}`;

function itemFields(req: MeshRequest): { itemId: string; quantity: number; unitPrice: number } {
  const body = bodyJson(req);
  const itemId = body['itemId'];
  if (typeof itemId !== 'string' || itemId === '') throw new HttpError(400, 'itemId must be a non-empty string');
  const quantity = body['quantity'] === undefined ? 1 : Number(body['quantity']);
  const unitPrice = Number(body['unitPrice'] ?? 0);
  if (!Number.isInteger(quantity) || quantity < 0) throw new HttpError(400, `quantity must be a non-negative integer (got ${String(body['quantity'])})`);
  if (!Number.isFinite(unitPrice) || unitPrice < 0) throw new HttpError(400, `unitPrice must be a non-negative number (got ${String(body['unitPrice'])})`);
  return { itemId, quantity, unitPrice };
}

/** carts: Sock Shop's shopping carts (one per customer or anonymous session), backed by carts-db. */
export function cartsService(db: StoreClient): (req: MeshRequest) => Promise<MeshReply> {
  const items = async (customerId: string) => (await db.find<CartItem>('items', { where: { customerId } })).docs;
  const add = async (customerId: string, itemId: string, quantity: number, unitPrice: number): Promise<CartItem> => {
    const existing = await db.get<CartItem>('items', key(customerId, itemId));
    if (existing) return (await db.update<CartItem>('items', existing.id, { quantity: existing.quantity + quantity })) ?? existing;
    return db.put<CartItem>('items', key(customerId, itemId), { customerId, itemId, quantity, unitPrice });
  };
  const router = new Router()
    .get('/carts/:customerId', async (_req, { customerId = '' }) => json(200, { customerId, items: await items(customerId) }))
    .get('/carts/:customerId/items', async (_req, { customerId = '' }) => json(200, await items(customerId)))
    .post('/carts/:customerId/items', async (req, { customerId = '' }) => {
      const { itemId, quantity, unitPrice } = itemFields(req);
      return json(201, await add(customerId, itemId, quantity, unitPrice));
    })
    .on('PATCH', '/carts/:customerId/items', async (req, { customerId = '' }) => {
      const { itemId, quantity } = itemFields(req);
      const updated = await db.update<CartItem>('items', key(customerId, itemId), { quantity });
      return updated ? json(202, updated) : json(404, { error: 'item not in cart', status_code: 404 });
    })
    .delete('/carts/:customerId/items/:itemId', async (_req, { customerId = '', itemId = '' }) => {
      await db.delete('items', { key: key(customerId, itemId) });
      return { status: 202 };
    })
    .delete('/carts/:customerId', async (_req, { customerId = '' }) => {
      await db.delete('items', { where: { customerId } });
      return { status: 202 };
    })
    // After login, the anonymous session's cart joins the customer's.
    .get('/carts/:customerId/merge', async (req, { customerId = '' }) => {
      const sessionId = req.query.get('sessionId') ?? '';
      if (sessionId === '' || sessionId === customerId) return { status: 202 };
      for (const item of await items(sessionId)) {
        await add(customerId, item.itemId, item.quantity, item.unitPrice);
        await db.delete('items', { key: item.id });
      }
      return { status: 202 };
    })
    .get('/health', () => healthReply('carts'));
  return (req) => router.handle(req, undefined);
}

import { openSession, type Session } from './frontEndSession.ts';
import type { CallResult, MeshHttpClient } from './MeshHttpClient.ts';
import { bodyJson, healthReply, HttpError, httpErrorReply, json, Router, type MeshReply, type MeshRequest } from './router.ts';
import type { StoreClient } from './StoreClient.ts';

export interface FrontEndDeps {
  readonly http: MeshHttpClient;
  /** The front-end's connection to session-db. */
  readonly sessions: StoreClient;
  /** Static pages by path (see staticPages.ts). */
  readonly pages: ReadonlyMap<string, string>;
}

/** Relay a service's answer to the outside caller unchanged (Sock Shop's front-end pipes bodies through). */
function relay(r: CallResult): MeshReply {
  return { status: r.status, body: r.body, contentType: r.headers['content-type'] ?? 'application/json' };
}

const search = (req: MeshRequest) => (req.query.size > 0 ? `?${req.query.toString()}` : '');

function loggedIn(session: Session): string {
  if (!session.customerId) throw new HttpError(401, 'User not logged in.');
  return session.customerId;
}

function firstLink(r: CallResult, kind: string): string {
  const list = (r.json() as { _embedded?: Record<string, { _links?: { self?: { href?: string } } }[]> })._embedded?.[kind];
  const href = list?.[0]?._links?.self?.href;
  if (!href) throw new HttpError(406, `customer has no ${kind}`);
  return href;
}

/**
 * front-end: the only entry point. Pages (no backend calls, no session): GET /, /index.html,
 * /category.html, /detail.html, /basket.html, /customer-orders.html; GET /health.
 * JSON API (session in session-db, cookie `md.sid`; `logged_in` after login/register):
 *   GET /catalogue[?tags=&page=&size=], /catalogue/size, /catalogue/:id, /tags   → catalogue
 *   GET|DELETE /cart, POST /cart {id, quantity?}, DELETE /cart/:id, POST /cart/update → carts
 *   GET /login (Basic auth), POST /register {username, password, email, firstName, lastName} → user
 *   POST /addresses, POST /cards (logged in)                                      → user
 *   GET /customers|/addresses|/cards[?page=&size=], GET /<kind>/:id (no auth)     → user
 *   POST /orders, GET /orders (logged in)                                         → user, orders
 */
export function frontEndService({ http, sessions, pages }: FrontEndDeps): (req: MeshRequest) => Promise<MeshReply> {
  const api = new Router<Session>()
    .get('/catalogue', async (req) => relay(await http.call('catalogue', 'GET', `/catalogue${search(req)}`)))
    .get('/catalogue/size', async (req) => relay(await http.call('catalogue', 'GET', `/catalogue/size${search(req)}`)))
    .get('/catalogue/:id', async (_req, { id = '' }) => relay(await http.call('catalogue', 'GET', `/catalogue/${encodeURIComponent(id)}`)))
    .get('/tags', async () => relay(await http.call('catalogue', 'GET', '/tags')))
    .get('/cart', async (_req, _p, s) => relay(await http.call('carts', 'GET', `/carts/${s.cartId}/items`)))
    .delete('/cart', async (_req, _p, s) => relay(await http.call('carts', 'DELETE', `/carts/${s.cartId}`)))
    .delete('/cart/:id', async (_req, { id = '' }, s) => relay(await http.call('carts', 'DELETE', `/carts/${s.cartId}/items/${encodeURIComponent(id)}`)))
    .post('/cart', async (req, _p, s) => {
      const body = bodyJson(req);
      if (typeof body['id'] !== 'string') throw new HttpError(400, 'id must be a string');
      const item = await http.call('catalogue', 'GET', `/catalogue/${encodeURIComponent(body['id'])}`);
      if (item.status !== 200) return relay(item);
      const quantity = body['quantity'] === undefined ? 1 : Number(body['quantity']);
      const unitPrice = (item.json() as { price: number }).price;
      return relay(await http.call('carts', 'POST', `/carts/${s.cartId}/items`, { body: { itemId: body['id'], quantity, unitPrice } }));
    })
    .post('/cart/update', async (req, _p, s) => {
      const body = bodyJson(req);
      return relay(await http.call('carts', 'PATCH', `/carts/${s.cartId}/items`, { body: { itemId: body['id'], quantity: body['quantity'] } }));
    })
    .get('/login', async (req, _p, s) => {
      const r = await http.call('user', 'GET', '/login', { headers: { Authorization: req.headers.authorization ?? '' } });
      if (r.status !== 200) return relay(r);
      const anonymousCart = s.cartId;
      const { user } = r.json() as { user: { id: string } };
      await s.logIn(user.id);
      await http.call('carts', 'GET', `/carts/${user.id}/merge?sessionId=${encodeURIComponent(anonymousCart)}`);
      return { status: 200, body: 'Cookie is set', contentType: 'text/plain' };
    })
    .post('/register', async (req, _p, s) => {
      const r = await http.call('user', 'POST', '/register', { body: req.body });
      if (r.status === 200) await s.logIn((r.json() as { id: string }).id);
      return relay(r);
    })
    .post('/addresses', async (req, _p, s) => relay(await http.call('user', 'POST', '/addresses', { body: { ...bodyJson(req), userID: loggedIn(s) } })))
    .post('/cards', async (req, _p, s) => relay(await http.call('user', 'POST', '/cards', { body: { ...bodyJson(req), userID: loggedIn(s) } })))
    .get('/orders', async (_req, _p, s) => relay(await http.call('orders', 'GET', `/orders/search/customerId?sort=date&custId=${loggedIn(s)}`)))
    .post('/orders', async (_req, _p, s) => {
      const customerId = loggedIn(s);
      const customer = await http.call('user', 'GET', `/customers/${customerId}`);
      if (customer.status !== 200) return relay(customer);
      const links = (customer.json() as { _links: { customer: { href: string }; addresses: { href: string }; cards: { href: string } } })._links;
      const path = (href: string) => new URL(href).pathname;
      const [addresses, cards] = await Promise.all([http.call('user', 'GET', path(links.addresses.href)), http.call('user', 'GET', path(links.cards.href))]);
      const order = { customer: links.customer.href, address: firstLink(addresses, 'address'), card: firstLink(cards, 'card'), items: `http://carts/carts/${customerId}/items` };
      return relay(await http.call('orders', 'POST', '/orders', { body: order }));
    });
  // Customer records, exactly as the user service answers them (paged with ?page=&size=).
  for (const kind of ['customers', 'addresses', 'cards']) {
    api.get(`/${kind}`, async (req) => relay(await http.call('user', 'GET', `/${kind}${search(req)}`)));
    api.get(`/${kind}/:id`, async (_req, { id = '' }) => relay(await http.call('user', 'GET', `/${kind}/${encodeURIComponent(id)}`)));
  }

  return async (req) => {
    const page = req.method === 'GET' || req.method === 'HEAD' ? pages.get(req.path) : undefined;
    if (page !== undefined) return { status: 200, body: page, contentType: 'text/html; charset=utf-8' };
    if (req.path === '/health') return healthReply('front-end');
    if (!api.has(req)) return json(404, { error: 'Not Found', status_code: 404 });
    const session = await openSession(sessions, req);
    let reply: MeshReply;
    try {
      reply = await api.handle(req, session);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      reply = httpErrorReply(error);
    }
    return session.setCookies.length === 0 ? reply : { ...reply, headers: [...(reply.headers ?? []), ['Set-Cookie', session.setCookies]] };
  };
}

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listen } from '../../src/mesh/index.ts';

// A small stand-in for the Sock Shop front-end (the routes the traffic generators and the
// `api` exfiltration use), for tests of src/traffic and src/exfiltration. It enforces what
// a real front-end would: the session cookie from /login for the cart and orders, 1-based paging.

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: string;
  readonly cookie: string | undefined;
  /** Status answered (0 until answered). */
  status: number;
  /** Response body bytes sent. */
  bytes: number;
}

export interface FakeFrontEnd {
  readonly url: string;
  /** Every request, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Registered accounts, username → password. */
  readonly accounts: Map<string, string>;
  /** Orders placed, by username. */
  readonly orders: string[];
  /** Answer every request with 500 from now on. */
  failing: boolean;
  close(): Promise<void>;
}

export interface FakeFrontEndOptions {
  /** Customers (each with an address and a card). */
  readonly customers?: number;
  readonly catalogueItems?: number;
}

function json(res: ServerResponse, record: RecordedRequest, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  record.status = status;
  record.bytes = Buffer.byteLength(text);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString();
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

export async function startFakeFrontEnd(options: FakeFrontEndOptions = {}): Promise<FakeFrontEnd> {
  const customerCount = options.customers ?? 50;
  const catalogue = Array.from({ length: options.catalogueItems ?? 8 }, (_, i) => ({ id: `sock-${i}`, name: `Sock ${i}`, price: 5 + i }));
  const records = {
    customers: Array.from({ length: customerCount }, (_, i) => ({ id: `c${i}`, username: `customer${i}`, firstName: 'Fake', lastName: `Customer ${i}` })),
    addresses: Array.from({ length: customerCount }, (_, i) => ({ id: `a${i}`, number: `${i}`, street: 'Long Street', city: 'Town', postcode: '0000' })),
    cards: Array.from({ length: customerCount }, (_, i) => ({ id: `k${i}`, longNum: `4111${String(i).padStart(12, '0')}`, expires: '12/30' })),
  };
  const sessions = new Map<string, { user?: string; cart: string[] }>();
  let nextSession = 0;
  /** Usernames with an address and a card on file (orders need both, as in Sock Shop). */
  const payment = new Map<string, { address: boolean; card: boolean }>();
  const logIn = (user: string) => {
    const id = String(nextSession++);
    sessions.set(id, { user, cart: [] });
    return { 'set-cookie': `sid=${id}; Path=/; HttpOnly` };
  };
  const state: FakeFrontEnd = {
    url: '',
    requests: [],
    accounts: new Map(),
    orders: [],
    failing: false,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const record: RecordedRequest = { method, path: url.pathname, query: url.search, cookie: req.headers.cookie, status: 0, bytes: 0 };
    state.requests.push(record);
    const reply = (status: number, body: unknown, headers?: Record<string, string>) => json(res, record, status, body, headers);
    const body = await readBody(req);
    if (state.failing) return reply(500, { error: 'failing on purpose' });
    const sid = /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const session = sid === undefined ? undefined : sessions.get(sid);
    const route = `${method} ${url.pathname}`;
    if (route === 'GET /' || route === 'GET /health') return reply(200, { ok: true });
    if (route === 'GET /catalogue') return reply(200, catalogue);
    if (method === 'GET' && url.pathname.startsWith('/catalogue/')) {
      const item = catalogue.find((c) => c.id === decodeURIComponent(url.pathname.slice('/catalogue/'.length)));
      return item ? reply(200, item) : reply(404, { error: 'no such item' });
    }
    if (route === 'POST /register') {
      const b = body as Record<string, unknown> | undefined;
      const fields = ['username', 'password', 'email', 'firstName', 'lastName'];
      if (!b || fields.some((f) => typeof b[f] !== 'string')) return reply(400, { error: 'missing fields' });
      if (state.accounts.has(b['username'] as string)) return reply(409, { error: 'exists' });
      state.accounts.set(b['username'] as string, b['password'] as string);
      // Sock Shop logs a new customer in at once.
      return reply(200, { id: b['username'] }, logIn(b['username'] as string));
    }
    if (route === 'GET /login') {
      const [user, password] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':');
      if (!user || state.accounts.get(user) !== password) return reply(401, { error: 'bad credentials' });
      return reply(200, { ok: true }, logIn(user));
    }
    if (route === 'POST /addresses' || route === 'POST /cards') {
      if (!session?.user) return reply(401, { error: 'not logged in' });
      const on = payment.get(session.user) ?? { address: false, card: false };
      payment.set(session.user, route === 'POST /addresses' ? { ...on, address: true } : { ...on, card: true });
      return reply(200, { id: `${session.user}-${route}` });
    }
    if (route === 'POST /cart' || route === 'GET /cart' || route === 'POST /orders') {
      if (!session) return reply(401, { error: 'no session' });
      if (route === 'GET /cart') return reply(200, session.cart);
      if (route === 'POST /cart') {
        const id = (body as { id?: unknown } | undefined)?.id;
        if (typeof id !== 'string' || !catalogue.some((c) => c.id === id)) return reply(400, { error: 'bad item' });
        session.cart.push(id);
        return reply(201, { id });
      }
      if (!session.user || session.cart.length === 0) return reply(406, { error: 'nothing to order' });
      const on = payment.get(session.user);
      if (!on?.address || !on.card) return reply(406, { error: 'customer has no address or card' });
      state.orders.push(session.user);
      session.cart = [];
      return reply(201, { ok: true });
    }
    const list = records[url.pathname.slice(1) as keyof typeof records];
    if (method === 'GET' && list) {
      const page = Number(url.searchParams.get('page') ?? '1');
      const size = Number(url.searchParams.get('size') ?? '10');
      return reply(200, list.slice((page - 1) * size, page * size));
    }
    return reply(404, { error: 'not found' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  (state as { url: string }).url = `http://127.0.0.1:${await listen(server)}`;
  return state;
}

import { randomBytes } from 'node:crypto';
import { hashPassword } from './customerData.ts';
import { paging } from './paging.ts';
import { bodyJson, healthReply, HttpError, json, Router, type MeshReply, type MeshRequest } from './router.ts';
import type { StoreClient } from './StoreClient.ts';
import { embedded, USER_KINDS, type CustomerDoc } from './userRecords.ts';

function text(body: Record<string, unknown>, field: string, required = true): string {
  const v = body[field];
  if (typeof v === 'string' && v !== '') return v;
  if (v === undefined && !required) return '';
  throw new HttpError(400, `${field} must be a non-empty string`);
}

/** `Authorization: Basic ...` → [username, password], or undefined. */
function basicAuth(req: MeshRequest): [string, string] | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

/** user: customers, their addresses and cards, login and registration; backed by user-db. */
export function userService(db: StoreClient): (req: MeshRequest) => Promise<MeshReply> {
  const router = new Router();
  for (const [path, kind] of Object.entries(USER_KINDS)) {
    // Lists answer every record unless paged, as Sock Shop's do: what the `api` attacker pulls.
    router.get(`/${path}`, async (req) => {
      const p = paging(req.query);
      const { docs, total } = await db.find(kind.collection, p.skip !== undefined ? { skip: p.skip, limit: p.limit } : {});
      return json(200, embedded(kind.key, docs.map(kind.out), { page: p.page, size: p.size, total }));
    });
    router.get(`/${path}/:id`, async (_req, { id = '' }) => {
      const doc = await db.get(kind.collection, id);
      return doc ? json(200, kind.out(doc)) : json(404, { error: `${kind.key} not found`, status_code: 404 });
    });
  }
  for (const kind of [USER_KINDS.addresses, USER_KINDS.cards]) {
    router.get(`/customers/:id/${kind.collection}`, async (_req, { id = '' }) => {
      const { docs } = await db.find(kind.collection, { where: { customerId: id } });
      return json(200, embedded(kind.key, docs.map(kind.out)));
    });
  }
  const owner = async (body: Record<string, unknown>): Promise<string> => {
    const customerId = text(body, 'userID');
    if (!(await db.get('customers', customerId))) throw new HttpError(404, `no customer ${customerId}`);
    return customerId;
  };
  router
    .post('/addresses', async (req) => {
      const body = bodyJson(req);
      const fields = { street: text(body, 'street'), number: text(body, 'number', false), country: text(body, 'country', false), city: text(body, 'city', false), postcode: text(body, 'postcode', false) };
      const doc = await db.insert('addresses', { customerId: await owner(body), ...fields });
      return json(200, { id: doc.id });
    })
    .post('/cards', async (req) => {
      const body = bodyJson(req);
      const fields = { longNum: text(body, 'longNum'), expires: text(body, 'expires', false), ccv: text(body, 'ccv', false) };
      const doc = await db.insert('cards', { customerId: await owner(body), ...fields });
      return json(200, { id: doc.id });
    })
    .post('/register', async (req) => {
      const body = bodyJson(req);
      const username = text(body, 'username');
      const password = text(body, 'password');
      if ((await db.find('customers', { where: { username }, limit: 1 })).total > 0) throw new HttpError(409, `username ${username} is taken`);
      const salt = randomBytes(20).toString('hex');
      const fields = { firstName: text(body, 'firstName', false), lastName: text(body, 'lastName', false), username, email: text(body, 'email', false), phone: '' };
      const doc = await db.insert('customers', { ...fields, salt, password: hashPassword(salt, password) });
      return json(200, { id: doc.id });
    })
    .get('/login', async (req) => {
      const credentials = basicAuth(req);
      if (!credentials) throw new HttpError(401, 'Basic authorization required');
      const { docs } = await db.find<CustomerDoc>('customers', { where: { username: credentials[0] }, limit: 1 });
      const c = docs[0];
      if (!c || hashPassword(c.salt, credentials[1]) !== c.password) throw new HttpError(401, 'Unauthorized');
      return json(200, { user: USER_KINDS.customers.out(c) });
    })
    .get('/health', () => healthReply('user'));
  return (req) => router.handle(req, undefined);
}

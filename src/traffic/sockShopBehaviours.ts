import type { Behaviour } from './behaviourPlan.ts';
import type { Random } from './random.ts';
import type { UserSession } from './UserSession.ts';

// Munnin's Sock Shop users (its locustfile), through the front-end only. locust/locustfile.py
// does the same for real Locust; keep the two in step.

/** A customer account a virtual user registered (it logs in with it to buy). */
export interface Account {
  readonly username: string;
  readonly password: string;
  /** An address and a card are on file (Sock Shop orders need both). */
  paymentDetails: boolean;
}

/** A virtual user's memory between actions. */
export interface ShopperState {
  /** Stable number of this virtual user (names its accounts). */
  readonly userNumber: number;
  /** Distinguishes this run's accounts from earlier runs' on a long-lived cluster. */
  readonly runTag: string;
  readonly session: UserSession;
  readonly random: Random;
  account?: Account;
  registrations: number;
}

const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret', 'Ken', 'Frances', 'Niklaus'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Hamilton', 'Thompson', 'Allen', 'Wirth'];
const STREETS = ['Main Street', 'Station Road', 'Quay Lane', 'Elm Avenue', 'Market Square'];

/** Item ids of the catalogue, or [] when it could not be read. */
async function catalogueIds(s: ShopperState): Promise<string[]> {
  const reply = await s.session.request('GET', '/catalogue');
  if (!reply || reply.status >= 400) return [];
  try {
    const items: unknown = JSON.parse(reply.body);
    if (!Array.isArray(items)) return [];
    return items.flatMap((item: unknown) => {
      const id = (item as { id?: unknown } | null)?.id;
      return typeof id === 'string' || typeof id === 'number' ? [String(id)] : [];
    });
  } catch {
    return [];
  }
}

/** Browse: the index, the catalogue, then one to three item pages. */
export async function browse(s: ShopperState): Promise<void> {
  await s.session.request('GET', '/');
  const ids = await catalogueIds(s);
  const pages = s.random.int(1, 3);
  for (let i = 0; i < pages && ids.length > 0 && !s.session.stopped; i++) {
    const id = s.random.pick(ids)!;
    await s.session.request('GET', `/catalogue/${encodeURIComponent(id)}`, { name: '/catalogue/[id]' });
  }
}

/** Register: sign up as a new customer; the user then shops as that customer. */
export async function register(s: ShopperState): Promise<void> {
  s.registrations += 1;
  const username = `munnin-${s.runTag}-${s.userNumber}-${s.registrations}`;
  const password = s.random.hex(16);
  const reply = await s.session.request('POST', '/register', {
    json: {
      username,
      password,
      email: `${username}@example.com`,
      firstName: s.random.pick(FIRST_NAMES),
      lastName: s.random.pick(LAST_NAMES),
    },
  });
  if (reply && reply.status < 400) s.account = { username, password, paymentDetails: false };
}

/** A new customer's first checkout: an address and a card on file (the session is logged in). */
async function addPaymentDetails(s: ShopperState, account: Account): Promise<void> {
  const address = await s.session.request('POST', '/addresses', {
    json: { number: String(s.random.int(1, 250)), street: s.random.pick(STREETS), city: 'Springfield', postcode: `SP${s.random.int(1, 99)}`, country: 'Ireland' },
  });
  if (!address || address.status >= 400) return;
  const card = await s.session.request('POST', '/cards', {
    json: { longNum: `4${s.random.hex(15).replace(/[a-f]/g, '7')}`, expires: `${String(s.random.int(1, 12)).padStart(2, '0')}/30`, ccv: String(s.random.int(100, 999)) },
  });
  if (card && card.status < 400) account.paymentDetails = true;
}

/**
 * Buy: log in (signing up first if this user has no account), put one to three socks in the
 * cart, view it, order. A new customer adds an address and a card before the first order.
 */
export async function buy(s: ShopperState): Promise<void> {
  if (!s.account) await register(s);
  const account = s.account;
  if (!account || s.session.stopped) return;
  const login = await s.session.request('GET', '/login', { basicAuth: [account.username, account.password] });
  if (!login || login.status >= 400) return;
  const ids = await catalogueIds(s);
  const items = s.random.int(1, 3);
  for (let i = 0; i < items && ids.length > 0 && !s.session.stopped; i++) {
    await s.session.request('POST', '/cart', { json: { id: s.random.pick(ids)! } });
  }
  await s.session.request('GET', '/cart');
  if (!account.paymentDetails) await addPaymentDetails(s, account);
  await s.session.request('POST', '/orders');
}

export const BEHAVIOUR_ACTIONS: Readonly<Record<Behaviour, (s: ShopperState) => Promise<void>>> = { browse, buy, register };

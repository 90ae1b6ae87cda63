export interface PopulateOptions {
  /** Customers wanted (each with one address and one card), as Munnin's pop_db made them. */
  readonly customers: number;
  /** Registrations in flight at once. */
  readonly concurrency?: number;
  /** Per-request time-out. */
  readonly requestTimeoutMillis?: number;
  readonly onProgress?: (message: string) => void;
}

export interface PopulateResult {
  /** munnin customers that were already there. */
  readonly existing: number;
  /** Newly registered. */
  readonly registered: number;
}

const FIRST = ['Eve', 'Liam', 'Olivia', 'Noah', 'Emma', 'Aoife', 'Sean', 'Priya', 'Arjun', 'Yuki', 'Fatima', 'Omar', 'Ingrid', 'Marco', 'Zanele'];
const LAST = ['Berger', 'Murphy', 'Kelly', 'Garcia', 'Nguyen', 'Rossi', 'Patel', 'Okafor', 'Tanaka', 'Silva', 'Dubois', 'Novak', 'Walsh', 'Larsen', 'Mensah'];
const CITIES = ['Glasgow', 'Dublin', 'Paris', 'Madrid', 'Berlin', 'Lisbon', 'Boston', 'Toronto', 'Osaka', 'Cape Town'];

/** Deterministic user name of the i-th (1-based) customer: reruns find and skip it. */
export function customerUsername(i: number): string {
  return `munnin-${String(i).padStart(5, '0')}`;
}

/**
 * Put `customers` customers into a Sock Shop through its front-end, as real sign-ups do
 * (POST /register, then /addresses and /cards in the new session), so user-db holds records
 * worth exfiltrating. Idempotent: customers registered by an earlier run are counted, not redone.
 */
export async function populateCustomers(frontEndUrl: string, options: PopulateOptions): Promise<PopulateResult> {
  const note = options.onProgress ?? (() => {});
  const timeout = options.requestTimeoutMillis ?? 15_000;
  const existing = await existingUsernames(frontEndUrl, timeout);
  const missing: number[] = [];
  for (let i = 1; i <= options.customers; i++) if (!existing.has(customerUsername(i))) missing.push(i);
  const already = options.customers - missing.length;
  if (missing.length === 0) {
    note(`kubernetes: ${options.customers} customers already in user-db`);
    return { existing: already, registered: 0 };
  }
  note(`kubernetes: registering ${missing.length} customers through the front-end (${already} already there)...`);
  let next = 0;
  let done = 0;
  const failures: string[] = [];
  const worker = async () => {
    while (next < missing.length) {
      const i = missing[next++]!;
      try {
        await register(frontEndUrl, i, timeout);
        done += 1;
        if (done % 50 === 0) note(`kubernetes: ${done}/${missing.length} customers registered`);
      } catch (e) {
        failures.push(`${customerUsername(i)}: ${e instanceof Error ? e.message : String(e)}`);
        // A front-end that refuses everyone will not get better: stop early.
        if (failures.length >= 5 && done === 0) throw new Error(`cannot register customers through ${frontEndUrl}: ${failures[0]}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, missing.length) }, worker));
  if (failures.length > 0) throw new Error(`${failures.length} of ${missing.length} customer registrations failed (first: ${failures[0]})`);
  note(`kubernetes: ${done} customers registered`);
  return { existing: already, registered: done };
}

async function existingUsernames(frontEndUrl: string, timeout: number): Promise<Set<string>> {
  const res = await fetch(`${frontEndUrl}/customers`, { signal: AbortSignal.timeout(timeout) });
  if (!res.ok) throw new Error(`GET ${frontEndUrl}/customers answered ${res.status}`);
  const body = (await res.json()) as { _embedded?: { customer?: { username?: unknown }[] } };
  const list = body._embedded?.customer;
  if (!Array.isArray(list)) throw new Error(`GET ${frontEndUrl}/customers: not a Sock Shop customer list (no _embedded.customer)`);
  return new Set(list.map((c) => c.username).filter((u): u is string => typeof u === 'string'));
}

async function register(frontEndUrl: string, i: number, timeout: number): Promise<void> {
  const username = customerUsername(i);
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!;
  const reg = await post(frontEndUrl, '/register', { username, password: `pw-${username}`, email: `${username}@example.com`, firstName: first, lastName: last }, '', timeout);
  // The session cookie carries the new customer's id into the next two calls.
  const cookie = reg.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const digits = String(4_000_000_000_000_000 + i * 7919).slice(0, 16);
  await post(frontEndUrl, '/addresses', { number: String(1 + (i % 200)), street: 'Station Road', city: CITIES[i % CITIES.length], postcode: `M${i % 90}${i % 7}AB`, country: 'Ireland' }, cookie, timeout);
  await post(frontEndUrl, '/cards', { longNum: digits, expires: `${String(1 + (i % 12)).padStart(2, '0')}/30`, ccv: String(100 + (i % 900)) }, cookie, timeout);
}

async function post(base: string, path: string, body: unknown, cookie: string, timeout: number): Promise<Response> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeout),
  });
  await res.arrayBuffer(); // drain, so the connection is reused
  if (!res.ok) throw new Error(`POST ${path} answered ${res.status}`);
  return res;
}

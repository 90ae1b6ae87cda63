import { randomBytes } from 'node:crypto';
import type { MeshRequest } from './router.ts';
import type { StoreClient } from './StoreClient.ts';

/** The session cookie (Sock Shop's front-end uses express-session's name `md.sid`). */
export const SESSION_COOKIE = 'md.sid';

interface SessionDoc {
  readonly id: string;
  readonly customerId?: string;
  readonly [field: string]: unknown;
}

/** One request's session: who is logged in, whose cart, and the cookies to set. */
export class Session {
  readonly setCookies: string[] = [];

  constructor(
    private readonly db: StoreClient,
    readonly id: string,
    public customerId: string | undefined,
  ) {}

  /** A customer's cart is theirs; an anonymous visitor's belongs to the session. */
  get cartId(): string {
    return this.customerId ?? this.id;
  }

  /** Log `customerId` in: stored in session-db, announced with the `logged_in` cookie. */
  async logIn(customerId: string): Promise<void> {
    this.customerId = customerId;
    await this.save();
    this.setCookies.push(`logged_in=${this.id}; Path=/`);
  }

  save(): Promise<unknown> {
    return this.db.put('sessions', this.id, {
      cookie: { originalMaxAge: null, expires: null, httpOnly: true, path: '/' },
      ...(this.customerId ? { customerId: this.customerId } : {}),
    });
  }
}

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return out;
}

/**
 * Sessions kept in session-db, as Sock Shop's front-end keeps them in Redis with
 * saveUninitialized: a request without a known session cookie creates and stores one.
 */
export async function openSession(db: StoreClient, req: MeshRequest): Promise<Session> {
  const sid = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
  if (sid) {
    const doc = await db.get<SessionDoc>('sessions', sid);
    if (doc) return new Session(db, sid, typeof doc.customerId === 'string' ? doc.customerId : undefined);
  }
  const session = new Session(db, randomBytes(24).toString('base64url'), undefined);
  await session.save();
  session.setCookies.push(`${SESSION_COOKIE}=${session.id}; Path=/; HttpOnly`);
  return session;
}

import { performance } from 'node:perf_hooks';
import type { RequestTally } from './RequestTally.ts';

/** What a virtual user's requests share. */
export interface SessionOptions {
  /** Front-end base URL, e.g. http://127.0.0.1:8079. */
  readonly baseUrl: string;
  /** Where every request is counted. */
  readonly tally: RequestTally;
  /** Once aborted, no new request starts (the user retires or the generator stops). */
  readonly haltSignal: AbortSignal;
  /** Aborts requests in flight (stop() after its grace): counted as aborted, not as failures. */
  readonly abortSignal: AbortSignal;
  /** Time-out of one request (a failure when exceeded). */
  readonly timeoutMillis: number;
  /** HTTP client (the global fetch; tests pass a fake). */
  readonly fetch: typeof fetch;
}

export interface RequestOptions {
  /** Name the request is counted under (default: the path), e.g. `/catalogue/[id]`. */
  readonly name?: string;
  /** JSON request body. */
  readonly json?: unknown;
  /** HTTP basic credentials, [user, password]. */
  readonly basicAuth?: readonly [string, string];
}

/** A response that arrived (any status). */
export interface Reply {
  readonly status: number;
  readonly body: string;
}

/**
 * One virtual user's HTTP session against the front-end: keeps its cookies (the Sock Shop
 * session after /login) and counts every request. Never throws: a failing front-end is a
 * counted failure and an undefined reply.
 */
export class UserSession {
  private readonly cookies = new Map<string, string>();

  constructor(private readonly options: SessionOptions) {}

  /** True once no new request may start. */
  get stopped(): boolean {
    return this.options.haltSignal.aborted;
  }

  async request(method: string, path: string, request: RequestOptions = {}): Promise<Reply | undefined> {
    const { baseUrl, tally, haltSignal, abortSignal, timeoutMillis } = this.options;
    const name = request.name ?? path;
    if (haltSignal.aborted) return undefined;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.cookies.size) headers['cookie'] = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (request.basicAuth) headers['authorization'] = `Basic ${Buffer.from(request.basicAuth.join(':')).toString('base64')}`;
    let body: string | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    }
    // One controller per request, fed by the time-out and by stop(): AbortSignal.any on the
    // long-lived stop signal would keep a listener per request for the whole run.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMillis);
    const onAbort = () => controller.abort();
    abortSignal.addEventListener('abort', onAbort, { once: true });
    const began = performance.now();
    try {
      const response = await this.options.fetch(new URL(path, baseUrl), {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: controller.signal,
      });
      for (const cookie of response.headers.getSetCookie()) this.keepCookie(cookie);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const millis = performance.now() - began;
      const failed = response.status >= 400 ? `HTTP ${response.status}` : undefined;
      tally.record(method, name, millis, bytes.byteLength, failed);
      return { status: response.status, body: new TextDecoder().decode(bytes) };
    } catch (e) {
      if (abortSignal.aborted) tally.aborted += 1;
      else tally.record(method, name, performance.now() - began, 0, timedOut ? `timed out after ${timeoutMillis} ms` : describe(e));
      return undefined;
    } finally {
      clearTimeout(timer);
      abortSignal.removeEventListener('abort', onAbort);
    }
  }

  private keepCookie(header: string): void {
    const pair = header.split(';', 1)[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq <= 0) return;
    this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

/** fetch hides the useful part (ECONNREFUSED, ...) in `cause`. */
function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause as { code?: unknown; message?: unknown } | undefined;
  const detail = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : undefined;
  return detail ? `${e.message}: ${detail}` : e.message;
}

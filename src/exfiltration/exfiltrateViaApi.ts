import { sleep } from '../traffic/index.ts';

/** What one exfiltration really did. */
export interface ExfiltrationResult {
  /** Bytes of customer data received (response bodies). */
  readonly bytes: number;
  /** Unix seconds (fractional) the first request was sent. */
  readonly start: number;
  /** Unix seconds (fractional) the last byte arrived; always > start. */
  readonly end: number;
}

/** An exfiltration that failed or was aborted part-way; `partial` is what had moved by then. */
export class ExfiltrationError extends Error {
  override readonly name = 'ExfiltrationError';
  constructor(message: string, readonly partial: ExfiltrationResult, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface ApiExfiltrationOptions {
  /** Aborts the pull; the ExfiltrationError then carries what was received. */
  readonly signal?: AbortSignal;
  /** Records asked for per page (default 20). */
  readonly pageSize?: number;
  /** Time-out of one request (default 10000). */
  readonly requestTimeoutMillis?: number;
  /** Consecutive failed requests tolerated before giving up (default 3). */
  readonly maxConsecutiveFailures?: number;
  /** Unix seconds now (default Date.now() / 1000). */
  readonly now?: () => number;
  /** HTTP client (default: the global fetch). */
  readonly fetch?: typeof fetch;
}

/** The record collections Munnin's attacker pulled, in order (then round again). */
export const API_COLLECTIONS = ['customers', 'addresses', 'cards'] as const;

/**
 * Munnin's `api` exfiltration: a client outside the mesh pulls customers, addresses and
 * cards through the front-end, page by page (page=1, 2, ... until a page has no records; a
 * server that ignores paging and answers with more records than asked for gave the whole
 * collection at once),
 * round the three collections again if need be, until it has received `bytes` bytes of
 * response bodies (it stops after the page that reaches the target, so it may get a little
 * more). Rejects with ExfiltrationError (carrying what moved) on failure or abort.
 */
export async function exfiltrateViaApi(frontEndUrl: string, bytes: number, options: ApiExfiltrationOptions = {}): Promise<ExfiltrationResult> {
  const now = options.now ?? (() => Date.now() / 1000);
  const doFetch = options.fetch ?? fetch;
  const pageSize = options.pageSize ?? 20;
  const maxFailures = options.maxConsecutiveFailures ?? 3;
  const timeoutMillis = options.requestTimeoutMillis ?? 10_000;
  const start = now();
  let received = 0;
  const result = (): ExfiltrationResult => ({ bytes: received, start, end: Math.max(now(), start + 0.001) });
  let failures = 0;
  let emptyInARow = 0;
  let lastStatus = 0;
  let collection = 0;
  let page = 1;
  while (received < bytes) {
    if (options.signal?.aborted) throw new ExfiltrationError('exfiltration aborted', result());
    const name = API_COLLECTIONS[collection % API_COLLECTIONS.length]!;
    const url = new URL(`/${name}?page=${page}&size=${pageSize}`, frontEndUrl);
    const timeout = AbortSignal.timeout(timeoutMillis);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let body: Uint8Array;
    let status: number;
    try {
      const response = await doFetch(url, { headers: { accept: 'application/json' }, signal });
      status = response.status;
      body = new Uint8Array(await response.arrayBuffer());
    } catch (e) {
      if (options.signal?.aborted) throw new ExfiltrationError('exfiltration aborted', result(), { cause: e });
      if (++failures >= maxFailures) throw new ExfiltrationError(`GET ${url.pathname}: ${describe(e)}`, result(), { cause: e });
      await sleep(100 * failures, options.signal);
      continue;
    }
    if (status >= 500 || status === 429) {
      if (++failures >= maxFailures) throw new ExfiltrationError(`GET ${url.pathname}: HTTP ${status}`, result());
      await sleep(100 * failures, options.signal);
      continue;
    }
    failures = 0;
    lastStatus = status;
    const records = status < 400 ? countRecords(body) : 0;
    if (records > 0) {
      received += body.byteLength;
      emptyInARow = 0;
      if (records <= pageSize) {
        page += 1;
        continue;
      }
      // More records than asked for: the server ignores paging (the real Sock Shop front-end
      // returns the whole collection): that was all of it, so on to the next collection rather
      // than asking for "page 2" of the same records again.
      collection += 1;
      page = 1;
      continue;
    }
    // Past the last page (or a 4xx): on to the next collection.
    if (++emptyInARow >= API_COLLECTIONS.length) {
      throw new ExfiltrationError(`the front-end returned no ${API_COLLECTIONS.join(', ')} records at ${frontEndUrl} (last answer: HTTP ${lastStatus})`, result());
    }
    collection += 1;
    page = 1;
  }
  return result();
}

/** Records in a page: a JSON array's length, or the arrays inside an object (e.g. HAL `_embedded`). */
export function countRecords(body: Uint8Array): number {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(body));
  } catch {
    return 0;
  }
  const count = (v: unknown, depth: number): number => {
    if (Array.isArray(v)) return v.length;
    if (depth === 0 || v === null || typeof v !== 'object') return 0;
    let n = 0;
    for (const inner of Object.values(v)) n += count(inner, depth - 1);
    return n;
  };
  return count(value, 2);
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  if (e.name === 'TimeoutError') return 'timed out';
  const code = (e.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? `${e.message}: ${code}` : e.message;
}

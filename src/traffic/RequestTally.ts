/** Per-endpoint counts, the same shape for both generators (traffic-stats.json `endpoints`). */
export interface EndpointStats {
  readonly method: string;
  /** Route as grouped, e.g. `/catalogue/[id]`. */
  readonly name: string;
  readonly requests: number;
  readonly failures: number;
  /** Mean response time of the completed requests, milliseconds. */
  readonly meanResponseMillis: number;
  readonly maxResponseMillis: number;
  /** Response body bytes received. */
  readonly bytesReceived: number;
}

/** One kind of failure and how often it happened (traffic-stats.json `errors`). */
export interface ErrorStats {
  readonly method: string;
  readonly name: string;
  readonly error: string;
  readonly occurrences: number;
}

interface Counter {
  requests: number;
  failures: number;
  totalMillis: number;
  maxMillis: number;
  bytes: number;
}

/** Counts what the built-in users did, as Locust's RequestStats does for Locust. */
export class RequestTally {
  private readonly endpoints = new Map<string, Counter & { method: string; name: string }>();
  private readonly errors = new Map<string, ErrorStats>();
  /** Requests cut off by stop() (neither success nor failure). */
  aborted = 0;

  /** One finished request; `error` set makes it a failure. */
  record(method: string, name: string, millis: number, bytes: number, error?: string): void {
    const key = `${method} ${name}`;
    let c = this.endpoints.get(key);
    if (!c) {
      c = { method, name, requests: 0, failures: 0, totalMillis: 0, maxMillis: 0, bytes: 0 };
      this.endpoints.set(key, c);
    }
    c.requests += 1;
    c.totalMillis += millis;
    c.maxMillis = Math.max(c.maxMillis, millis);
    c.bytes += bytes;
    if (error === undefined) return;
    c.failures += 1;
    const errorKey = `${key} ${error}`;
    const previous = this.errors.get(errorKey);
    this.errors.set(errorKey, { method, name, error, occurrences: (previous?.occurrences ?? 0) + 1 });
  }

  get requests(): number {
    let n = 0;
    for (const c of this.endpoints.values()) n += c.requests;
    return n;
  }

  get failures(): number {
    let n = 0;
    for (const c of this.endpoints.values()) n += c.failures;
    return n;
  }

  endpointStats(): EndpointStats[] {
    return [...this.endpoints.values()]
      .map((c) => ({
        method: c.method,
        name: c.name,
        requests: c.requests,
        failures: c.failures,
        meanResponseMillis: c.requests ? c.totalMillis / c.requests : 0,
        maxResponseMillis: c.maxMillis,
        bytesReceived: c.bytes,
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.method.localeCompare(b.method));
  }

  errorStats(): ErrorStats[] {
    return [...this.errors.values()].sort((a, b) => b.occurrences - a.occurrences);
  }
}

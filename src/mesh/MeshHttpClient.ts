import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ControlPlane } from './ControlPlane.ts';
import { receivedResponseHeadBytes, requestHeadBytes, type HeaderList } from './httpSize.ts';
import { PASSTHROUGH } from './istioLabels.ts';
import type { Sidecar } from './Sidecar.ts';

export interface CallOptions {
  /** JSON-encoded unless a Buffer or string. */
  readonly body?: unknown;
  readonly contentType?: string;
  /** Further request headers (e.g. Authorization, forwarded as Sock Shop's front-end does). */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface CallResult {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  json<T = unknown>(): T;
}

/**
 * A workload's outbound HTTP through its sidecar: every call is reported by the caller's
 * proxy with reporter="source", sized from the very head and body it puts on the wire.
 * Calls outside the topology are refused: they would be edges Sock Shop does not have.
 */
export class MeshHttpClient {
  // Idle sockets expire before the servers' 10 s keep-alive, so a reused socket is never one
  // the server is closing.
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 16, maxFreeSockets: 4, timeout: 4000 });

  constructor(
    private readonly sidecar: Sidecar,
    private readonly controlPlane: ControlPlane,
    private readonly allowed: ReadonlySet<string>,
    /** Per-call time-out. */
    private readonly timeoutMillis = 10_000,
  ) {}

  /** Call a mesh service by name, e.g. call('user', 'GET', '/customers/1'). */
  call(service: string, method: string, path: string, options: CallOptions = {}): Promise<CallResult> {
    if (!this.allowed.has(service)) return Promise.reject(new Error(`${this.sidecar.workload} has no edge to ${service}`));
    return this.send(service, service, this.controlPlane.portOf(service), method, path, options);
  }

  /** Call outside the mesh (Istio's PassthroughCluster), e.g. callExternal('http://127.0.0.1:9/x', 'POST'). */
  callExternal(url: string, method: string, options: CallOptions = {}): Promise<CallResult> {
    const u = new URL(url);
    return this.send(PASSTHROUGH, u.host, Number(u.port || 80), method, `${u.pathname}${u.search}`, options);
  }

  /** Drop every pooled connection (stop). */
  close(): void {
    this.agent.destroy();
  }

  private send(destination: string, host: string, port: number, method: string, path: string, options: CallOptions): Promise<CallResult> {
    const { body: raw } = options;
    const body = raw === undefined ? undefined : Buffer.isBuffer(raw) ? raw : Buffer.from(typeof raw === 'string' ? raw : JSON.stringify(raw));
    // Every header explicit (Node adds none), so the head measured is the head written.
    const headers: [string, string][] = [
      ['Host', host],
      ['User-Agent', `${this.sidecar.workload}/1.0`],
      ['Accept', 'application/json'],
      ['Connection', 'keep-alive'],
    ];
    for (const [k, v] of Object.entries(options.headers ?? {})) headers.push([k, v]);
    if (body !== undefined) headers.push(['Content-Type', options.contentType ?? 'application/json']);
    if (body !== undefined || (method !== 'GET' && method !== 'HEAD')) headers.push(['Content-Length', String(body?.length ?? 0)]);
    const requestBytes = requestHeadBytes(method, path, headers as HeaderList) + (body?.length ?? 0);
    const started = performance.now();
    const record = (code: number, flags: string, responseBytes: number) =>
      this.sidecar.outboundRequest(destination, code, flags, requestBytes, responseBytes, performance.now() - started);

    return new Promise<CallResult>((resolve, reject) => {
      let settled = false;
      const fail = (code: number, flags: string, error: Error) => {
        if (settled) return;
        settled = true;
        record(code, flags, 0);
        reject(new Error(`${this.sidecar.workload} → ${destination} ${method} ${path}: ${error.message}`));
      };
      const req = request({ host: '127.0.0.1', port, method, path, headers: Object.fromEntries(headers), agent: this.agent, setHost: false });
      req.on('socket', (socket: Socket) => this.controlPlane.adopt(socket, this.sidecar.workload));
      req.setTimeout(this.timeoutMillis, () => req.destroy(Object.assign(new Error(`no answer within ${this.timeoutMillis} ms`), { code: 'UT' })));
      // Envoy's answer to an unreachable upstream: 503 with flag UF; to a time-out: 504 UT.
      req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'UT' ? fail(504, 'UT', error) : fail(503, 'UF', error)));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          chunks.push(chunk);
        });
        res.on('error', (error) => fail(503, 'UC', error));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          const status = res.statusCode ?? 0;
          record(status, '-', receivedResponseHeadBytes(res.httpVersion, status, res.statusMessage ?? '', res.rawHeaders) + size);
          const bodyOut = Buffer.concat(chunks);
          resolve({
            status,
            headers: res.headers,
            body: bodyOut,
            json<T>(): T {
              return JSON.parse(bodyOut.toString('utf8')) as T;
            },
          });
        });
      });
      req.end(body);
    });
  }
}

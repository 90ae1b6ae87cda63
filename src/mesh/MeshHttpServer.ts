import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { log } from '../logger.ts';
import type { ControlPlane } from './ControlPlane.ts';
import { receivedRequestHeadBytes, responseHeadBytes, type HeaderList } from './httpSize.ts';
import { closeServer, listen } from './listen.ts';
import { HttpError, httpErrorReply, json, type MeshReply, type MeshRequest } from './router.ts';
import type { Sidecar } from './Sidecar.ts';

export interface MeshHttpServerOptions {
  /** Workload serving (its sidecar reports every inbound request with reporter="destination"). */
  readonly sidecar: Sidecar;
  readonly controlPlane: ControlPlane;
  readonly handler: (req: MeshRequest) => Promise<MeshReply>;
  /** Largest request body accepted. */
  readonly maxBodyBytes?: number;
}

export interface RunningServer {
  readonly port: number;
  close(): Promise<void>;
}

/** Serve a mesh workload over HTTP on 127.0.0.1, its sidecar recording every inbound request. */
export async function startMeshHttpServer(options: MeshHttpServerOptions): Promise<RunningServer> {
  const { sidecar, controlPlane, handler } = options;
  const maxBodyBytes = options.maxBodyBytes ?? 8 * 1024 * 1024;
  const callers = new WeakMap<Socket, string | null>();
  const callerOf = (socket: Socket): string | undefined => {
    let caller = callers.get(socket);
    if (caller === undefined) {
      caller = controlPlane.peerOf(socket) ?? null;
      callers.set(socket, caller);
    }
    return caller ?? undefined;
  };

  const respond = (req: IncomingMessage, res: ServerResponse, started: number, requestBytes: number, reply: MeshReply) => {
    const body = reply.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(reply.body) ? reply.body : Buffer.from(reply.body);
    const keepAlive = req.headers.connection?.toLowerCase() !== 'close' && req.httpVersion === '1.1';
    // Every header is explicit (no Date, no implicit Connection/Keep-Alive), so the head
    // written is exactly the head measured.
    const headers: HeaderList = [
      ['Content-Type', reply.contentType ?? 'application/json'],
      ['Content-Length', String(body.length)],
      ['Connection', keepAlive ? 'keep-alive' : 'close'],
      ...(reply.headers ?? []),
    ];
    res.sendDate = false;
    res.writeHead(reply.status, Object.fromEntries(headers.map(([k, v]) => [k, typeof v === 'string' ? v : [...v]])));
    const bodySent = req.method === 'HEAD' ? 0 : body.length;
    res.end(req.method === 'HEAD' ? undefined : body);
    const responseBytes = responseHeadBytes(reply.status, headers) + bodySent;
    sidecar.inboundRequest(callerOf(req.socket), reply.status, requestBytes, responseBytes, performance.now() - started);
  };

  const server = createServer({ keepAliveTimeout: 10_000 }, (req, res) => {
    const started = performance.now();
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('error', (error) => log.debug(`${sidecar.workload}: request aborted: ${error.message}`));
    req.on('end', () => {
      const requestBytes = receivedRequestHeadBytes(req.method ?? 'GET', req.url ?? '/', req.httpVersion, req.rawHeaders) + size;
      const url = new URL(req.url ?? '/', 'http://mesh.local');
      const request: MeshRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks) };
      const reply = tooLarge ? Promise.resolve(json(413, { error: 'request body too large' })) : handler(request);
      reply
        .catch((error: unknown): MeshReply => {
          if (error instanceof HttpError) return httpErrorReply(error);
          log.debug(`${sidecar.workload} ${request.method} ${request.path}: ${error instanceof Error ? error.message : String(error)}`);
          return json(500, { error: 'Internal Server Error', status_code: 500 });
        })
        .then((r) => {
          if (!res.destroyed) respond(req, res, started, requestBytes, r);
        })
        .catch((error: unknown) => log.debug(`${sidecar.workload}: response failed: ${String(error)}`));
    });
  });
  const port = await listen(server);
  return { port, close: () => closeServer(server, () => server.closeAllConnections()) };
}

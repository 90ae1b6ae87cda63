import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { resolve } from 'node:path';
import { describeFsError, isFsError } from '../store/index.ts';
import { UserError } from '../errors.ts';
import { log, reportError } from '../logger.ts';
import { handleApi } from './apiRoutes.ts';
import { checkHost, checkPort, displayUrl, isLoopback } from './dashboardOptions.ts';
import { BASE_HEADERS, HttpError, sendError } from './httpResponses.ts';
import { LiveHub } from './LiveHub.ts';
import type { LiveStreamOptions } from './liveStream.ts';
import { RunCatalog } from './RunCatalog.ts';
import { StaticAssets } from './StaticAssets.ts';

export interface DashboardOptions {
  /** Folder holding the runs (default `experimental_data`). */
  readonly dataDir?: string;
  /** Interface to listen on (default 127.0.0.1: this machine only). */
  readonly host?: string;
  /** TCP port (default 5001; 0 picks a free one). */
  readonly port?: number | string;
  /** The live experiment's feed (default: a new hub with no experiment). */
  readonly hub?: LiveHub;
  /** Live stream settings (heartbeat, slow-client limit). */
  readonly stream?: LiveStreamOptions;
}

export interface Dashboard {
  /** e.g. http://127.0.0.1:5001/ */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly hub: LiveHub;
  readonly catalog: RunCatalog;
  /** Stop listening, end live streams and drop open connections. Idempotent. */
  close(): Promise<void>;
}

/**
 * Serve the dashboard: the page, its assets and the read-only JSON API under /api. Binds to
 * loopback unless told otherwise, and warns when it is not. Only GET and HEAD are answered;
 * nothing served runs a command, writes a file or fetches from elsewhere.
 */
export async function startDashboard(options: DashboardOptions = {}): Promise<Dashboard> {
  const host = checkHost(options.host);
  const requestedPort = checkPort(options.port);
  const hub = options.hub ?? new LiveHub();
  const dataDir = options.dataDir ?? 'experimental_data';
  const catalog = new RunCatalog(dataDir, { liveRunName: () => hub.runName });
  const assets = await StaticAssets.load();
  const streams = new Set<() => void>();
  let allowedHosts: ReadonlySet<string> | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // A web page elsewhere could point its own host name at 127.0.0.1 (DNS rebinding): on
    // loopback only requests addressed to this machine's names are answered.
    if (allowedHosts && !allowedHosts.has((req.headers.host ?? '').toLowerCase())) throw new HttpError(421, `requests must be addressed to ${[...allowedHosts][0]}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      throw new HttpError(405, `${req.method ?? '?'}: the dashboard is read-only (GET and HEAD only)`);
    }
    // The path as sent, not normalised: a `..` is refused here rather than resolved away.
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q === -1 ? raw : raw.slice(0, q);
    const query = new URLSearchParams(q === -1 ? '' : raw.slice(q + 1));
    if (!path.startsWith('/') || path.split('/').some((s) => s === '.' || s === '..')) throw new HttpError(400, 'paths must be absolute, without . or .. segments');
    if (path === '/api' || path.startsWith('/api/')) {
      const segments = path.slice('/api/'.length).split('/');
      if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
      return handleApi(req, res, segments, query, { catalog, hub, streams, ...(options.stream ? { stream: options.stream } : {}) });
    }
    if (path === '/favicon.ico') {
      res.writeHead(204, BASE_HEADERS).end();
      return;
    }
    if (!(await assets.serve(path, res))) throw new HttpError(404, `not found: ${path.slice(0, 200)}`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) {
        res.destroy();
        if (!(e instanceof HttpError)) reportError('dashboard', e);
        return;
      }
      if (e instanceof HttpError) return sendError(res, e.status, e.message);
      // A run that cannot be read (a folder where a file belongs, no permission): its fault, not ours.
      if (e instanceof UserError || isFsError(e)) return sendError(res, 422, describeFsError(e, (e as NodeJS.ErrnoException).path ?? dataDir, 'be read', '').message.split(`${resolve(dataDir)}/`).join(''));
      reportError(`dashboard: ${req.method} ${req.url}`, e);
      sendError(res, 500, 'internal error (see the dashboard log)');
    });
  });
  server.on('clientError', (e: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket) => answerClientError(e, socket));

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') reject(new UserError(`port ${requestedPort} on ${host} is in use (choose another with --port)`));
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') reject(new UserError(`host ${JSON.stringify(host)}: not an address of this machine`));
      else if (e.code === 'EACCES') reject(new UserError(`port ${requestedPort}: not allowed (ports below 1024 need privileges)`));
      else reject(e);
    });
    server.listen(requestedPort, host, () => resolve());
  });
  server.on('error', (e) => reportError('dashboard server', e));
  const port = (server.address() as AddressInfo).port;
  if (isLoopback(host)) allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${host.toLowerCase()}:${port}`]);
  else log.warn(`dashboard: listening on ${host}, not only on this machine: anyone who can reach port ${port} can read every run in ${dataDir}`);

  let closing: Promise<void> | undefined;
  return {
    url: displayUrl(host, port),
    host,
    port,
    hub,
    catalog,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const stop of [...streams]) stop();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/**
 * A request Node's parser refused, answered rather than dropped: 414 when the request line
 * alone is too long, 431 when the headers are, 400 otherwise (JSON, as every API error).
 */
function answerClientError(e: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex): void {
  if (!socket.writable || e.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  let status = 400;
  let message = 'malformed HTTP request';
  if (e.code === 'HPE_HEADER_OVERFLOW') {
    const firstLineEnd = e.rawPacket?.indexOf('\r\n') ?? -1;
    const lineTooLong = firstLineEnd === -1 || firstLineEnd > MAX_REQUEST_LINE_BYTES;
    status = lineTooLong ? 414 : 431;
    message = lineTooLong ? `request line too long (the dashboard's URLs are short; at most ${MAX_REQUEST_LINE_BYTES} bytes)` : 'request headers too large (16 KiB at most)';
  }
  const body = JSON.stringify({ error: message, status });
  const reason = status === 414 ? 'URI Too Long' : status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

/** A request line longer than this in a request over Node's 16 KiB header limit is answered 414. */
const MAX_REQUEST_LINE_BYTES = 8192;

import { createServer, request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { reportError } from '../logger.ts';
import { closeServer, listen } from '../mesh/index.ts';
import type { KubeClient } from './KubeClient.ts';

export interface ServiceForwardOptions {
  readonly namespace: string;
  readonly service: string;
  /** Service port (number). */
  readonly port: number;
  /** Longest wait for one proxied answer before the local caller gets a 504. */
  readonly timeoutMillis?: number;
}

export interface ServiceForward {
  /** Local base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly url: string;
  /** Stop listening and drop open connections. Idempotent. */
  close(): Promise<void>;
}

// Not passed through a proxy (RFC 9110 §7.6.1); Node sets its own framing.
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host'];

/**
 * A local HTTP endpoint on 127.0.0.1 for an in-cluster Service, through the API server's
 * services proxy (what `kubectl proxy` does), with the kubeconfig's credentials.
 *
 * Why not a pod port-forward: a port-forwarded connection enters the pod on localhost,
 * behind the sidecar, so Istio would not see it. Through the services proxy, the API server
 * connects to the pod IP like any outside client, the sidecar reports the request
 * (source_workload="unknown", i.e. `external`), and nothing but HTTP is needed, so it works
 * on any cluster the kubeconfig can reach.
 */
export async function startServiceForward(client: KubeClient, options: ServiceForwardOptions): Promise<ServiceForward> {
  const base = new URL(client.server);
  const prefix = `${base.pathname.replace(/\/$/, '')}/api/v1/namespaces/${encodeURIComponent(options.namespace)}/services/${encodeURIComponent(options.service)}:${options.port}/proxy`;
  const timeoutMillis = options.timeoutMillis ?? 60_000;
  const server = createServer((req, res) => {
    void (async () => {
      const auth: RequestOptions = {};
      await client.kubeconfig.applyToHTTPSOptions(auth);
      const target = new URL(prefix + (req.url ?? '/'), base);
      const headers: OutgoingHttpHeaders = { ...withoutHopByHop(req.headers), ...(auth.headers as OutgoingHttpHeaders | undefined) };
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const upstream = send(target, { ...auth, method: req.method ?? 'GET', headers, timeout: timeoutMillis }, (answer) => {
        const out = withoutHopByHop(answer.headers);
        const location = out['location'];
        // The API server rewrites redirects to its own proxy path; point them back at us.
        if (typeof location === 'string') out['location'] = location.replace(new RegExp(`^(${escapeRegExp(base.origin)})?${escapeRegExp(prefix)}`), '') || '/';
        res.writeHead(answer.statusCode ?? 502, out);
        answer.pipe(res);
      });
      upstream.on('timeout', () => upstream.destroy(new Error(`no answer within ${timeoutMillis} ms`)));
      upstream.on('error', (e) => {
        if (!res.headersSent) res.writeHead(e.message.startsWith('no answer') ? 504 : 502, { 'content-type': 'text/plain' });
        res.end(`munnin: cannot reach service ${options.namespace}/${options.service}:${options.port} through ${client.server}: ${e.message}\n`);
      });
      req.pipe(upstream);
    })().catch((e) => {
      reportError(`service forward ${options.namespace}/${options.service}`, e);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end();
    });
  });
  const url = `http://127.0.0.1:${await listen(server)}`;
  let closed: Promise<void> | undefined;
  return { url, close: () => (closed ??= closeServer(server, () => server.closeAllConnections())) };
}

function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.includes(k.toLowerCase())) out[k] = v;
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

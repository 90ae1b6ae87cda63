import { Agent as HttpAgent, createServer, request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
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
  /**
   * Header that carries the local caller's own `Authorization` (e.g. Sock Shop's Basic login)
   * past the API server, which deletes `Authorization` once it has authenticated munnin
   * (kubernetes#38775). A relay behind the proxy puts it back (istio/30-front-end-relay.yaml).
   * Unset: the caller's `Authorization` is dropped; it never reaches the API server.
   */
  readonly carryAuthorizationAs?: string;
}

export interface ServiceForward {
  /** Local base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly url: string;
  /** Stop listening and drop open connections. Idempotent. */
  close(): Promise<void>;
}

// Not passed through a proxy (RFC 9110 §7.6.1); Node sets its own framing.
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host'];

/** The header a relay behind the services proxy turns back into `Authorization`. */
export const CARRIED_AUTHORIZATION_HEADER = 'x-munnin-authorization';

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
  const carrier = options.carryAuthorizationAs?.toLowerCase();
  // One keep-alive agent for the forward's life: client-node hands out a new agent on every
  // applyToHTTPSOptions call, i.e. a new TCP (and TLS) connection per proxied request.
  let agent: HttpAgent | undefined;
  const server = createServer((req, res) => {
    void (async () => {
      // Asked per request: exec-plugin and OIDC tokens are refreshed by client-node.
      const auth: RequestOptions = {};
      await client.kubeconfig.applyToHTTPSOptions(auth);
      delete auth.agent;
      agent ??= base.protocol === 'https:' ? new HttpsAgent({ ...tlsOf(auth), keepAlive: true }) : new HttpAgent({ keepAlive: true });
      const target = new URL(prefix + (req.url ?? '/'), base);
      const callerHeaders = withoutHopByHop(req.headers);
      const callerAuthorization = callerHeaders['authorization'];
      delete callerHeaders['authorization'];
      if (carrier) delete callerHeaders[carrier];
      if (carrier && callerAuthorization !== undefined) callerHeaders[carrier] = callerAuthorization;
      const headers: OutgoingHttpHeaders = { ...callerHeaders, ...(auth.headers as OutgoingHttpHeaders | undefined) };
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const upstream = send(target, { ...auth, agent, method: req.method ?? 'GET', headers, timeout: timeoutMillis }, (answer) => {
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
  return {
    url,
    close: () =>
      (closed ??= closeServer(server, () => server.closeAllConnections()).finally(() => {
        agent?.destroy();
      })),
  };
}

function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !HOP_BY_HOP.includes(k.toLowerCase())) out[k] = v;
  return out;
}

/** The TLS settings client-node put in the request options (CA, client certificate, verification). */
function tlsOf(o: RequestOptions): Pick<RequestOptions, 'ca' | 'cert' | 'key' | 'pfx' | 'passphrase' | 'rejectUnauthorized' | 'servername'> {
  const { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername } = o;
  return Object.fromEntries(Object.entries({ ca, cert, key, pfx, passphrase, rejectUnauthorized, servername }).filter(([, v]) => v !== undefined));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

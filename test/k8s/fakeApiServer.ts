// A local HTTP server answering the Kubernetes API calls munnin makes, in the real API's
// shapes: discovery lists, objects with uid/resourceVersion/generation/managedFields,
// Status objects for errors (404 NotFound, 409 Conflict, 403 Forbidden, 401, 503),
// server-side apply semantics (fieldManager required, conflicts without force), a
// Deployment controller that moves status through observedGeneration → updatedReplicas →
// availableReplicas, pods with an injected istio-proxy in labelled namespaces, pod exec over
// a WebSocket (v4.channel.k8s.io), pod logs and the services proxy.
// Nothing real can stand in for a cluster here, so this is the one fake the tests use.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { listen } from '../../src/mesh/index.ts';
import { completeStatus, FakeControllers } from './fakeControllers.ts';
import { FakeStore, groupOf, infoForKind, RESOURCES, type Obj, type ResourceInfo } from './fakeStore.ts';
import { acceptWebSocket } from './fakeWebSocket.ts';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly contentType: string | undefined;
  readonly body: string;
}

/** What an exec'd command "does": the test decides. */
/** `io.stdout` streams output before the command's end (a long command printing as it goes). */
export type ExecHandler = (call: { namespace: string; pod: string; container: string; command: string[] }, io: { stdout(text: string): void }) =>
  | { stdout?: string; stderr?: string; exitCode?: number }
  | Promise<{ stdout?: string; stderr?: string; exitCode?: number }>;

export interface FakeApiServerOptions {
  /** Bearer token required on every request (401 otherwise). */
  readonly token?: string;
  /** Reads of a Deployment until its rollout completes (each read moves the controller one step; default 4). */
  readonly rolloutSteps?: number;
}

export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  /** Namespace/name of services → base URL of the HTTP server behind them (for the services proxy). */
  readonly backends = new Map<string, string>();
  /** Namespace/pod → log text. */
  readonly podLogs = new Map<string, string>();
  execHandler: ExecHandler = () => ({ exitCode: 0 });
  private readonly store = new FakeStore();
  private readonly controllers: FakeControllers;
  private readonly failures: { method?: string; path: RegExp; status: number; reason: string; message: string; times: number }[] = [];
  private readonly forbidden: { method?: string; path: RegExp }[] = [];
  private readonly upgraded = new Set<Duplex>();
  private server = createServer((req, res) => void this.handle(req, res));
  url = '';
  /** TCP connections accepted so far (keep-alive reuse shows as fewer connections than requests). */
  connections = 0;

  constructor(private readonly options: FakeApiServerOptions = {}) {
    this.controllers = new FakeControllers(this.store, options.rolloutSteps);
    this.server.on('connection', () => {
      this.connections += 1;
    });
    this.server.on('upgrade', (req, socket: Duplex) => {
      this.upgraded.add(socket);
      socket.once('close', () => this.upgraded.delete(socket));
      void this.upgrade(req, socket);
    });
  }

  /** Deployments (namespace/name) whose pods never start: image pull back-off. */
  get stuck(): Set<string> {
    return this.controllers.stuck;
  }

  get token(): string {
    return this.options.token ?? 'fake-token';
  }

  async start(): Promise<this> {
    this.url = `http://127.0.0.1:${await listen(this.server)}`;
    return this;
  }

  async close(): Promise<void> {
    // Upgraded (exec) sockets are no longer the HTTP server's: end them here.
    for (const socket of this.upgraded) socket.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Put an object in the store as if someone else had created it (e.g. istiod); its status is kept as given. */
  seed(object: Obj, manager = 'kubectl-client-side-apply'): Obj {
    return this.store.put(this.store.stamp(structuredClone(object), undefined, manager));
  }

  /** Seed istio-system with an available istiod, as `istioctl install` leaves it. */
  seedIstio(): void {
    this.seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' } });
    const istiod = this.seed({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'istiod', namespace: 'istio-system', labels: { app: 'istiod' } },
      spec: { replicas: 1, selector: { matchLabels: { app: 'istiod' } }, template: { metadata: { labels: { app: 'istiod' } }, spec: { containers: [{ name: 'discovery', image: 'docker.io/istio/pilot:1.24.0' }] } } },
    }, 'istio-operator');
    istiod['status'] = completeStatus(istiod);
    // The mesh config istioctl writes (profile demo): no outboundTrafficPolicy, i.e. ALLOW_ANY.
    this.seed({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'istio', namespace: 'istio-system', labels: { 'istio.io/rev': 'default' } },
      data: { mesh: 'accessLogFile: /dev/stdout\ndefaultConfig:\n  discoveryAddress: istiod.istio-system.svc:15012\ndefaultProviders:\n  metrics:\n  - prometheus\nenablePrometheusMerge: true\nrootNamespace: istio-system\ntrustDomain: cluster.local', meshNetworks: 'networks: {}' },
    }, 'istio-operator');
  }

  get(resource: string, namespace: string | undefined, name: string): Obj | undefined {
    return this.store.get(resource, namespace, name);
  }

  list(resource: string, namespace?: string): Obj[] {
    return this.store.list(resource, namespace);
  }

  /** Set a pod's phase (e.g. a Job's pod finishing). */
  setPodPhase(namespace: string, name: string, phase: 'Running' | 'Succeeded' | 'Failed'): void {
    this.controllers.setPodPhase(namespace, name, phase);
  }

  /** The next `times` requests matching answer `status` with a Status of that reason and message. */
  failNext(match: { method?: string; path: RegExp }, status: number, reason: string, message: string, times = 1): void {
    this.failures.push({ ...match, status, reason, message, times });
  }

  /** Requests matching are refused the way RBAC refuses them (403 Forbidden). */
  forbid(match: { method?: string; path: RegExp }): void {
    this.forbidden.push(match);
  }

  // ---------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = await readBody(req);
    const method = req.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, query: url.searchParams, contentType: req.headers['content-type'], body });
    try {
      if (req.headers.authorization !== `Bearer ${this.token}`) return status(res, 401, 'Unauthorized', 'Unauthorized');
      const failure = this.failures.find((f) => f.times > 0 && f.path.test(url.pathname) && (!f.method || f.method === method));
      if (failure) {
        failure.times -= 1;
        return status(res, failure.status, failure.reason, failure.message);
      }
      if (url.pathname === '/version') return json(res, 200, { major: '1', minor: '31', gitVersion: 'v1.31.0', platform: 'linux/amd64' });
      const route = parsePath(url.pathname);
      if (!route) return status(res, 404, 'NotFound', 'the server could not find the requested resource');
      if ('discovery' in route) return this.discovery(res, route.discovery);
      const { info, namespace, name, sub } = route;
      const denied = this.forbidden.find((f) => f.path.test(url.pathname) && (!f.method || f.method === method));
      if (denied) {
        const verb = { GET: name ? 'get' : 'list', PATCH: 'patch', DELETE: 'delete', POST: 'create' }[method] ?? method.toLowerCase();
        const group = groupOf(info);
        const what = name ? `${info.name}${group ? `.${group}` : ''} "${name}"` : `${info.name}${group ? `.${group}` : ''}`;
        const where = namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope';
        return status(res, 403, 'Forbidden', `${what} is forbidden: User "tester" cannot ${verb} resource "${info.name}" in API group "${group}"${where}`);
      }
      if (sub === 'proxy' && info.name === 'services' && name) return this.proxy(req, res, namespace!, name, url, body);
      if (sub === 'log' && info.name === 'pods' && name) return this.log(res, namespace!, name);
      if (sub) return status(res, 404, 'NotFound', 'the server could not find the requested resource');
      if (method === 'GET' && name) return this.read(res, info, namespace, name);
      if (method === 'GET') return this.listAll(res, info, namespace, url.searchParams.get('labelSelector'));
      if (method === 'PATCH' && name) return this.apply(res, info, namespace, name, url.searchParams, req.headers['content-type'], body);
      if (method === 'DELETE' && name) return this.remove(res, info, namespace, name);
      return status(res, 405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
    } catch (e) {
      return status(res, 500, 'InternalError', `fake API server: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private discovery(res: ServerResponse, groupVersion: string): void {
    const resources = RESOURCES.filter((r) => r.groupVersion === groupVersion);
    if (resources.length === 0) return status(res, 404, 'NotFound', 'the server could not find the requested resource');
    json(res, 200, {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion,
      resources: resources.map((r) => ({ name: r.name, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] })),
    });
  }

  private read(res: ServerResponse, info: ResourceInfo, namespace: string | undefined, name: string): void {
    const o = this.store.get(info.name, namespace, name);
    if (!o) return notFound(res, info, name);
    if (info.kind === 'Deployment') this.controllers.reconcile(o);
    json(res, 200, o);
  }

  private listAll(res: ServerResponse, info: ResourceInfo, namespace: string | undefined, selector: string | null): void {
    const items = this.list(info.name, namespace).filter((o) => matchesSelector(o['metadata'].labels ?? {}, selector));
    if (info.kind === 'Deployment') items.forEach((o) => this.controllers.reconcile(o));
    json(res, 200, { kind: `${info.kind}List`, apiVersion: info.groupVersion, metadata: { resourceVersion: this.store.resourceVersion }, items });
  }

  private apply(res: ServerResponse, info: ResourceInfo, namespace: string | undefined, name: string, query: URLSearchParams, contentType: string | undefined, body: string): void {
    if (contentType !== 'application/apply-patch+yaml') {
      return status(res, 415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`);
    }
    const manager = query.get('fieldManager');
    if (!manager) return status(res, 422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
    const patch = JSON.parse(body) as Obj;
    if (patch['kind'] !== info.kind || patch['apiVersion'] !== info.groupVersion) {
      return status(res, 400, 'BadRequest', `the API version in the data (${patch['apiVersion']}) does not match the expected API version (${info.groupVersion})`);
    }
    if (patch['metadata']?.name !== name) return status(res, 400, 'BadRequest', 'the name of the object does not match the name on the URL');
    if (info.namespaced) {
      const ns = this.store.get('namespaces', undefined, namespace!);
      if (!ns) return status(res, 404, 'NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
      if (ns['status']?.phase === 'Terminating') {
        return status(res, 403, 'Forbidden', `${info.name} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`);
      }
    }
    const existing = this.store.get(info.name, namespace, name);
    if (existing) {
      const owner = existing['metadata'].managedFields?.[0]?.manager;
      const changed = JSON.stringify(specOf(existing)) !== JSON.stringify(specOf(patch));
      if (owner !== manager && changed && query.get('force') !== 'true') {
        return status(res, 409, 'Conflict', `Apply failed with 1 conflict: conflict with "${owner}" using ${info.groupVersion}: .spec`, {
          name,
          group: groupOf(info),
          kind: info.name,
          causes: [{ reason: 'FieldManagerConflict', message: `conflict with "${owner}" using ${info.groupVersion}`, field: '.spec' }],
        });
      }
      if (!changed && owner === manager && sameMeta(existing, patch)) return json(res, 200, existing);
      const updated = this.store.put(this.store.stamp({ ...structuredClone(patch), status: existing['status'] }, existing, manager));
      if (changed && info.kind === 'Deployment') this.controllers.rolloutStarted(updated);
      return json(res, 200, updated);
    }
    const created = this.store.put(this.store.stamp(structuredClone(patch), undefined, manager));
    if (info.kind === 'Namespace') created['status'] = { phase: 'Active' };
    if (info.kind === 'Deployment') {
      created['status'] = {};
      this.controllers.rolloutStarted(created);
    }
    if (info.kind === 'Job') this.controllers.startJobPod(created);
    json(res, 201, created);
  }

  private remove(res: ServerResponse, info: ResourceInfo, namespace: string | undefined, name: string): void {
    const o = this.store.get(info.name, namespace, name);
    if (!o) return notFound(res, info, name);
    if (info.kind === 'Namespace') {
      // Contents go at once; the answer shows the namespace Terminating, as the real one lingers.
      this.store.deleteNamespaced(name);
      o['status'] = { phase: 'Terminating' };
      o['metadata'].deletionTimestamp = new Date().toISOString();
      this.store.delete(info.name, undefined, name);
      return json(res, 200, o);
    }
    this.store.delete(info.name, namespace, name);
    if (info.kind === 'Deployment' || info.kind === 'Job') this.controllers.deletePodsOf(o);
    json(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, kind: info.name, uid: o['metadata'].uid } });
  }

  private log(res: ServerResponse, namespace: string, pod: string): void {
    if (!this.store.get('pods', namespace, pod)) return notFound(res, infoForKind('v1', 'Pod'), pod);
    res.writeHead(200, { 'content-type': 'text/plain' }).end(this.podLogs.get(`${namespace}/${pod}`) ?? '');
  }

  private proxy(req: IncomingMessage, res: ServerResponse, namespace: string, nameAndPort: string, url: URL, body: string): void {
    const parts = nameAndPort.split(':');
    const name = parts.length === 3 ? parts[1]! : parts[0]!;
    if (!this.store.get('services', namespace, name)) return notFound(res, infoForKind('v1', 'Service'), name);
    const backend = this.backends.get(`${namespace}/${name}`);
    if (!backend) return status(res, 503, 'ServiceUnavailable', `no endpoints available for service "${name}"`);
    const rest = url.pathname.split(`/services/${nameAndPort}/proxy`)[1] || '/';
    const headers = { ...req.headers };
    delete headers.authorization; // the real API server does not pass the caller's credentials on
    delete headers.host;
    const upstream = httpRequest(`${backend}${rest}${url.search}`, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (e) => status(res, 503, 'ServiceUnavailable', `error trying to reach service: ${e.message}`));
    upstream.end(body);
  }

  private async upgrade(req: IncomingMessage, socket: Duplex): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(url.pathname);
    this.requests.push({ method: 'GET', path: url.pathname, query: url.searchParams, contentType: undefined, body: '' });
    const refuse = (code: number, reason: string, message: string) => {
      const text = JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
      socket.end(`HTTP/1.1 ${code} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    };
    if (req.headers.authorization !== `Bearer ${this.token}`) return refuse(401, 'Unauthorized', 'Unauthorized');
    if (!m) return refuse(404, 'NotFound', 'the server could not find the requested resource');
    const [namespace, pod] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)];
    const p = this.store.get('pods', namespace, pod);
    if (!p) return refuse(404, 'NotFound', `pods "${pod}" not found`);
    const container = url.searchParams.get('container') ?? '';
    if (!p['spec'].containers.some((c: Obj) => c['name'] === container)) return refuse(400, 'BadRequest', `container ${container} is not valid for pod ${pod}`);
    const ws = acceptWebSocket(req, socket);
    if (!ws) return;
    const command = url.searchParams.getAll('command');
    const result = await this.execHandler({ namespace, pod, container, command }, { stdout: (text) => ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(text)])) });
    if (result.stdout) ws.send(Buffer.concat([Buffer.from([1]), Buffer.from(result.stdout)]));
    if (result.stderr) ws.send(Buffer.concat([Buffer.from([2]), Buffer.from(result.stderr)]));
    const exitCode = result.exitCode ?? 0;
    const final =
      exitCode === 0
        ? { metadata: {}, status: 'Success' }
        : {
            metadata: {},
            status: 'Failure',
            message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
            reason: 'NonZeroExitCode',
            details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
          };
    ws.send(Buffer.concat([Buffer.from([3]), Buffer.from(JSON.stringify(final))]));
    ws.close();
  }
}

/** Start a fake API server (stop it with close()). */
export async function startFakeApiServer(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
  return new FakeApiServer(options).start();
}

function parsePath(pathname: string): { discovery: string } | { info: ResourceInfo; namespace?: string; name?: string; sub?: string } | undefined {
  const m = /^\/(?:api\/(v1)|apis\/([^/]+\/[^/]+))(\/.*)?$/.exec(pathname);
  if (!m) return undefined;
  const groupVersion = m[1] ?? m[2]!;
  const segs = (m[3] ?? '').split('/').filter(Boolean).map(decodeURIComponent);
  if (segs.length === 0) return { discovery: groupVersion };
  let namespace: string | undefined;
  if (segs[0] === 'namespaces' && segs.length >= 3) {
    namespace = segs[1];
    segs.splice(0, 2);
  }
  const info = RESOURCES.find((r) => r.groupVersion === groupVersion && r.name === segs[0]);
  if (!info) return undefined;
  return { info, ...(namespace ? { namespace } : {}), ...(segs[1] ? { name: segs[1] } : {}), ...(segs[2] ? { sub: segs[2] } : {}) };
}

function specOf(o: Obj): unknown {
  const { metadata: _m, status: _s, ...rest } = o;
  return rest;
}

function sameMeta(a: Obj, b: Obj): boolean {
  const pick = (o: Obj) => JSON.stringify([o['metadata']?.labels ?? {}, o['metadata']?.annotations ?? {}]);
  return pick(a) === pick(b);
}

function matchesSelector(labels: Record<string, string>, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [k, v] = term.split('=');
    return v === undefined ? k! in labels : labels[k!] === v;
  });
}

function notFound(res: ServerResponse, info: ResourceInfo, name: string): void {
  const group = groupOf(info);
  status(res, 404, 'NotFound', `${info.name}${group ? `.${group}` : ''} "${name}" not found`, { name, group, kind: info.name });
}

function status(res: ServerResponse, code: number, reason: string, message: string, details?: Obj): void {
  json(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code });
}

function json(res: ServerResponse, code: number, value: unknown): void {
  if (res.headersSent) return;
  res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

import type { IncomingHttpHeaders } from 'node:http';
import type { HeaderList } from './httpSize.ts';

/** An HTTP request as a mesh service's handler gets it (body already read). */
export interface MeshRequest {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** What a handler answers; the server adds Content-Type, Content-Length and Connection. */
export interface MeshReply {
  readonly status: number;
  readonly body?: Buffer | string;
  /** Defaults to application/json. */
  readonly contentType?: string;
  /** Further headers, e.g. Set-Cookie. */
  readonly headers?: HeaderList;
}

/** A failure the handler means to answer with `status` (not a bug). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function json(status: number, value: unknown, headers?: HeaderList): MeshReply {
  return { status, body: JSON.stringify(value), contentType: 'application/json', ...(headers ? { headers } : {}) };
}

/** GET /health, answered as every Sock Shop service answers it. */
export function healthReply(service: string): MeshReply {
  return json(200, { health: [{ service, status: 'OK' }] });
}

/** The reply an HttpError stands for. */
export function httpErrorReply(error: HttpError): MeshReply {
  return json(error.status, { error: error.message, status_code: error.status });
}

/** The request body as JSON, or a 400. */
export function bodyJson(req: MeshRequest): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(req.body.toString('utf8') || '{}');
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new HttpError(400, 'request body must be a JSON object');
}

/** A route's handler; `ctx` is whatever the service hands every request (e.g. a session). */
export type RouteHandler<C> = (req: MeshRequest, params: Readonly<Record<string, string>>, ctx: C) => MeshReply | Promise<MeshReply>;

interface Route<C> {
  readonly method: string;
  readonly parts: readonly string[];
  readonly handler: RouteHandler<C>;
}

/** Method + path-pattern routing (`/customers/:id`). */
export class Router<C = undefined> {
  private readonly routes: Route<C>[] = [];

  on(method: string, pattern: string, handler: RouteHandler<C>): this {
    this.routes.push({ method, parts: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  get(pattern: string, handler: RouteHandler<C>): this {
    return this.on('GET', pattern, handler);
  }

  post(pattern: string, handler: RouteHandler<C>): this {
    return this.on('POST', pattern, handler);
  }

  delete(pattern: string, handler: RouteHandler<C>): this {
    return this.on('DELETE', pattern, handler);
  }

  /** True when some route answers this method and path. */
  has(req: MeshRequest): boolean {
    return this.match(req) !== undefined;
  }

  /** Answer with the matching route, or 404. */
  async handle(req: MeshRequest, ctx: C): Promise<MeshReply> {
    const found = this.match(req);
    if (!found) return json(404, { error: 'Not Found', status_code: 404, path: req.path });
    return found.route.handler(req, found.params, ctx);
  }

  private match(req: MeshRequest): { route: Route<C>; params: Record<string, string> } | undefined {
    const parts = req.path.split('/').filter(Boolean);
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    for (const route of this.routes) {
      if (route.method !== method || route.parts.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let matched = true;
      for (let i = 0; i < parts.length && matched; i++) {
        const want = route.parts[i] as string;
        const got = parts[i] as string;
        if (want.startsWith(':')) params[want.slice(1)] = safeDecode(got);
        else matched = want === got;
      }
      if (matched) return { route, params };
    }
    return undefined;
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

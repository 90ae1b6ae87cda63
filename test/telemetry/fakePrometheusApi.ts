// A fake Prometheus HTTP API (/api/v1/query only) for the Prometheus source's failure paths:
// the test decides every answer; each request is recorded with its parameters and headers.
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ApiRequest {
  readonly path: string;
  readonly query: string;
  readonly time: string | null;
  readonly headers: IncomingHttpHeaders;
}

/** What to answer: a JSON body (status 200 unless given), raw text, or no answer at all. */
export type ApiAnswer = { readonly status?: number; readonly json: unknown } | { readonly status?: number; readonly text: string } | 'hang';

export type VectorSeries = { readonly labels: Readonly<Record<string, string>>; readonly value: number | string };

/** A successful instant-vector body. */
export function vector(at: number, series: readonly VectorSeries[]): ApiAnswer {
  return { json: { status: 'success', data: { resultType: 'vector', result: series.map((s) => ({ metric: s.labels, value: [at, String(s.value)] })) } } };
}

export class FakePrometheusApi {
  readonly requests: ApiRequest[] = [];
  /** Decides each answer; default: an empty vector. */
  answer: (request: ApiRequest) => ApiAnswer = (r) => vector(Number(r.time), []);
  private readonly hanging = new Set<ServerResponse>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakePrometheusApi> {
    let api: FakePrometheusApi | undefined;
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const request: ApiRequest = { path: url.pathname, query: url.searchParams.get('query') ?? '', time: url.searchParams.get('time'), headers: req.headers };
      api?.requests.push(request);
      const answer = api?.answer(request) ?? 'hang';
      if (answer === 'hang') {
        api?.hanging.add(res);
        return;
      }
      if ('json' in answer) res.writeHead(answer.status ?? 200, { 'content-type': 'application/json' }).end(JSON.stringify(answer.json));
      else res.writeHead(answer.status ?? 200, { 'content-type': 'text/html' }).end(answer.text);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = new FakePrometheusApi(server);
    return api;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

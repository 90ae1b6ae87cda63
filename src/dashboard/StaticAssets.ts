import { readdir, readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BASE_HEADERS } from './httpResponses.ts';
import { BrowserModules, chartJsFile } from './BrowserModules.ts';

/** The page's own files (plain ES modules, no build step). */
export const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), 'web');

/** The page may load only what this server sends, and run no inline script. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
};

/**
 * Everything the page loads, from a fixed list made at start: the files of web/ (by name),
 * chart.js's browser build from node_modules (offline, no CDN), and the shared chart modules.
 * A path not on the list is not served, whatever it contains.
 */
export class StaticAssets {
  private constructor(
    private readonly webFiles: ReadonlySet<string>,
    private readonly chartJs: string,
    private readonly modules: BrowserModules,
  ) {}

  static async load(): Promise<StaticAssets> {
    const names = (await readdir(WEB_DIR)).filter((n) => /^[a-zA-Z][\w-]*\.(?:html|js|css|svg)$/.test(n));
    const [chartJs, modules] = await Promise.all([readFile(chartJsFile('chart.umd.js'), 'utf8'), BrowserModules.build()]);
    return new StaticAssets(new Set(names), chartJs, modules);
  }

  /** Send the asset at `pathname`; false when there is none. */
  async serve(pathname: string, res: ServerResponse): Promise<boolean> {
    if (pathname === '/' || pathname === '/index.html') return this.sendWebFile('index.html', res);
    if (pathname === '/vendor/chart.umd.js') return send(res, 'js', this.chartJs);
    if (pathname.startsWith('/app/')) {
      const name = pathname.slice('/app/'.length);
      return this.webFiles.has(name) ? this.sendWebFile(name, res) : false;
    }
    if (pathname.startsWith('/src/')) {
      const code = this.modules.get(pathname.slice('/src/'.length));
      return code === undefined ? false : send(res, 'js', code);
    }
    return false;
  }

  private async sendWebFile(name: string, res: ServerResponse): Promise<boolean> {
    // Read on each request: editing the page needs no restart.
    const text = await readFile(join(WEB_DIR, name), 'utf8');
    return send(res, name.slice(name.lastIndexOf('.') + 1), text);
  }
}

function send(res: ServerResponse, ext: string, body: string): true {
  res.writeHead(200, {
    ...BASE_HEADERS,
    'content-type': TYPES[ext] ?? 'application/octet-stream',
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'cache-control': 'no-cache',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
  return true;
}

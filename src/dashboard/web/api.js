// The page's only way to the server: GET JSON from /api.

export async function getJson(path) {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  let body;
  try {
    body = await res.json();
  } catch {
    throw new Error(`${path}: HTTP ${res.status} (not JSON)`);
  }
  if (!res.ok) throw Object.assign(new Error(body?.error ?? `HTTP ${res.status}`), { status: res.status });
  return body;
}

const enc = encodeURIComponent;

/** API path of a run: of the data folder, or of a sweep folder inside it. */
export const runPath = (name, sweep) => (sweep === undefined ? `/api/runs/${enc(name)}` : `/api/sweeps/${enc(sweep)}/runs/${enc(name)}`);
export const sweepPath = (name) => `/api/sweeps/${enc(name)}`;

/** `path` asking for one replay variant of a sweep run (none: the server's default). */
export const withVariant = (path, variant) => (variant === undefined ? path : `${path}${path.includes('?') ? '&' : '?'}variant=${enc(variant)}`);

/** The page's own link to a run (and replay variant) or a sweep. */
export const runHash = (name, sweep, variant) => withVariant(sweep === undefined ? `#/runs/${enc(name)}` : `#/sweeps/${enc(sweep)}/runs/${enc(name)}`, variant);
export const sweepHash = (name) => `#/sweeps/${enc(name)}`;

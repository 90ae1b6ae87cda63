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

export const runPath = (name) => `/api/runs/${encodeURIComponent(name)}`;

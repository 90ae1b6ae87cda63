import type { Sock } from './catalogueData.ts';
import { paging } from './paging.ts';
import { healthReply, json, Router, type MeshReply, type MeshRequest } from './router.ts';
import type { StoreClient } from './StoreClient.ts';

type SockDoc = Sock & { readonly id: string };

/** `?tags=a,b` → the store's any-of filter on the `tag` field. */
function tagFilter(query: URLSearchParams): { tag: string[] } | undefined {
  const tags = (query.get('tags') ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  return tags.length > 0 ? { tag: tags } : undefined;
}

/** catalogue: Sock Shop's product service, backed by catalogue-db. */
export function catalogueService(db: StoreClient): (req: MeshRequest) => Promise<MeshReply> {
  const router = new Router()
    .get('/catalogue', async (req) => {
      const where = tagFilter(req.query);
      const { skip, limit } = paging(req.query);
      const { docs } = await db.find<SockDoc>('socks', { ...(where ? { where } : {}), ...(skip !== undefined ? { skip, limit } : {}) });
      return json(200, docs);
    })
    .get('/catalogue/size', async (req) => {
      const where = tagFilter(req.query);
      const { total } = await db.find('socks', { ...(where ? { where } : {}), limit: 0 });
      return json(200, { size: total, err: null });
    })
    .get('/catalogue/:id', async (_req, { id }) => {
      const sock = await db.get<SockDoc>('socks', id ?? '');
      return sock ? json(200, sock) : json(404, { error: 'Not found', status_code: 404 });
    })
    .get('/tags', async () => {
      const { docs } = await db.find('tags');
      return json(200, { tags: docs.map((d) => d.id), err: null });
    })
    .get('/health', () => healthReply('catalogue'));
  return (req) => router.handle(req, undefined);
}

import type { Doc, Where } from './DocumentStore.ts';
import type { MeshTcpClient } from './MeshTcpClient.ts';

/** Typed operations of the data-store protocol (DocumentStore), over a workload's connection. */
export class StoreClient {
  constructor(private readonly tcp: MeshTcpClient) {}

  get<T extends Doc = Doc>(c: string, key: string): Promise<T | null> {
    return this.tcp.request<T | null>('get', { c, key });
  }

  /** Records matching `where`, in insertion order, `skip` then at most `limit`; `total` counts every match. */
  find<T extends Doc = Doc>(c: string, query: { where?: Where; skip?: number; limit?: number } = {}): Promise<{ docs: T[]; total: number }> {
    return this.tcp.request('find', { c, ...query });
  }

  insert<T extends Doc = Doc>(c: string, doc: Readonly<Record<string, unknown>>): Promise<T> {
    return this.tcp.request<T>('insert', { c, doc });
  }

  /** Create or replace the record `key`. */
  put<T extends Doc = Doc>(c: string, key: string, doc: Readonly<Record<string, unknown>>): Promise<T> {
    return this.tcp.request<T>('put', { c, key, doc });
  }

  /** Merge `set` into record `key`; null when there is none. */
  update<T extends Doc = Doc>(c: string, key: string, set: Readonly<Record<string, unknown>>): Promise<T | null> {
    return this.tcp.request<T | null>('update', { c, key, set });
  }

  /** Delete record `key`, or every record matching `where`. */
  async delete(c: string, target: { key: string } | { where: Where }): Promise<number> {
    const r = await this.tcp.request<{ deleted: number }>('delete', { c, ...target });
    return r.deleted;
  }
}

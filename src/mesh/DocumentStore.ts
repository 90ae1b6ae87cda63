import { randomUUID } from 'node:crypto';

/** A stored record: any JSON object with a string `id`. */
export interface Doc {
  readonly id: string;
}

/** Field → wanted value; an array of wanted values matches any of them; array fields match by element. */
export type Where = Readonly<Record<string, unknown>>;

function fieldMatches(actual: unknown, wanted: unknown): boolean {
  const alternatives = Array.isArray(wanted) ? wanted : [wanted];
  const values = Array.isArray(actual) ? actual : [actual];
  return values.some((v) => alternatives.includes(v));
}

function matches(doc: Doc, where: Where | undefined): boolean {
  if (!where) return true;
  for (const [field, wanted] of Object.entries(where)) if (!fieldMatches((doc as unknown as Record<string, unknown>)[field], wanted)) return false;
  return true;
}

function str(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new Error(`${field} must be a non-empty string`);
  return value;
}

function obj(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${field} must be an object`);
  return value as Record<string, unknown>;
}

/**
 * The in-memory database behind catalogue-db, carts-db, orders-db, user-db and session-db
 * (MySQL, MongoDB and Redis in Sock Shop): named collections of records, in insertion order.
 */
export class DocumentStore {
  private readonly collections = new Map<string, Map<string, Doc>>();

  private collection(name: string): Map<string, Doc> {
    let c = this.collections.get(name);
    if (!c) this.collections.set(name, (c = new Map()));
    return c;
  }

  /** Load records directly (seeding at start, as a restored database would be). */
  seed(name: string, docs: readonly Doc[]): void {
    const c = this.collection(name);
    for (const d of docs) c.set(d.id, d);
  }

  /** Answer one protocol request (see MeshTcpServer for the framing). */
  readonly handle = (request: Readonly<Record<string, unknown>>): unknown => {
    const c = this.collection(str(request['c'], 'c'));
    const where = request['where'] === undefined ? undefined : (obj(request['where'], 'where') as Where);
    switch (request['op']) {
      case 'get':
        return c.get(str(request['key'], 'key')) ?? null;
      case 'find': {
        const skip = Math.max(0, Number(request['skip'] ?? 0) || 0);
        const limit = request['limit'] === undefined ? Infinity : Math.max(0, Number(request['limit']) || 0);
        const docs: Doc[] = [];
        let total = 0;
        for (const d of c.values()) {
          if (!matches(d, where)) continue;
          if (total >= skip && docs.length < limit) docs.push(d);
          total++;
        }
        return { docs, total };
      }
      case 'insert': {
        const doc = obj(request['doc'], 'doc');
        const id = typeof doc['id'] === 'string' && doc['id'] ? doc['id'] : randomUUID().replace(/-/g, '').slice(0, 24);
        if (c.has(id)) throw new Error(`duplicate id ${id}`);
        const stored: Doc = { ...doc, id };
        c.set(id, stored);
        return stored;
      }
      case 'put': {
        const id = str(request['key'], 'key');
        const stored: Doc = { ...obj(request['doc'], 'doc'), id };
        c.set(id, stored);
        return stored;
      }
      case 'update': {
        const id = str(request['key'], 'key');
        const old = c.get(id);
        if (!old) return null;
        const stored: Doc = { ...old, ...obj(request['set'], 'set'), id };
        c.set(id, stored);
        return stored;
      }
      case 'delete': {
        let n = 0;
        if (request['key'] !== undefined) n = c.delete(str(request['key'], 'key')) ? 1 : 0;
        else for (const d of [...c.values()]) if (matches(d, where) && c.delete(d.id)) n++;
        return { deleted: n };
      }
      default:
        throw new Error(`unknown op ${JSON.stringify(request['op'])}`);
    }
  };
}

import type { z } from 'zod';

/** What this file reads of a zod (v4) schema's definition. */
interface Definition {
  readonly type: string;
  readonly shape?: Readonly<Record<string, z.ZodType>>;
  readonly innerType?: z.ZodType;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly in?: z.ZodType;
}

const definition = (schema: z.ZodType): Definition => (schema as unknown as { _zod: { def: Definition } })._zod.def;

/** The schema under its wrappers (optional, default, prefault, nullable, readonly, catch, a pipe's input). */
function unwrapped(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let def = definition(s); ; def = definition(s)) {
    if (def.innerType !== undefined) s = def.innerType;
    else if (def.type === 'pipe' && def.in !== undefined) s = def.in;
    else return s;
  }
}

/**
 * The fields the object at `path` in `schema` accepts, for a "did you mean" on an unknown one
 * (`durationSecond` → durationSeconds); empty when the path leads to no object schema (a record
 * of free keys, a union).
 */
export function knownFields(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s = unwrapped(schema);
  for (const part of path) {
    const def = definition(s);
    const next = typeof part === 'number' ? def.element : def.type === 'object' ? def.shape?.[String(part)] : def.valueType;
    if (next === undefined) return [];
    s = unwrapped(next);
  }
  const def = definition(s);
  return def.type === 'object' && def.shape !== undefined ? Object.keys(def.shape) : [];
}

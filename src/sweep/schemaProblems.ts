import type { z } from 'zod';
import { formatPath } from '../config/index.ts';

/** A value as shown in a message: JSON, cut to 80 characters. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[part];
  }
  return cur;
}

/**
 * Parse with a zod schema; on failure, one line per problem naming the field under `prefix`
 * (e.g. `sweep.axes.bytes.values: ...`) and the value found there.
 */
export function schemaProblems<S extends z.ZodType>(schema: S, input: unknown, prefix: string): { readonly data?: z.output<S>; readonly problems: string[] } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { data: parsed.data, problems: [] };
  const problems: string[] = [];
  for (const issue of parsed.error.issues) {
    const rest = issue.path.length > 0 ? formatPath(issue.path) : '';
    const where = rest === '' ? prefix : rest.startsWith('[') ? `${prefix}${rest}` : `${prefix}.${rest}`;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push(`${where}.${key}: unknown field (misspelt?)`);
      continue;
    }
    problems.push(`${where}: ${issue.message} (got ${show(valueAt(input, issue.path))})`);
  }
  return { problems };
}

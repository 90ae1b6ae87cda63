import type { z } from 'zod';
import { closestName } from '../closestName.ts';
import { jsonForMessage } from '../jsonForMessage.ts';
import { knownFields } from './knownFields.ts';

/** A value as shown in a message: JSON (NaN and Infinity as such), cut to 80 characters. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    const s = jsonForMessage(value) ?? String(value);
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

/** Dotted path with indices, e.g. `exfiltration[1].bytes`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(parameters)';
}

/** A zod type name in words: `string` → `a string`. */
function expectedType(type: string): string {
  const words: Readonly<Record<string, string>> = { string: 'a string', number: 'a number', int: 'a whole number', boolean: 'true or false', array: 'a list', object: 'an object', record: 'an object' };
  return Object.hasOwn(words, type) ? words[type]! : `a ${type}`;
}

/**
 * Parse with a zod schema; on failure, one line per problem naming the field under `prefix`
 * (e.g. `sweep.axes.bytes.values: ...`, or the bare field with prefix '') and the value found
 * there. The one place zod's issues become messages, so every entry point words them alike.
 */
export function schemaProblems<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix: string,
  unknownKey = 'unknown field',
): { readonly data?: z.output<S>; readonly problems: string[] } {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { data: parsed.data, problems: [] };
  const problems: string[] = [];
  for (const issue of parsed.error.issues) {
    const rest = issue.path.length > 0 ? formatPath(issue.path) : '';
    const where = rest === '' ? prefix || formatPath([]) : rest.startsWith('[') || prefix === '' ? `${prefix}${rest}` : `${prefix}.${rest}`;
    if (issue.code === 'unrecognized_keys') {
      const parent = rest === '' && prefix === '' ? '' : `${where}.`;
      // The field most likely meant, as for a misspelt flag; "misspelt?" when none is near.
      const known = knownFields(schema, issue.path);
      for (const key of issue.keys) {
        const guess = closestName(key, known);
        problems.push(`${parent}${key}: ${unknownKey} (${guess === undefined ? 'misspelt?' : `did you mean ${guess}?`})`);
      }
      continue;
    }
    const value = valueAt(input, issue.path);
    if (value === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_value')) {
      // A required field left out: said in plain words, not as zod's "expected string, received undefined".
      problems.push(`${where}: missing (expected ${issue.code === 'invalid_type' ? expectedType(issue.expected) : issue.message.replace(/^Invalid (?:option|input): expected /, '')})`);
      continue;
    }
    const hideValue = issue.code === 'custom' && (issue.params as { hideValue?: boolean } | undefined)?.hideValue === true;
    problems.push(hideValue ? `${where}: ${issue.message}` : `${where}: ${issue.message} (got ${show(valueAt(input, issue.path))})`);
  }
  return { problems };
}

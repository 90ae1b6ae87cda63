import type { ParametersInput } from '../config/index.ts';

// A parameter path names one place in the parameters: `traffic.shape`, `exfiltration[0].atSeconds`,
// `exfiltration[*].bytes` (every element), `detectors.options.ewma.k`. The same path is a type
// (checked against ParametersInput when parameters.ts is type-checked) and a string parsed here
// at run time (checked again, since parameters.ts may be plain JavaScript or cast).

type Depth = [never, 0, 1, 2, 3, 4, 5, 6];
type Leaf = string | number | boolean | bigint | symbol | null | undefined;

/** Every path into T (objects by key, arrays by `[n]` or `[*]`), to a bounded depth. */
export type PathOf<T, D extends number = 6> = [D] extends [never]
  ? never
  : T extends Leaf
    ? never
    : T extends readonly unknown[]
      ? `[${number}]` | '[*]' | `[${number}]${SubPath<T[number], D>}` | `[*]${SubPath<T[number], D>}`
      : { [K in keyof T & string]-?: K | `${K}${SubPath<NonNullable<T[K]>, D>}` }[keyof T & string];

type SubPath<T, D extends number> =
  PathOf<NonNullable<T>, Depth[D]> extends infer P ? (P extends `[${string}` ? P : P extends string ? `.${P}` : never) : never;

/**
 * The type found at path P in T (`unknown` inside free-form records such as detector options).
 * Written segment by segment (split at dots, then brackets consumed one `]` at a time) and never
 * building new template strings: that keeps the compiler's work linear in the path's length.
 */
export type PathValue<T, P extends string> = P extends `${infer Segment}.${infer Rest}`
  ? PathValue<SegmentValue<T, Segment>, Rest>
  : NonNullable<SegmentValue<T, P>>;

type SegmentValue<T, S extends string> = S extends `${infer K}[${infer More}` ? Elements<Field<T, K>, More> : Field<T, S>;

type Elements<T, S extends string> =
  NonNullable<T> extends readonly (infer E)[] ? (S extends `${string}]${infer More}` ? (More extends `[${infer Next}` ? Elements<E, Next> : E) : never) : never;

type Field<T, K extends string> = K extends keyof NonNullable<T> ? NonNullable<T>[K] : unknown;

/** Where runs go and what they are called belong to the sweep, not to an axis. */
type Unsweepable = 'name' | 'outputDir';

/** A path an axis may sweep. */
export type ParameterPath = Exclude<PathOf<ParametersInput>, Unsweepable>;

/** One step of a parsed path. */
export type PathSegment =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'every' };

/** Parse `a.b[0].c[*].d`; throws an Error saying what is wrong with the text. */
export function parsePath(text: string): PathSegment[] {
  if (typeof text !== 'string' || text === '') throw new Error('expected a path such as traffic.shape or exfiltration[*].bytes');
  const segments: PathSegment[] = [];
  const re = /\[(\*|\d+)\]|(?:^|\.)([^.[\]]+)/y;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (m === null || (at === 0 && text[0] === '.')) {
      throw new Error(`cannot read the path at character ${at + 1} (${JSON.stringify(text.slice(at))}); write keys with dots and elements as [0] or [*]`);
    }
    if (m[1] === '*') segments.push({ kind: 'every' });
    else if (m[1] !== undefined) segments.push({ kind: 'index', index: Number(m[1]) });
    else segments.push({ kind: 'key', key: m[2]! });
    at = re.lastIndex;
  }
  if (segments[0]?.kind !== 'key') throw new Error('a path starts with a field name');
  return segments;
}

/** The path as written (`exfiltration[*].bytes`). */
export function formatSegments(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) {
    if (s.kind === 'key') out += out ? `.${s.key}` : s.key;
    else out += s.kind === 'every' ? '[*]' : `[${s.index}]`;
  }
  return out;
}

/**
 * Set `value` at the path inside `root`, in place. Missing objects on the way are created
 * (a misspelt key then surfaces as an unknown field when the parameters are validated);
 * array elements must exist, and `[*]` must match at least one. The value is cloned at each
 * place it lands, so parameters never share objects.
 */
export function setAtPath(root: Record<string, unknown>, segments: readonly PathSegment[], value: unknown): void {
  const walk = (cur: unknown, i: number, where: string): void => {
    const seg = segments[i]!;
    const last = i === segments.length - 1;
    if (seg.kind === 'key') {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) throw new Error(`${where || 'parameters'} is not an object (cannot set .${seg.key})`);
      const obj = cur as Record<string, unknown>;
      const here = where ? `${where}.${seg.key}` : seg.key;
      if (last) {
        obj[seg.key] = structuredClone(value);
        return;
      }
      if (obj[seg.key] === undefined) {
        if (segments[i + 1]!.kind !== 'key') throw new Error(`${here} is not set, so it has no elements to sweep`);
        obj[seg.key] = {};
      }
      walk(obj[seg.key], i + 1, here);
      return;
    }
    if (!Array.isArray(cur)) throw new Error(`${where} is not a list (cannot take ${seg.kind === 'every' ? '[*]' : `[${seg.index}]`})`);
    const indices = seg.kind === 'every' ? cur.map((_, k) => k) : [seg.index];
    if (indices.length === 0) throw new Error(`${where} is empty, so [*] matches nothing`);
    for (const k of indices) {
      if (k >= cur.length) throw new Error(`${where} has ${cur.length} element${cur.length === 1 ? '' : 's'}, no [${k}]`);
      if (last) cur[k] = structuredClone(value);
      else walk(cur[k], i + 1, `${where}[${k}]`);
    }
  };
  walk(root, 0, '');
}

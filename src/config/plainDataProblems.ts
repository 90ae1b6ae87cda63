/**
 * Where a value is not plain data (what JSON and structuredClone carry: null, booleans,
 * finite and non-finite numbers, strings, arrays, plain objects): functions, symbols,
 * bigints, class instances (Date, Map, RegExp, …) and cycles, each as `path: what it is`.
 * Parameters are recorded in run.json and copied for sweeps and flags, so anything else
 * would fail later, far from the mistake, as a DataCloneError or silently vanish.
 */
export function plainDataProblems(value: unknown, path = '', seen: Set<object> = new Set()): string[] {
  const at = path === '' ? '(top level)' : path;
  switch (typeof value) {
    case 'function':
      return [`${at}: a function is not allowed here (parameters are plain data: write the value itself, e.g. 3 rather than () => 3)`];
    case 'symbol':
    case 'bigint':
      return [`${at}: a ${typeof value} is not allowed here (parameters are plain data: numbers, strings, booleans, lists and objects)`];
    case 'object':
      break;
    default:
      return [];
  }
  if (value === null) return [];
  if (seen.has(value)) return [`${at}: refers to itself (parameters are plain data, without cycles)`];
  const proto = Object.getPrototypeOf(value) as object | null;
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) {
    const kind = (value as object).constructor?.name ?? 'object';
    return [`${at}: a ${kind} is not allowed here (parameters are plain data: numbers, strings, booleans, lists and objects)`];
  }
  seen.add(value);
  const problems: string[] = [];
  if (Array.isArray(value)) value.forEach((v, i) => problems.push(...plainDataProblems(v, `${path}[${i}]`, seen)));
  else for (const [k, v] of Object.entries(value)) problems.push(...plainDataProblems(v, path === '' ? k : `${path}.${k}`, seen));
  seen.delete(value);
  return problems;
}

/**
 * A copy of `value` without what plainDataProblems refuses (object fields left out, list items
 * null, so positions stay), for checking the rest of the parameters by the schema when some
 * of them are not plain data: every mistake is then listed at once, not the plain-data ones
 * first and the schema's on the next try.
 */
export function plainDataOnly(value: unknown, seen: Set<object> = new Set()): unknown {
  if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') return undefined;
  if (value === null || typeof value !== 'object') return value;
  const proto = Object.getPrototypeOf(value) as object | null;
  if (seen.has(value) || (!Array.isArray(value) && proto !== Object.prototype && proto !== null)) return undefined;
  seen.add(value);
  const copy: unknown = Array.isArray(value)
    ? value.map((v) => plainDataOnly(v, seen) ?? null)
    : Object.fromEntries(Object.entries(value).flatMap(([k, v]) => {
        const kept = plainDataOnly(v, seen);
        return kept === undefined ? [] : [[k, kept]];
      }));
  seen.delete(value);
  return copy;
}

/** Whether a problem line (`path: message`) is about the field at `path` or inside it. */
export function isAbout(problem: string, path: string): boolean {
  return problem.startsWith(path) && /^[:.[]/.test(problem.slice(path.length));
}

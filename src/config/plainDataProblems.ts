/** A value plainDataProblems refuses: where (`a.b[2].c`, '' for the top level) and what it is. */
export interface PlainDataProblem {
  readonly path: string;
  readonly message: string;
}

const PLAIN = '(parameters are plain data: numbers, strings, booleans, lists and objects)';

/**
 * Where a value is not plain data (what JSON and structuredClone carry: null, booleans,
 * finite and non-finite numbers, strings, arrays, plain objects): functions, symbols,
 * bigints, class instances (Date, Map, RegExp, …) and cycles. Parameters are recorded in
 * run.json and copied for sweeps and flags, so anything else would fail later, far from the
 * mistake, as a DataCloneError or silently vanish.
 *
 * `plain` is a copy without them (object fields left out, list items null, so positions
 * stay), for checking the rest of the parameters by the schema at the same time: every
 * mistake is then listed at once, not the plain-data ones first and the schema's on the next
 * try. One walk gives both, so what is refused and what is left out cannot disagree.
 */
export function plainDataProblems(value: unknown): { plain: unknown; problems: PlainDataProblem[] } {
  const problems: PlainDataProblem[] = [];
  const seen = new Set<object>();
  const walk = (v: unknown, path: string): unknown => {
    const refuse = (message: string) => {
      problems.push({ path, message });
      return undefined;
    };
    switch (typeof v) {
      case 'function':
        return refuse('a function is not allowed here (parameters are plain data: write the value itself, e.g. 3 rather than () => 3)');
      case 'symbol':
      case 'bigint':
        return refuse(`a ${typeof v} is not allowed here ${PLAIN}`);
      case 'object':
        break;
      default:
        return v;
    }
    if (v === null) return null;
    if (seen.has(v)) return refuse('refers to itself (parameters are plain data, without cycles)');
    const proto = Object.getPrototypeOf(v) as object | null;
    if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) return refuse(`a ${(v as object).constructor?.name ?? 'object'} is not allowed here ${PLAIN}`);
    seen.add(v);
    const copy: unknown = Array.isArray(v)
      ? v.map((item, i) => walk(item, `${path}[${i}]`) ?? null)
      : Object.fromEntries(
          Object.entries(v).flatMap(([k, item]) => {
            const kept = walk(item, path === '' ? k : `${path}.${k}`);
            return kept === undefined ? [] : [[k, kept]];
          }),
        );
    seen.delete(v);
    return copy;
  };
  return { plain: walk(value, ''), problems };
}

/** `path: message`, the top level named so. */
export function formatPlainDataProblem(problem: PlainDataProblem): string {
  return `${problem.path === '' ? '(top level)' : problem.path}: ${problem.message}`;
}

/** Whether a problem line (`path: message`) is about the field at `path` or inside it. */
export function isAbout(problem: string, path: string): boolean {
  return problem.startsWith(path) && /^[:.[]/.test(problem.slice(path.length));
}

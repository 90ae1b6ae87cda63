import { UserError } from '../errors.ts';
import { parametersSchema, type Parameters } from './schema.ts';

/** Dotted path with indices, e.g. `exfiltration[1].bytes`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(parameters)';
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const part of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[part];
  }
  return cur;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    const s = JSON.stringify(value);
    return s.length > 80 ? `${s.slice(0, 77)}...` : s;
  } catch {
    return String(value);
  }
}

/**
 * Apply defaults and validate. Every problem is reported at once, one line each, naming the
 * field, the bad value and what was expected; `origin` (a file name) prefixes the message.
 */
export function resolveParameters(input: unknown, origin = 'parameters'): Parameters {
  const parsed = parametersSchema.safeParse(input ?? {});
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = formatPath(issue.path);
      if (issue.code === 'unrecognized_keys') {
        const where = issue.path.length ? `${path}.` : '';
        for (const key of issue.keys) problems.push(`${where}${key}: unknown field (misspelt?)`);
        continue;
      }
      problems.push(`${path}: ${issue.message} (got ${show(valueAt(input, issue.path))})`);
    }
  } else {
    problems.push(...crossFieldProblems(parsed.data));
  }
  if (problems.length > 0) {
    throw new UserError(`${origin}: invalid parameters:\n  ${problems.join('\n  ')}`);
  }
  return parsed.data as Parameters;
}

function crossFieldProblems(p: Parameters): string[] {
  const out: string[] = [];
  if (p.intervalSeconds >= p.durationSeconds) {
    out.push(`intervalSeconds: must be shorter than durationSeconds (${p.durationSeconds}) (got ${p.intervalSeconds})`);
  }
  const [lo, hi] = p.traffic.thinkTimeSeconds;
  if (lo > hi) out.push(`traffic.thinkTimeSeconds: minimum must not exceed maximum (got ${show([lo, hi])})`);
  p.exfiltration.forEach((x, i) => {
    if (x.atSeconds >= p.durationSeconds) {
      out.push(`exfiltration[${i}].atSeconds: must fall before durationSeconds (${p.durationSeconds}) (got ${x.atSeconds})`);
    }
  });
  if (p.detectors.trainingSeconds >= p.durationSeconds) {
    out.push(`detectors.trainingSeconds: must be shorter than durationSeconds (${p.durationSeconds}) (got ${p.detectors.trainingSeconds})`);
  }
  return out;
}

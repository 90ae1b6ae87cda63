import type { SweepPlan } from './planSweep.ts';
import { recordedBase, type SweepIndex } from './sweepIndex.ts';
import { show } from '../config/index.ts';

/** Paths (dotted, with indices) where two JSON values differ, at most `limit`. */
export function differingPaths(a: unknown, b: unknown, limit = 5, prefix = ''): string[] {
  const out: string[] = [];
  const walk = (x: unknown, y: unknown, at: string): void => {
    if (out.length >= limit) return;
    if (x !== null && y !== null && typeof x === 'object' && typeof y === 'object' && Array.isArray(x) === Array.isArray(y)) {
      if (Array.isArray(x) && Array.isArray(y)) {
        if (x.length !== y.length) out.push(`${at || '(root)'}: ${show(x)} → ${show(y)}`);
        else x.forEach((v, i) => walk(v, y[i], `${at}[${i}]`));
        return;
      }
      const xo = x as Record<string, unknown>;
      const yo = y as Record<string, unknown>;
      for (const key of new Set([...Object.keys(xo), ...Object.keys(yo)])) walk(xo[key], yo[key], at ? `${at}.${key}` : key);
      return;
    }
    if (JSON.stringify(x) !== JSON.stringify(y)) out.push(`${at || '(root)'}: ${show(x)} → ${show(y)}`);
  };
  walk(a, b, prefix);
  return out;
}

/** The value as it reads back from JSON (undefined fields gone). */
function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null)) as unknown;
}

/**
 * Why the sweep recorded in a folder cannot be continued by this plan (empty when it can).
 * A continued sweep must record the same thing: the same base parameters (detector settings
 * aside: they only matter when replaying) and the same experiment-side axes (names and paths,
 * in order, since they make the run names). Values and repeats may change: runs whose names
 * are kept are reused, new ones are recorded.
 */
export function resumeProblems(index: SweepIndex, plan: SweepPlan): string[] {
  const problems: string[] = [];
  const before = index.axes.filter((a) => a.side === 'experiment').map((a) => `${a.name}: ${a.path}`);
  const now = plan.sweep.axes.filter((a) => a.side === 'experiment').map((a) => `${a.name}: ${a.path}`);
  if (before.join('\n') !== now.join('\n')) {
    problems.push(`experiment-side axes were [${before.join(', ')}], now [${now.join(', ')}]`);
  }
  const { detectors: _old, ...oldBase } = index.base;
  const { detectors: _new, ...newBase } = recordedBase(plan);
  const diffs = differingPaths(asJson(oldBase), asJson(newBase));
  if (diffs.length > 0) problems.push(`base parameters differ: ${diffs.join('; ')}`);
  return problems;
}

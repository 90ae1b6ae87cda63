import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { UserError } from '../../errors.ts';
import { edgeSchema, optionProblems, type EdgeRef } from '../options.ts';
import { edgeKey } from '../../edgeKey.ts';

/** A policy file: a JSON list of {src, dst}, or an object with such a list under `allowedEdges` (other fields ignored). */
const edgeListSchema = z.array(edgeSchema);
const wrappedListSchema = z.object({ allowedEdges: edgeListSchema }).passthrough();

/**
 * Which edges may carry traffic, like Mimir's network-security policy. `*` as src or dst
 * matches any node (e.g. {src: "*", dst: "front-end"}: anyone may call the front-end).
 */
export class EdgePolicy {
  private readonly exact = new Set<string>();
  private readonly anySrcTo = new Set<string>();
  private readonly fromAnyDst = new Set<string>();
  private anything = false;

  constructor(edges: readonly EdgeRef[]) {
    for (const { src, dst } of edges) {
      if (src === '*' && dst === '*') this.anything = true;
      else if (src === '*') this.anySrcTo.add(dst);
      else if (dst === '*') this.fromAnyDst.add(src);
      else this.exact.add(edgeKey(src, dst));
    }
  }

  allows(src: string, dst: string): boolean {
    return this.anything || this.anySrcTo.has(dst) || this.fromAnyDst.has(src) || this.exact.has(edgeKey(src, dst));
  }
}

/** Read a policy file's edges; any problem is a UserError naming `field`, the file and what is wrong. */
export function readPolicyFile(path: string, field: string): EdgeRef[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    // The commands resolve a parameters file's relative path against its folder (detectorFilesFrom);
    // one given here directly (a library caller) is read from the working directory: say which file that was.
    const where = isAbsolute(path) ? path : `${path} (${resolve(path)}, from the working directory)`;
    throw new UserError(`${field}: cannot read policy file ${where}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UserError(`${field}: ${path} is not valid JSON: ${(e as Error).message}`);
  }
  // Validated against the shape it has, so the messages point into it (`[3].dst`), not at "no union member matched".
  const { problems, data } = optionProblems(Array.isArray(json) ? edgeListSchema : wrappedListSchema, json, path, 'unknown field');
  if (problems.length > 0 || data === undefined) {
    throw new UserError(
      `${field}: ${path} must hold a list of {"src", "dst"} edges, or {"allowedEdges": [...]}:\n  ${problems.join('\n  ')}`,
    );
  }
  return Array.isArray(data) ? (data as EdgeRef[]) : (data as z.output<typeof wrappedListSchema>).allowedEdges;
}

import { isAbsolute, resolve } from 'node:path';

/**
 * A detector's options that name files (new-edge's `policyFile`), with a relative path made
 * absolute against `baseDir`, the folder of the parameters file that wrote it, as detector
 * plugins' modules are: a parameters file and the files it names travel together, and the run
 * records the path it read (run.json), so a replay from another folder reads the same file.
 * Read from the working directory before, `policyFile: './policy.json'` beside a parameters file
 * run from elsewhere (`--parameters exp/p.ts`) was not found, or was another file. A copy: the
 * user's module is not changed. Anything but a non-empty string is left for validation to report.
 */
export function resolveFileOptions(options: unknown, fields: readonly string[], baseDir: string): unknown {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return options;
  let out: Record<string, unknown> | undefined;
  for (const field of fields) {
    const value = (options as Record<string, unknown>)[field];
    if (typeof value !== 'string' || value === '' || isAbsolute(value)) continue;
    out ??= { ...(options as Record<string, unknown>) };
    out[field] = resolve(baseDir, value);
  }
  return out ?? options;
}

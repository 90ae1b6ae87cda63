import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** src/, as the browser sees it: /src/report/charts/scoreChart.ts is src/report/charts/scoreChart.ts. */
export const SRC_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The project modules the page imports (chart definitions shared with the PNG report); what they import comes along. */
export const BROWSER_ENTRIES: readonly string[] = ['report/charts/index.ts', 'visibleBidi.ts', 'report/ewmaBand.ts', 'report/edgeVolumes.ts', 'report/timeline.ts', 'evaluation/attackIntervals.ts', 'evaluation/promiseSignificance.ts', 'types.ts', 'sweep/errorBars.ts'];


// Value imports and re-exports with a relative specifier (type-only ones are gone after stripping).
const RELATIVE_IMPORT = /(?:^|[\s;])(?:import|export)\s*(?:[\w*{}\s,$]*?\s*from\s*)?["'](\.\.?\/[^"']+)["']/g;

/**
 * Project TypeScript modules turned into browser ES modules, once, at start: the entries and
 * every module they import, all under src/. Nothing outside that set is served, so the URL
 * space cannot reach other files. A bare import (a package) in the set is an error: the
 * browser could not resolve it.
 */
export class BrowserModules {
  private constructor(private readonly modules: ReadonlyMap<string, string>) {}

  static async build(entries: readonly string[] = BROWSER_ENTRIES, root: string = SRC_ROOT): Promise<BrowserModules> {
    // esbuild (the same one tsx runs on) strips types file by file. This is not bundling:
    // each module stays a module, served under its own path.
    const esbuild = await import('esbuild');
    const modules = new Map<string, string>();
    const queue = entries.map((e) => resolve(root, e));
    while (queue.length > 0) {
      const file = queue.shift()!;
      const path = relative(root, file).split(sep).join('/');
      if (modules.has(path)) continue;
      if (path.startsWith('..')) throw new Error(`browser module ${file}: outside ${root}`);
      const source = await readFile(file, 'utf8');
      const { code } = await esbuild.transform(source, { loader: 'ts', format: 'esm', target: 'es2022', sourcefile: path, tsconfigRaw: {} });
      modules.set(path, code);
      for (const m of code.matchAll(RELATIVE_IMPORT)) queue.push(resolve(dirname(file), m[1]!));
      const bare = /(?:^|[\s;])import\s[^"']*?["']([^./][^"']*)["']/.exec(code);
      if (bare) throw new Error(`browser module ${path}: imports package ${bare[1]}, which the browser cannot load`);
    }
    return new BrowserModules(modules);
  }

  /** JavaScript of a module by its path under src/ (e.g. `report/charts/scoreChart.ts`), if served. */
  get(path: string): string | undefined {
    return this.modules.get(path);
  }
}

/** Absolute path of a file of the chart.js package (the browser build is served from it). */
export function chartJsFile(name: string): string {
  return join(dirname(createRequire(import.meta.url).resolve('chart.js')), name);
}

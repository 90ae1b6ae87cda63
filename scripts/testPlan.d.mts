// Types of scripts/testPlan.mjs (plain JavaScript: it runs before anything is built), for the tests.

/** A process of the test run: one file alone, or several sharing it. */
export type PlannedProcess = { readonly alone: string } | { readonly shared: readonly string[]; readonly name: string };

export const FILES_PER_SHARED_PROCESS: number;
export function findTestFiles(root: string, dir?: string): string[];
export function runsAlone(file: string): boolean;
export function planTestProcesses(files: readonly string[], filesPerProcess?: number, weightOf?: (file: string) => number): PlannedProcess[];
export function sharedProcessModule(root: string, files: readonly string[]): string;

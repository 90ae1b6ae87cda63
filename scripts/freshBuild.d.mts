// Types of scripts/freshBuild.mjs, for the tests.
export function staleInput(outdir: string, root?: string): string | undefined;

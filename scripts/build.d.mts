// Types of scripts/build.mjs (plain JavaScript: it runs before anything is built), for the tests.
export const ROOT: string;
export const BUILD_INFO: string;
export function commandNames(root?: string): string[];
export interface Metafile {
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, { readonly bytes: number; readonly inputs: Record<string, unknown>; readonly imports: readonly { readonly path: string; readonly kind: string; readonly external?: boolean }[] }>;
}
export function build(options?: { root?: string; outdir?: string; quiet?: boolean }): Promise<{ commands: string[]; inputs: string[]; metafile: Metafile }>;

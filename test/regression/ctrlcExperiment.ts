import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alive, descendants } from '../util.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'src', 'cli', 'experiment.ts');

export interface CtrlCOutcome {
  readonly code: number | null;
  readonly stderr: string;
  /** Descendants of the command when Ctrl-C was sent, still alive a moment after it exited. */
  readonly left: readonly number[];
}

/**
 * `npm run experiment` with `parameters` (an object literal's text) in its own process group,
 * sent SIGINT to the whole group, as a terminal's Ctrl-C is, as soon as its stderr matches
 * `when` and `ready()` holds (e.g. the child it must catch starting is there). `more`: further
 * flags (e.g. `--target kubernetes`) and environment variables (e.g. KUBECONFIG).
 */
export async function ctrlcExperiment(
  dir: string,
  name: string,
  parameters: string,
  when: RegExp,
  ready: (pid: number) => boolean = () => true,
  more: { readonly args?: readonly string[]; readonly env?: Readonly<Record<string, string>> } = {},
): Promise<CtrlCOutcome> {
  const file = join(dir, `${name}.params.ts`);
  writeFileSync(file, `export const parameters = ${parameters};\n`);
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--parameters', file, '--name', name, ...(more.args ?? [])], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
    env: { ...process.env, ...more.env },
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let code: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve((code = c))));
  const deadline = Date.now() + 60_000;
  while (!(when.test(stderr) && ready(child.pid!))) {
    if (code !== undefined || Date.now() > deadline) {
      if (code === undefined) process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`never saw ${String(when)} ${code !== undefined ? 'before the command exited' : 'in time'}:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const started = descendants(child.pid!);
  process.kill(-child.pid!, 'SIGINT');
  const exitCode = await exited;
  // Children are reaped by their parents as these exit: give them a moment.
  await new Promise((r) => setTimeout(r, 500));
  return { code: exitCode, stderr, left: started.filter(alive) };
}

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from '../median.ts';

/** The clone this command runs from (dist/cli/ or src/cli/ is two folders down). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PEAK_RSS_PRELOAD = pathToFileURL(join(PROJECT_ROOT, 'scripts', 'peakRss.mjs')).href;

/**
 * A command of this build: [node flags…, script], next to the running command (this module may
 * be bundled into a shared chunk, so not next to it). Compiled, dist/cli/<name>.js; from src/
 * (tests), src/cli/<name>.ts under the same flags (tsx).
 */
export function commandArgs(name: string): string[] {
  const here = resolve(process.argv[1] ?? fileURLToPath(import.meta.url));
  // A bare `--import tsx` resolves from the working directory: made absolute, it works from any.
  const flags = process.execArgv.map((a, i, all) => (all[i - 1] === '--import' && /^[\w@]/.test(a) ? import.meta.resolve(a) : a));
  return [...flags, join(dirname(here), `${name}${extname(here)}`)];
}

/** One process, timed from spawn to exit, with its CPU time and peak RSS. */
export interface ProcessRun {
  readonly seconds: number;
  /** User + system CPU seconds of the process (all its threads). */
  readonly cpuSeconds: number;
  readonly peakRssMegabytes: number;
  /** With `sampleMs`: the RSS a quarter of the way through the process's life (by time) and at its exit, MB. */
  readonly rssQuarterMegabytes?: number;
  readonly rssEndMegabytes?: number;
}

/**
 * Run `node …args` to its end in `cwd`; fails on a non-zero exit, with the end of its stderr.
 * With `sampleMs`, the child samples its RSS that often, and the sample nearest a quarter of its
 * life is returned beside the one at exit.
 */
export async function runProcess(args: readonly string[], cwd: string, sampleMs = 0): Promise<ProcessRun> {
  const scratch = mkdtempSync(join(tmpdir(), 'munnin-bench-rss-'));
  const rssFile = join(scratch, 'rss');
  try {
    const t0 = performance.now();
    const env: Record<string, string> = { MUNNIN_PEAK_RSS_FILE: rssFile, ...(sampleMs > 0 ? { MUNNIN_RSS_SAMPLE_MS: String(sampleMs) } : {}) };
    const { code, stderr } = await exited(process.execPath, ['--import', PEAK_RSS_PRELOAD, ...args], cwd, env);
    const seconds = (performance.now() - t0) / 1000;
    if (code !== 0) throw new Error(`bench: node ${args.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}`);
    const usage = JSON.parse(readFileSync(rssFile, 'utf8')) as { maxRSS: number; userCPUTime: number; systemCPUTime: number; samples?: [number, number][] };
    const run = { seconds, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, peakRssMegabytes: usage.maxRSS / 1024 };
    const samples = usage.samples ?? [];
    if (samples.length === 0) return run;
    const end = samples[samples.length - 1]!;
    let quarter = samples[0]!;
    for (const s of samples) if (Math.abs(s[0] - end[0] / 4) < Math.abs(quarter[0] - end[0] / 4)) quarter = s;
    return { ...run, rssQuarterMegabytes: quarter[1], rssEndMegabytes: end[1] };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Median wall time of `rounds` runs of a command line (any program), in seconds. */
export async function medianSeconds(command: string, args: readonly string[], cwd: string, rounds: number): Promise<number> {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    const { code, stderr } = await exited(command, args, cwd, {});
    if (code !== 0) throw new Error(`bench: ${command} ${args.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}`);
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

/** Start-up cost: a command's `--help` against doing nothing, through npm and directly. */
export interface StartupCost {
  readonly rounds: number;
  /** `npm run <script that does nothing>` (npm's own start), or undefined when npm was not found. */
  readonly npmNothingSeconds: number | undefined;
  /** `npm run <command> -- --help`, per command. */
  readonly npmHelpSeconds: Readonly<Record<string, number>>;
  /** `node -e ""`. */
  readonly nodeNothingSeconds: number;
  /** `node <command script> --help`, per command. */
  readonly nodeHelpSeconds: Readonly<Record<string, number>>;
  /** CPU seconds (user + system, median) of `node -e ""` and of each `node <command script> --help`: what wall time cannot say on a busy machine. */
  readonly nodeNothingCpuSeconds: number;
  readonly nodeHelpCpuSeconds: Readonly<Record<string, number>>;
}

export async function measureStartup(commands: readonly string[], rounds: number): Promise<StartupCost> {
  const nodeHelpSeconds: Record<string, number> = {};
  const npmHelpSeconds: Record<string, number> = {};
  const nodeNothingSeconds = await medianSeconds(process.execPath, ['-e', ''], PROJECT_ROOT, rounds);
  for (const c of commands) nodeHelpSeconds[c] = await medianSeconds(process.execPath, [...commandArgs(c), '--help'], PROJECT_ROOT, rounds);
  const cpu = async (args: readonly string[]) => {
    const runs: number[] = [];
    for (let r = 0; r < rounds; r++) runs.push((await runProcess(args, PROJECT_ROOT)).cpuSeconds);
    return median(runs);
  };
  const nodeNothingCpuSeconds = await cpu(['-e', '']);
  const nodeHelpCpuSeconds: Record<string, number> = {};
  for (const c of commands) nodeHelpCpuSeconds[c] = await cpu([...commandArgs(c), '--help']);
  // npm as `npm run bench` was started with (npm_execpath), else the one on PATH.
  const npm = process.env['npm_execpath'] ? { command: process.execPath, prefix: [process.env['npm_execpath']] } : { command: 'npm', prefix: [] as string[] };
  let npmNothingSeconds: number | undefined;
  const empty = mkdtempSync(join(tmpdir(), 'munnin-bench-npm-'));
  try {
    writeFileSync(join(empty, 'package.json'), JSON.stringify({ name: 'nothing', private: true, scripts: { nothing: 'true' } }));
    npmNothingSeconds = await medianSeconds(npm.command, [...npm.prefix, 'run', '--silent', 'nothing'], empty, rounds);
    for (const c of commands) npmHelpSeconds[c] = await medianSeconds(npm.command, [...npm.prefix, 'run', '--silent', c, '--', '--help'], PROJECT_ROOT, rounds);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    npmNothingSeconds = undefined;
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
  return { rounds, npmNothingSeconds, npmHelpSeconds, nodeNothingSeconds, nodeHelpSeconds, nodeNothingCpuSeconds, nodeHelpCpuSeconds };
}

function exited(command: string, args: readonly string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
    const stop = () => child.kill('SIGTERM');
    process.once('SIGINT', stop);
    child.on('error', (e) => {
      process.off('SIGINT', stop);
      reject(e);
    });
    child.on('close', (code) => {
      process.off('SIGINT', stop);
      resolvePromise({ code, stderr });
    });
  });
}

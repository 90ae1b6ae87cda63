import { spawn, type ChildProcess } from 'node:child_process';
import { tiedToParent } from './tiedToParent.ts';

/** How a server process ended. */
export interface ServerExit {
  /** E.g. `was killed by SIGKILL`, `exited with code 2`, `could not be started: spawn ENOENT`. */
  readonly how: string;
  /**
   * Exit code 0: Prometheus and VictoriaMetrics exit so only when asked to stop (SIGTERM,
   * SIGINT, e.g. a Ctrl-C reaching the whole process group), never when they crash.
   */
  readonly graceful: boolean;
}

/** One run of a server binary: its output tail, its end, and how to stop it. */
export class ServerChild {
  /** Process id (-1 when the binary could not be started). */
  readonly pid: number;
  /** Resolves when the process has ended (never rejects). */
  readonly exited: Promise<ServerExit>;
  private ended: ServerExit | undefined;
  private tail = '';
  private readonly child: ChildProcess;

  constructor(binary: string, args: readonly string[]) {
    // Dies with munnin however munnin dies (a SIGKILL or an OOM kill included), where the system allows.
    const command = tiedToParent(binary, args);
    this.child = spawn(command.command, command.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.pid = this.child.pid ?? -1;
    const keep = (chunk: Buffer) => {
      this.tail = (this.tail + chunk.toString('utf8')).slice(-4000);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise<ServerExit>((resolve) => {
      const end = (exit: ServerExit) => {
        this.ended ??= exit;
        resolve(this.ended);
      };
      this.child.once('error', (e) => end({ how: `could not be started: ${e.message}`, graceful: false }));
      this.child.once('exit', (code, signal) => end({ how: signal ? `was killed by ${signal}` : `exited with code ${code}`, graceful: code === 0 }));
    });
  }

  /** How it ended, or undefined while it runs. */
  get exit(): ServerExit | undefined {
    return this.ended;
  }

  /** Its last few lines of output, on one line, for messages. */
  lastLines(): string {
    const lines = this.tail.trim().split('\n').slice(-5).join(' | ');
    return lines === '' ? '(no output)' : lines;
  }

  /** SIGTERM, then SIGKILL when it is still running after `timeoutMillis`; resolves once it has ended. */
  async stop(timeoutMillis: number): Promise<void> {
    if (!this.running()) return;
    this.child.kill('SIGTERM');
    const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, timeoutMillis, 'timeout').unref());
    if ((await Promise.race([this.exited, timer])) === 'timeout') {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  /** SIGKILL at once, synchronously (for the process 'exit' hook, which allows nothing else). */
  killNow(): void {
    if (this.running()) this.child.kill('SIGKILL');
  }

  private running(): boolean {
    return this.child.pid !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }
}

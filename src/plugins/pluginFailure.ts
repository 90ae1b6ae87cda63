import { dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catchError, concat, defer, EMPTY, isObservable, Observable, tap, throwError, type OperatorFunction } from 'rxjs';
import { whenEventLoopDrained } from '../eventLoopDrained.ts';
import { toError, UserError } from '../errors.ts';
import { intervalStart } from '../intervalBounds.ts';
import type { Frame, Verdict } from '../types.ts';
import { PluginContract, type ContractBreach } from './pluginContract.ts';

/**
 * An exception thrown by a detector plugin's own code. It is not munnin's bug, so the CLI
 * prints it as a UserError (no "please report it", no stack of munnin's and rxjs's frames),
 * but its author needs to find it: the message names the detector, its module, the interval it
 * was judging and the stack frames inside the plugin's own folder.
 */
export class DetectorPluginError extends UserError {}

/** Stack frames this many at most, so a deep recursion does not flood the terminal. */
const MAX_FRAMES = 8;

/**
 * The plugin's operator, with its exceptions (at subscription or on any frame) turned into a
 * DetectorPluginError naming the interval: the latest frame that entered the plugin, which is
 * the one a synchronous judge was working on when it threw. Its verdicts are checked against
 * the detector contract (PluginContract) as they leave it: a breach is a DetectorPluginError too.
 */
export function guardPluginOperator(operator: OperatorFunction<Frame, Verdict>, name: string, file: string, trainingSeconds: number): OperatorFunction<Frame, Verdict> {
  return (frames) =>
    defer(() => {
      let last: Frame | undefined;
      let streamStart = Number.NaN;
      const contract = new PluginContract(name, trainingSeconds);
      const breach = (b: ContractBreach) => contractBreach(b, name, file, b.t - streamStart);
      const seen = frames.pipe(
        tap((frame) => {
          if (Number.isNaN(streamStart)) streamStart = intervalStart(frame.t, frame.dt);
          last = frame;
          contract.given(frame);
        }),
      );
      let verdicts: unknown;
      try {
        verdicts = operator(seen);
      } catch (e) {
        throw pluginFailure(e, name, file);
      }
      if (!isObservable(verdicts)) throw notAnOperator(verdicts, name, file, 'its operator returned');
      const checked = (verdicts as Observable<Verdict>).pipe(
        tap((verdict) => {
          const b = contract.check(verdict);
          if (b !== undefined) throw breach(b);
        }),
      );
      const ended = defer(() => {
        const b = contract.unanswered();
        return b === undefined ? EMPTY : throwError(() => breach(b));
      });
      const guarded = concat(checked, ended).pipe(catchError((e: unknown) => throwError(() => pluginFailure(e, name, file, last === undefined ? undefined : { t: last.t, offset: last.t - streamStart }))));
      // A stream that never ends (`() => NEVER`, a verdict awaited forever) would leave the run
      // waiting until Node's event loop runs dry and the process ends, exit 0, writing nothing.
      return new Observable<Verdict>((subscriber) => {
        const unwatch = whenEventLoopDrained(() => {
          const b = contract.stalled(last);
          subscriber.error(b !== undefined ? breach(b) : new DetectorPluginError(`detector "${name}" (plugin ${file}) breaks the detector contract (README "Writing a detector"): its stream never took a frame and never ended (the operator must subscribe to the frames it is given and end when they end)`));
        });
        const subscription = guarded.subscribe(subscriber);
        return () => {
          unwatch();
          subscription.unsubscribe();
        };
      });
    });
}

/** A breach of the detector contract, named like a plugin's exception: detector, module, interval, what is wrong. */
function contractBreach(b: ContractBreach, name: string, file: string, offset: number): DetectorPluginError {
  const what = b.problems.length === 1 ? ` ${b.problems[0]}` : `\n${b.problems.map((p) => `    ${p}`).join('\n')}`;
  return new DetectorPluginError(`detector "${name}" (plugin ${file}) breaks the detector contract (README "Writing a detector") at the interval t = ${b.t} (${offset} s into the stream):${what}`);
}

/**
 * create() gave something that is not an operator (an `undefined` from a missing `return`, a
 * `{train, judge}` core not wrapped in detectorOperator), or the operator gave something that is
 * not an Observable: rxjs would fail on it with a TypeError of its own, read as munnin's bug.
 */
export function notAnOperator(got: unknown, name: string, file: string, what = 'create() returned'): DetectorPluginError {
  const shown = got === null ? 'null' : Array.isArray(got) ? 'an array' : typeof got === 'object' ? `an object (keys: ${Object.keys(got as object).join(', ') || 'none'})` : typeof got === 'function' ? 'a function' : String(got);
  const expected = what === 'create() returned' ? 'an operator, a function from the Observable of Frames to an Observable of Verdicts (e.g. detectorOperator(core, setup), or frames => frames.pipe(map(...)))' : 'an Observable of Verdicts (frames => frames.pipe(map(...)))';
  return new DetectorPluginError(`detector "${name}" (plugin ${file}): ${what} ${shown}, not ${expected}`);
}

/** A plugin's exception as a DetectorPluginError (a UserError it threw itself is passed on as it is). */
export function pluginFailure(thrown: unknown, name: string, file: string, at?: { readonly t: number; readonly offset: number }): UserError {
  if (thrown instanceof UserError) return thrown;
  const error = toError(thrown);
  const where = at === undefined ? 'when created' : `at the interval t = ${at.t} (${at.offset} s into the stream)`;
  const frames = ownFrames(error.stack ?? '', file);
  return new DetectorPluginError(`detector "${name}" (plugin ${file}) failed ${where}: ${error.message}${frames.length > 0 ? `\n${frames.join('\n')}` : ''}`);
}

/** The stack lines that point into the plugin's folder (its module and its own helpers), not its node_modules. */
function ownFrames(stack: string, file: string): string[] {
  const folder = dirname(file) + sep;
  return stack
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .filter((line) => {
      const path = framePath(line);
      return path !== undefined && path.startsWith(folder) && !path.includes(`${sep}node_modules${sep}`);
    })
    .slice(0, MAX_FRAMES)
    .map((line) => `    ${line.trim()}`);
}

/** The file a stack line names: a path, or a file: URL (tsx adds a query to the ones it compiles). */
function framePath(line: string): string | undefined {
  const m = /\(?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+)(?::\d+){0,2}\)?$/.exec(line.trim());
  if (!m) return undefined;
  const location = m[1]!;
  if (!location.startsWith('file://')) return location;
  try {
    return fileURLToPath(location.replace(/\?.*$/, ''));
  } catch {
    return undefined;
  }
}

import type { ParametersInput } from '../config/index.ts';
import type { ParameterPath, PathValue } from './parameterPath.ts';

/** One axis: a parameter path and the values it takes, one run (or replay) per value. */
export interface SweepAxis {
  /** Where the values go, e.g. `exfiltration[*].bytes`; paths under `detectors.` are swept at replay time. */
  readonly path: ParameterPath;
  /** The values, in the order runs and comparison rows follow. */
  readonly values: readonly unknown[];
}

/** Synthetic exfiltration added at replay time (Mimir's method), one replay per rate. */
export interface SweepInjection {
  /** The rates swept: bytes per interval while a window is open. */
  readonly bytesPerInterval: readonly number[];
  /** Windows, in seconds after the run start (end exclusive), shared by every rate. */
  readonly at: readonly { readonly startSeconds: number; readonly endSeconds: number }[];
  /** Nodes the injected data flows through (default user-db, user, front-end, external). */
  readonly path?: readonly string[];
  /** Metric of each injected hop (default: chosen per hop, see `npm run replay -- --help`). */
  readonly metrics?: readonly string[];
}

/** What parameters.ts exports as `sweep`. */
export interface SweepDefinition {
  /** Folder under outputDir (default: `--name`, else the parameters' name, else `sweep`). */
  readonly name?: string;
  /** Runs per combination of the experiment-side axes (default 1). */
  readonly repeats?: number;
  /** Named axes; names become run-name parts and comparison columns. */
  readonly axes?: Readonly<Record<string, SweepAxis>>;
  /** Replay-time exfiltration rates. */
  readonly inject?: SweepInjection;
}

/**
 * An axis whose path is checked against the parameters' type, and its values against the
 * type found there: `axis('traffic.shape', ['normal', 'bursty'])` compiles,
 * `axis('traffic.shap', ...)` and `axis('exfiltration[*].bytes', ['big'])` do not.
 * Detector options are free-form records here (`unknown`); their values are checked at run
 * time, like everything else, before anything runs.
 */
export function axis<P extends string>(path: P & ParameterPath, values: readonly NoInfer<PathValue<ParametersInput, P>>[]): SweepAxis {
  return { path, values };
}

/** Identity, for the types: `export const sweep = defineSweep({ ... })` in parameters.ts. */
export function defineSweep(sweep: SweepDefinition): SweepDefinition {
  return sweep;
}

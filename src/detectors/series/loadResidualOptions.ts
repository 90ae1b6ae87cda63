import { z } from 'zod';
import { metricsOption, nonNegativeNumber, positiveNumber } from '../options.ts';
import type { MetricKey } from '../../types.ts';
import { DEFAULT_OUTSIDE_NODES } from './outsideNodes.ts';

/** Observations an edge's fit needs before its residuals are scored. */
export const RESIDUAL_WARMUP = 5;

/** Options of the load regression, shared by the detectors reading residuals (`cusum`, `path`). */
export const loadResidualFields = () => ({
  /** Memory of the regression, in intervals: older observations weigh exp(−age/memory). Default 100. */
  memoryIntervals: z.number().finite().min(RESIDUAL_WARMUP).default(100),
  /**
   * An edge idle for longer than this, in seconds (between the ends of its last and its current
   * non-idle interval), is forgotten: its fit starts over (RESIDUAL_WARMUP observations before it
   * is scored again), so the fits kept are those of the edges active within this time, not of
   * every edge ever seen (a converted connection log meets new pairs all run long). Default
   * 86,400 (one day, as new-edge's forgetAfterSeconds).
   */
  forgetAfterSeconds: z.number().finite().positive().default(86_400),
  /** Ridge penalty on the slopes, as a fraction of each covariate's own spread, there only so collinear loads (the front door's and its callee's callers' demand are the same series) share the fit: a lone covariate's slope shrinks by 1/(1 + ridge), and what it leaves of the load stays in the residual. Default 1e-4. */
  ridge: nonNegativeNumber().default(1e-4),
  /**
   * Self-starting residuals: each one-step residual divided by √(1 + h), its leverage h on the fit
   * so far (recursive residuals, Brown, Durbin & Evans 1975), and the result, t-distributed while
   * the scale rests on few observations, mapped to the normal deviate of the same tail with
   * n − 3 degrees of freedom after n observations (Quesenberry's Q statistic, JQT 1991). So an
   * edge's first scored residuals, predicted by a fit of a handful of observations, are on the
   * scale of its later ones, neither inflated by the young fit's error nor, where its first
   * residuals happened to be small, a burst of z in the tens. Default false (`path` and
   * `graph-lasso`: true; see README "What each detector watches").
   */
  selfStarting: z.boolean().default(false),
  /**
   * Floor on the residual scale, in units of the bytes one unit of demand moves: the largest
   * fitted slope |β_j| (bytes per request) times this. Only where demand is a count (the run
   * records `requests`); byte demand has no unit to speak of, so Munnin's TCP-only runs are
   * untouched. Why: an edge driven by requests alone is fitted almost exactly, its scale
   * collapses, and the one request (an order's calls, its message to the queue) that lands in
   * the interval after the demand that caused it is then a 10-15σ residual, every few minutes,
   * on every edge of the order (README "What each detector watches", "A floor of one request's
   * bytes"). A count known only to the interval cannot predict bytes better than one unit's
   * worth. Default 0 (off; `cusum`: 1).
   */
  demandUnitFloor: nonNegativeNumber().default(0),
  /** Weight of the newest residual in the robust scale, in (0, 1]. Default 0.1. */
  scaleLambda: z.number().finite().gt(0).lte(1).default(0.1),
  /** Floor on the residual scale, in bytes. Default 1. */
  minStd: positiveNumber().default(1),
  /** Floor on the residual scale as a fraction of the edge's mean volume. Default 0.01. */
  relativeMinStd: nonNegativeNumber().default(0.01),
  /** Metrics whose sum per edge is the volume regressed. Default: the byte metrics. */
  metrics: metricsOption(),
  /**
   * Where a detector winsorises standardised residuals, in σ, before adding them up (Hawkins &
   * Olwell, "Cumulative sum charts and charting for quality improvement", 1998: the winsorised
   * CUSUM): one burst of heavy-tailed traffic (z in the hundreds) then weighs no more than a
   * winsorizeAt-σ interval in what `cusum` carries forward and in each hop of a `path`.
   * Default 4 (`path` overrides it with 8).
   */
  winsorizeAt: positiveNumber().default(4),
  /**
   * Nodes standing for the outside: edges out of them are the front door (their demand is the
   * mesh's load), and `path` ends its candidate paths at them. Default external, unknown,
   * PassthroughCluster.
   */
  outside: z.array(z.string().min(1)).min(1).default([...DEFAULT_OUTSIDE_NODES]),
  /** Also count every node named by an IP address as outside (a peer without a workload identity). Default true. */
  addressesAreOutside: z.boolean().default(true),
});

export interface LoadResidualParameters {
  readonly memoryIntervals: number;
  /** Optional for callers that build these by hand (default 86,400, as the option). */
  readonly forgetAfterSeconds?: number;
  readonly ridge: number;
  readonly scaleLambda: number;
  /** Optional for callers that build these by hand (default false, as the option). */
  readonly selfStarting?: boolean;
  readonly minStd: number;
  readonly relativeMinStd: number;
  /** Optional for callers that build these by hand (default 0, as the option). */
  readonly demandUnitFloor?: number;
  readonly metrics: readonly MetricKey[];
  readonly outside: readonly string[];
  readonly addressesAreOutside: boolean;
  readonly winsorizeAt: number;
}

const loadResidualSchema = z.object(loadResidualFields());

/** The load regression's parameters: its defaults, with `options` over them (validated). */
export function loadResidualParameters(options: Record<string, unknown> = {}): LoadResidualParameters {
  return loadResidualSchema.parse(options);
}

import type { Frame } from '../../types.ts';
import type { SeriesLabel } from '../stats/index.ts';

/**
 * Per-edge standardised residuals, read one frame at a time and learnt edge by edge once the
 * detector has judged (LoadResiduals; a test may hand-feed one). Edge numbering is the frame's
 * edge index.
 */
export interface ResidualSource {
  /** Compute this frame's residuals from the past alone; returns the number of edges. */
  read(frame: Frame): number;
  /** Edges covered by the last read. */
  readonly edgeCount: number;
  /**
   * The edges that may have a residual in the last read, ascending: every other one's z and
   * residual are NaN (idle), so a detector may visit only these. Undefined: any edge may.
   */
  readonly active?: Int32Array | undefined;
  /**
   * Edge positions that hold a new edge from the last read on (Frame.recycled), ascending: a
   * detector resets what it keeps per edge for them. Undefined or empty: none.
   */
  readonly recycled?: Int32Array | undefined;
  /** Standardised residual per edge of the last read (NaN: not scored). */
  readonly z: Float64Array;
  /** Residual per edge of the last read in the series' unit (NaN: the edge was idle). */
  readonly residual: Float64Array;
  /**
   * Edge e's value in the last read in the series' unit (bytes), NaN when it was idle: what a
   * detector reads of an edge whose fit is still warming up (z NaN, and the residual of its
   * first observation 0).
   */
  value(e: number): number;
  /** Whether edge e got a standardised residual in the last read. */
  isScored(e: number): boolean;
  /** Learn edge e's observation of the last read (only for edges the detector admits). */
  learn(e: number): void;
  /** The edge at position e, for blame. */
  label(e: number): SeriesLabel;
}

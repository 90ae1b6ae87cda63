import type { Frame } from '../../types.ts';
import { ensureLength } from '../growable.ts';
import { frameEdgeCount } from './frameVolumes.ts';
import { LOAD_COVARIATES } from './loadCovariates.ts';
import { LoadResiduals } from './loadResiduals.ts';
import type { LoadResidualParameters } from './loadResidualOptions.ts';

/** The response side of an edge: what the callee sent back. */
const RESPONSE_METRICS = ['response_bytes', 'tcp_sent_bytes'] as const;

/**
 * The request side of each front-door edge (out of an outside node) given its response side:
 * residuals of what the outside's clients asked for (`requests` when the run records them, else
 * the request-direction bytes, request_bytes + tcp_received_bytes: LoadResiduals' own demand)
 * regressed on what they got back (response_bytes + tcp_sent_bytes), with LoadResiduals' robust
 * fit, scale and gating. Every other edge is idle here (NaN), and so is a front-door edge in an
 * interval it sent nothing back on (no mix to judge; a counts-only run, e.g. a converted
 * connection log, has none anywhere).
 *
 * Why: Mimir's in/out ratios (fretbuzz/mimir_v2, analysis_pipeline) as a residual. Users of an
 * application ask for a stable mix of pages per byte they receive, so an edge's two directions
 * move together and the one explains the other closely. A client scraping records through the
 * API asks for far more per byte (one request per record or page, each with its headers and
 * session), so its requests are what the responses do not explain: a positive residual on the
 * front door, where the volume's own residual sees little (the demand that explains an edge's
 * volume rose with the attack). Only the front door: inside the mesh the requests are made by
 * the application's own code, whose mix an exfiltration through it keeps.
 *
 * Where this departs from Mimir: Mimir charted each node's in/out ratio mod-z transformed; a
 * ratio is unstable when its denominator is small (an idle health-check interval), a
 * regression residual with a robust scale is not, and it is computed from the past alone.
 *
 * How: LoadResiduals watching the response metrics observes, per edge, the response side as its
 * value and the demand as its first covariate; here the two swap places on the front door, and
 * the other covariates are dropped (the front door's demand would be the edge's own).
 */
export class RequestMixResiduals extends LoadResiduals {
  constructor(p: LoadResidualParameters) {
    super({ ...p, metrics: RESPONSE_METRICS });
    // Idle (NaN) until a read says otherwise: the idle reads below never write them.
    this.z.fill(Number.NaN);
    this.residual.fill(Number.NaN);
  }

  /**
   * Until a frame carries a response metric there is no mix to judge (a counts-only run, such
   * as a converted connection log, never has one): every edge is idle (z and residual NaN, so
   * learn() ignores it), at no cost per edge. The fit's bookkeeping waits: edgeCount stays 0 and
   * no node is indexed, so the first frame with a response metric starts it as the first frame
   * of a run would (every edge indexed, every z and residual set).
   */
  override read(frame: Frame): number {
    if (this.sawWatchedMetric || RESPONSE_METRICS.some((m) => frame.values.has(m))) return super.read(frame);
    const n = frameEdgeCount(frame);
    this.z = ensureLength(this.z, n, Number.NaN);
    this.residual = ensureLength(this.residual, n, Number.NaN);
    return n;
  }

  protected override observeAll(frame: Frame, n: number, volume: Float64Array): void {
    super.observeAll(frame, n, volume);
    for (let e = 0; e < n; e++) this.swap(e);
  }

  protected override observeActive(frame: Frame, active: Int32Array, volume: Float64Array): void {
    super.observeActive(frame, active, volume);
    for (const e of active) this.swap(e);
  }

  /** Edge e's request side as the value, its response side as the one covariate; idle unless a front-door edge that sent something back. */
  private swap(e: number): void {
    const k = LOAD_COVARIATES;
    const { x } = this;
    const { cov, fromFrontDoor } = this.covariates;
    const response = x[e]!;
    if (fromFrontDoor[e] === 1 && response > 0) {
      x[e] = cov[e * k]!;
      cov[e * k] = response;
    } else {
      x[e] = 0;
      cov[e * k] = 0;
    }
    cov[e * k + 1] = 0;
    cov[e * k + 2] = 0;
  }
}

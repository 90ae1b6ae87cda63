import type { Frame } from '../../types.ts';
import { ensureLengthInt } from '../growable.ts';
import { LOAD_COVARIATES, LoadResiduals } from './loadResiduals.ts';

/**
 * The request side of each front-door edge (out of an outside node) given its response side:
 * residuals of what the outside's clients asked for (`requests` when the run records them, else
 * the request-direction bytes, request_bytes + tcp_received_bytes) regressed on what they got
 * back (response_bytes + tcp_sent_bytes), with LoadResiduals' robust fit, scale and gating.
 * Every other edge is idle here (NaN), never visited (a read costs O(front-door edges active
 * now), see observed()), and so is a front-door edge in an interval it sent nothing back on (no mix to judge; a counts-only run, e.g. a converted connection log, has
 * none anywhere).
 *
 * Why: Mimir's in/out ratios (fretbuzz/mimir_v2, analysis_pipeline) as a residual. Users of an
 * application ask for a stable mix of pages per byte they receive, so an edge's two directions
 * move together and the one explains the other closely. A client scraping records through the
 * API asks for far more per byte than the users do (one request per record or page, each with
 * its headers and session), so its requests are what the responses do not explain: a positive
 * residual on the front door, where the volume's own residual sees little (the demand that
 * explains an edge's volume rose with the attack). Only the front door: inside the mesh the
 * requests are made by the application's own code, whose mix an exfiltration through it keeps.
 *
 * Where this departs from Mimir: Mimir charted each node's in/out ratio mod-z transformed; a
 * ratio is unstable when its denominator is small (an idle health-check interval), a
 * regression residual with a robust scale is not, and it is computed from the past alone.
 */
export class RequestMixResiduals extends LoadResiduals {
  /** Per edge of the last observed(), its place among the frame's active edges. */
  private frontRank = new Int32Array(64);
  /** The ranks observeActive reads values at (set by observed() for the next observeActive; undefined: the list is the frame's active edges). */
  private ranks: Int32Array | undefined = undefined;

  protected override observeAll(frame: Frame, n: number): void {
    const k = LOAD_COVARIATES;
    const { x, cov, fromFrontDoor } = this;
    for (let e = 0; e < n; e++) {
      cov[e * k + 1] = 0;
      cov[e * k + 2] = 0;
      x[e] = 0;
      cov[e * k] = 0;
    }
    // The active edges' own values only with the list they follow (as LoadResiduals'
    // covariates); a frame without that list is read from its dense arrays.
    if (frame.active !== undefined && frame.activeValues !== undefined) {
      this.ranks = undefined;
      this.observeActive(frame, frame.active);
      return;
    }
    const requests = frame.values.get('requests');
    const requestBytes = frame.values.get('request_bytes');
    const tcpReceived = frame.values.get('tcp_received_bytes');
    const responseBytes = frame.values.get('response_bytes');
    const tcpSent = frame.values.get('tcp_sent_bytes');
    for (let e = 0; e < n; e++) {
      if (fromFrontDoor[e] !== 1) continue;
      const response = (responseBytes?.[e] ?? 0) + (tcpSent?.[e] ?? 0);
      if (!(response > 0)) continue;
      x[e] = requests !== undefined ? (requests[e] ?? 0) : (requestBytes?.[e] ?? 0) + (tcpReceived?.[e] ?? 0);
      cov[e * k] = response;
    }
  }

  /** The front-door edges among the frame's active ones (each one's place in frame.active in frontRank): a read visits only these. */
  protected override observed(frame: Frame): Int32Array | undefined {
    const active = frame.active;
    if (active === undefined) return undefined;
    const { fromFrontDoor } = this;
    let count = 0;
    for (let j = 0; j < active.length; j++) if (fromFrontDoor[active[j]!] === 1) count++;
    const edges = new Int32Array(count);
    this.frontRank = ensureLengthInt(this.frontRank, count);
    count = 0;
    for (let j = 0; j < active.length; j++) {
      if (fromFrontDoor[active[j]!] !== 1) continue;
      edges[count] = active[j]!;
      this.frontRank[count++] = j;
    }
    this.ranks = this.frontRank;
    return edges;
  }

  protected override observeActive(frame: Frame, active: Int32Array): void {
    const k = LOAD_COVARIATES;
    const { x, cov, fromFrontDoor } = this;
    // The active edges' own values when the frame has them (entry ranks[j]: edge active[j]), else the dense arrays.
    const byEdge = frame.activeValues === undefined;
    const source = frame.activeValues ?? frame.values;
    const requests = source.get('requests');
    const requestBytes = source.get('request_bytes');
    const tcpReceived = source.get('tcp_received_bytes');
    const responseBytes = source.get('response_bytes');
    const tcpSent = source.get('tcp_sent_bytes');
    const ranks = this.ranks;
    this.ranks = undefined;
    for (let j = 0; j < active.length; j++) {
      const e = active[j]!;
      const at = byEdge ? e : ranks === undefined ? j : ranks[j]!;
      cov[e * k + 1] = 0;
      cov[e * k + 2] = 0;
      const response = fromFrontDoor[e] === 1 ? (responseBytes?.[at] ?? 0) + (tcpSent?.[at] ?? 0) : 0;
      if (!(response > 0)) {
        x[e] = 0;
        cov[e * k] = 0;
        continue;
      }
      x[e] = requests !== undefined ? (requests[at] ?? 0) : (requestBytes?.[at] ?? 0) + (tcpReceived?.[at] ?? 0);
      cov[e * k] = response;
    }
  }
}

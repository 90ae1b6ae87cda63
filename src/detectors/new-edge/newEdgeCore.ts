import type { Frame } from '../../types.ts';
import { TopBlamed } from '../stats/index.ts';
import type { DetectorCore, Judgement } from '../detector.ts';
import type { EdgePolicy } from './edgePolicy.ts';
import { ensureLengthBytes, ensureLengthInt } from '../growable.ts';
import type { VolumeSeries } from '../series/index.ts';

export interface NewEdgeParameters {
  /** Edges that carried traffic during training are allowed. */
  readonly learnFromTraining: boolean;
  /** Edges allowed whatever training saw. */
  readonly policy: EdgePolicy;
  /** `edges`: score = number of disallowed edges carrying traffic; `bytes`: their watched bytes. */
  readonly score: 'edges' | 'bytes';
}

const UNDECIDED = 0;
const ALLOWED = 1;
const DISALLOWED = 2;

/**
 * The structural invariant: traffic on an edge that is neither learned in training nor in
 * the policy. An edge carries traffic when any metric of the frame is above 0 there.
 * Threshold 0: a single disallowed edge (or byte, with score `bytes`) alarms.
 * Blamed: the disallowed edges, scored by their watched bytes.
 */
export class NewEdge implements DetectorCore {
  private learned = new Uint8Array(64);
  private status = new Uint8Array(64);
  private counted = new Int32Array(64);
  private frameNumber = 0;
  private readonly top = new TopBlamed();

  constructor(
    private readonly volume: VolumeSeries,
    private readonly p: NewEdgeParameters,
  ) {}

  train(frame: Frame): void {
    if (!this.p.learnFromTraining) return;
    for (const array of frame.values.values()) {
      this.learned = ensureLengthBytes(this.learned, array.length);
      const learned = this.learned;
      for (let i = 0; i < array.length; i++) if (array[i]! > 0) learned[i] = 1;
    }
  }

  judge(frame: Frame): Judgement {
    const edges = this.volume.read(frame);
    const bytes = this.volume.values;
    this.status = ensureLengthBytes(this.status, edges);
    this.counted = ensureLengthInt(this.counted, edges);
    const frameNumber = ++this.frameNumber;
    const { status, counted, top } = this;
    top.reset();
    let newEdges = 0;
    let newBytes = 0;
    for (const array of frame.values.values()) {
      for (let i = 0; i < array.length; i++) {
        if (!(array[i]! > 0) || counted[i] === frameNumber) continue;
        let s = status[i]!;
        if (s === UNDECIDED) status[i] = s = this.decide(frame, i);
        if (s === ALLOWED) continue;
        counted[i] = frameNumber;
        newEdges++;
        newBytes += bytes[i]!;
        top.offer(i, bytes[i]!);
      }
    }
    const score = this.p.score === 'edges' ? newEdges : newBytes;
    return { score, threshold: 0, blamed: score > 0 ? top.toBlamed((e) => this.volume.edgeOf(e)) : [] };
  }

  private decide(frame: Frame, i: number): number {
    if (i < this.learned.length && this.learned[i] === 1) return ALLOWED;
    const edge = frame.edges.list[i];
    return edge !== undefined && this.p.policy.allows(edge.src, edge.dst) ? ALLOWED : DISALLOWED;
  }
}

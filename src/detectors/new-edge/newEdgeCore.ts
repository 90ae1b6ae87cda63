import type { Frame } from '../../types.ts';
import { TopBlamed } from '../stats/index.ts';
import type { DetectorCore, Judgement } from '../detector.ts';
import type { EdgePolicy } from './edgePolicy.ts';
import { Familiarity } from './familiarity.ts';
import { NoveltyLimit } from './noveltyLimit.ts';
import { ensureLength, ensureLengthBytes, ensureLengthInt } from '../growable.ts';
import { NodeIds } from '../nodeIds.ts';
import type { ActiveEdges } from '../sparse/index.ts';

export interface NewEdgeParameters {
  /** Edges that carried traffic during training are allowed. */
  readonly learnFromTraining: boolean;
  /** Edges allowed whatever training saw; never forgotten. */
  readonly policy: EdgePolicy;
  /** `edges`: score = new edges + new nodes; `bytes`: the watched bytes on new edges. */
  readonly score: 'edges' | 'bytes';
  /** Intervals of traffic after which an edge seen after training is allowed; 0: never. */
  readonly allowAfterIntervals: number;
  /** Seconds of silence after which a learnt edge (or node) is unknown again. */
  readonly forgetAfterSeconds: number;
  /** A node opening at least this many new edges in one interval is a fan-out burst (a scan). */
  readonly fanOutEdges: number;
  /** α: where novelty is common, the threshold is calibrated to it (see NoveltyLimit). */
  readonly falseAlarmRate: number;
}

/**
 * The structural invariant, learning: traffic on an edge that is neither allowed by the policy
 * nor learnt. An edge carries traffic when any metric of the frame is above 0 there.
 *
 * Learning: an edge is learnt at once from training traffic (the stretch the user declares
 * benign), and after training once it has carried traffic in `allowAfterIntervals` intervals
 * that were not part of a fan-out burst (or, under a calibrated threshold, at once in an
 * interval judged benign, as in training: see judge); `forgetAfterSeconds` of silence makes a learnt edge
 * unknown again. The issue asks for "benign (non-alarmed)" intervals; with a rule threshold of 0
 * every interval in which an unknown edge carries traffic alarms, so counting only non-alarmed
 * intervals would never allow anything. What is kept out instead is what a scan looks like: a
 * node opening `fanOutEdges` or more new edges at once does not teach them by that count (and a
 * scan touches each target once or twice, so it is not learnt by repetition either); only the
 * same new edges in a fan-out RELEARN_AFTER_INTERVALS intervals in a row, a new normal, are
 * learnt (see Familiarity.record).
 *
 * A node is new when it is an endpoint of a new edge and none of its edges has been known
 * within the forgetting horizon (a node is learnt with its first known edge).
 *
 * Score (`edges`): new edges + new nodes. Threshold: 0 (one new edge alarms) where novelty is
 * rare, as in a mesh; calibrated to the false-alarm rate where it is common, as in a connection
 * log (see NoveltyLimit; training frames are scored one step ahead for it, the first excepted:
 * everything is new in the first frame seen). Blamed: the new edges, each scored by its source's
 * fan-out this interval (the number of new edges that node opened), so a scanner's edges come
 * first; with score `bytes`, by their watched bytes.
 */
export class NewEdge implements DetectorCore {
  private readonly edgeKnowledge: Familiarity;
  private readonly nodeKnowledge: Familiarity;
  private readonly nodes = new NodeIds();
  private nextNodeSweep = Number.NEGATIVE_INFINITY;
  /** Per edge: 1 once the policy has been asked; source and destination node ids. */
  private decided = new Uint8Array(64);
  private srcId = new Int32Array(64);
  private dstId = new Int32Array(64);
  /** Per node: frame number of its fan-out count, the count, frame number its novelty was counted. */
  private fanOutFrame = new Int32Array(64);
  private fanOut = new Int32Array(64);
  private nodeCounted = new Int32Array(64);
  /** This frame's active edges, their watched bytes, and whether each was new. */
  private active = new Int32Array(64);
  private activeBytes = new Float64Array(64);
  private isNew = new Uint8Array(64);
  private frameNumber = 0;
  private trainingFrames = 0;
  /** New edges of the frame last scored by novelty(). */
  private newEdges = 0;
  private readonly top = new TopBlamed();
  private readonly limit: NoveltyLimit;

  constructor(
    private readonly volume: ActiveEdges,
    private readonly p: NewEdgeParameters,
  ) {
    const forget = { forgetAfterSeconds: p.forgetAfterSeconds };
    this.edgeKnowledge = new Familiarity({ ...forget, allowAfterIntervals: p.allowAfterIntervals });
    // Nodes are learnt through their known edges (learnNow), never by counting.
    this.nodeKnowledge = new Familiarity({ ...forget, allowAfterIntervals: 0 });
    this.limit = new NoveltyLimit(p.falseAlarmRate);
  }

  /** Node ids held now (for tests: bounded by the nodes of the indexed edges and the known ones). */
  get nodesHeld(): number {
    return this.nodes.size;
  }

  train(frame: Frame): void {
    const n = this.collect(frame);
    // How new this frame was before it is learnt: what the calibration needs of training.
    if (++this.trainingFrames > 1) this.limit.learnTraining(this.novelty(n, frame.t));
    const { active, srcId, dstId } = this;
    for (let k = 0; k < n; k++) {
      const i = active[k]!;
      if (this.p.learnFromTraining) this.edgeKnowledge.learnNow(i, frame.t);
      if (this.edgeKnowledge.isKnown(i, frame.t)) {
        this.nodeKnowledge.learnNow(srcId[i]!, frame.t);
        this.nodeKnowledge.learnNow(dstId[i]!, frame.t);
      }
    }
  }

  judge(frame: Frame): Judgement {
    const t = frame.t;
    const n = this.collect(frame);
    const bytes = this.activeBytes;
    const { active, srcId, dstId, edgeKnowledge, nodeKnowledge, top } = this;
    const score = this.novelty(n, t);
    const threshold = this.limit.limit();
    this.limit.learnScored(score, threshold);
    // Where novelty is common (a calibrated threshold above 0), an interval judged benign teaches
    // as training does: every edge at once. Learning by counting there instead made the known
    // set shrink after training (a host seen once is learnt in training, never after it), so
    // novelty rose for a whole forgetting horizon past training, above a limit fitted to
    // training's level: 5.2 % false alarms at α = 0.01 on the bench's connection log
    // (test/regression/newEdgeForgetting.test.ts). A fan-out burst's new edges are still never
    // learnt at once, alarmed or not (a scan under the threshold is not taught). Under the rule
    // (threshold 0) a benign interval has no novelty to teach, and new edges are learnt by
    // counting, as before.
    const likeTraining = this.p.learnFromTraining && threshold > 0 && score <= threshold;
    top.reset();
    for (let k = 0; k < n; k++) {
      const i = active[k]!;
      const s = srcId[i]!;
      if (this.isNew[k] === 0) edgeKnowledge.record(i, t, true);
      else {
        top.offer(i, this.p.score === 'bytes' ? bytes[k]! : this.fanOut[s]!);
        const burst = this.fanOut[s]! >= this.p.fanOutEdges;
        if (likeTraining && !burst) edgeKnowledge.learnNow(i, t);
        else edgeKnowledge.record(i, t, !burst, this.frameNumber);
      }
      if (edgeKnowledge.isKnown(i, t)) {
        nodeKnowledge.learnNow(s, t);
        nodeKnowledge.learnNow(dstId[i]!, t);
      }
    }
    return { score, threshold, blamed: this.newEdges > 0 && score > 0 ? top.toBlamed((e) => this.volume.edgeOf(e)) : [] };
  }

  /**
   * The score of the frame collected into `active` (n edges), from what is known before it:
   * marks its new edges in isNew and counts each source's new edges in fanOut; learns nothing.
   */
  private novelty(n: number, t: number): number {
    const frameNumber = this.frameNumber;
    const bytes = this.activeBytes;
    const { active, srcId, dstId, edgeKnowledge, nodeKnowledge } = this;
    this.isNew = ensureLengthBytes(this.isNew, n);
    let newEdges = 0;
    let newBytes = 0;
    for (let k = 0; k < n; k++) {
      const i = active[k]!;
      const fresh = !edgeKnowledge.isKnown(i, t);
      this.isNew[k] = fresh ? 1 : 0;
      if (!fresh) continue;
      newEdges++;
      newBytes += bytes[k]!;
      const s = srcId[i]!;
      if (this.fanOutFrame[s] !== frameNumber) {
        this.fanOutFrame[s] = frameNumber;
        this.fanOut[s] = 0;
      }
      this.fanOut[s]!++;
    }
    // Node novelty is decided before this frame's known edges teach their nodes.
    let newNodes = 0;
    for (let k = 0; k < n; k++) {
      if (this.isNew[k] === 0) continue;
      const i = active[k]!;
      for (const node of [srcId[i]!, dstId[i]!]) {
        if (this.nodeCounted[node] === frameNumber) continue;
        this.nodeCounted[node] = frameNumber;
        if (!nodeKnowledge.isKnown(node, t)) newNodes++;
      }
    }
    this.newEdges = newEdges;
    return this.p.score === 'edges' ? newEdges + newNodes : newBytes;
  }

  /**
   * This frame's edges carrying traffic (any metric above 0) into `active`, each once, with
   * their watched bytes; returns how many. Read from the frame's sparse snapshot (O(edges now)),
   * in the order a scan of the frame's metric arrays would find them (by the first metric
   * carrying traffic, then by position), so blame ties break as they always did.
   */
  private collect(frame: Frame): number {
    ++this.frameNumber;
    // A position holding a new edge (the old one silent past the index's horizon, forgotten): unknown, its policy decided again.
    if (frame.recycled !== undefined) {
      for (const i of frame.recycled) {
        if (i < this.decided.length) this.decided[i] = 0;
        this.edgeKnowledge.forget(i);
      }
    }
    if (frame.t >= this.nextNodeSweep) this.sweepNodes(frame.t);
    const edges = this.volume;
    const count = edges.read(frame);
    const { positions, values, firstMetric } = edges;
    let metrics = 0;
    for (let k = 0; k < count; k++) if (firstMetric[k]! >= metrics) metrics = firstMetric[k]! + 1;
    this.active = ensureLengthInt(this.active, count);
    this.activeBytes = ensureLength(this.activeBytes, count);
    let n = 0;
    for (let m = 0; m < metrics; m++) {
      for (let k = 0; k < count; k++) {
        if (firstMetric[k] !== m) continue;
        const i = positions[k]!;
        this.active[n] = i;
        this.activeBytes[n++] = values[k]!;
        if (i >= this.decided.length || this.decided[i] === 0) this.decide(frame, i);
      }
    }
    return n;
  }

  /** First sight of edge i: its node ids, and whether the policy allows it. */
  private decide(frame: Frame, i: number): void {
    this.decided = ensureLengthBytes(this.decided, i + 1);
    this.srcId = ensureLengthInt(this.srcId, i + 1);
    this.dstId = ensureLengthInt(this.dstId, i + 1);
    this.decided[i] = 1;
    const edge = frame.edges.list[i] ?? { src: '?', dst: '?' };
    this.srcId[i] = this.nodeId(edge.src);
    this.dstId[i] = this.nodeId(edge.dst);
    if (this.p.policy.allows(edge.src, edge.dst)) this.edgeKnowledge.allowByPolicy(i);
  }

  /**
   * Free the ids of nodes no indexed edge position names and not known (never learnt, or silent
   * past forgetAfterSeconds): their state is that of a node never seen, so the id can go to the
   * next new node. Memory per node then follows the nodes of the edges indexed now (the edge
   * index forgets edges silent for a day), not every host a long log has named. Every quarter
   * of forgetAfterSeconds, O(positions + nodes).
   */
  private sweepNodes(t: number): void {
    this.nextNodeSweep = t + this.p.forgetAfterSeconds / 4;
    const named = new Uint8Array(this.nodes.capacity);
    for (let i = 0; i < this.decided.length; i++) {
      if (this.decided[i] !== 1) continue;
      named[this.srcId[i]!] = 1;
      named[this.dstId[i]!] = 1;
    }
    this.nodes.freeUnnamed(
      named,
      (id) => this.nodeKnowledge.isKnown(id, t),
      (id) => {
        this.fanOutFrame[id] = 0;
        this.fanOut[id] = 0;
        this.nodeCounted[id] = 0;
        this.nodeKnowledge.forget(id);
      },
    );
  }

  private nodeId(name: string): number {
    const id = this.nodes.id(name);
    // A new id may be past the per-node arrays (a freed one was cleared when it was freed).
    this.fanOutFrame = ensureLengthInt(this.fanOutFrame, id + 1);
    this.fanOut = ensureLengthInt(this.fanOut, id + 1);
    this.nodeCounted = ensureLengthInt(this.nodeCounted, id + 1);
    return id;
  }
}

import type { Eigenpair } from './principalEigenvector.ts';
import type { SparseSymmetric } from './sparseSymmetric.ts';
import { FoldScratch } from './foldedLeaves.ts';

/**
 * The connected components of a sparse symmetric matrix and what principalEigenvectorByComponents
 * knows about each, in typed arrays reused from call to call (a caller makes one per interval):
 * rows grouped by component (ascending within each, so a component's local numbering keeps the
 * rows' order), entries grouped likewise, and per component whether it is a star, its top
 * eigenvalue once known, its Gershgorin bound, and its vector (at the component's rows' offset).
 */
export class ComponentScratch {
  /** Per component: 1 when a star (solved in closed form by split). */
  isStar = new Uint8Array(16);
  /** Per component: 1 once its eigenpair is known (a star from split on, the others once kept). */
  solved = new Uint8Array(16);
  converged = new Uint8Array(16);
  value = new Float64Array(16);
  bound = new Float64Array(16);
  residual = new Float64Array(16);
  /** foldedEigenpair's scratch. */
  readonly fold = new FoldScratch();
  private parent = new Int32Array(16);
  private comp = new Int32Array(16);
  private local = new Int32Array(16);
  private members = new Int32Array(16);
  private memberStart = new Int32Array(17);
  private entries = new Int32Array(16);
  private entryStart = new Int32Array(17);
  private rowAbs = new Float64Array(16);
  /** Component vectors, at memberStart[c] + local index. */
  private vectors = new Float64Array(16);
  private subRows = new Int32Array(16);
  private subCols = new Int32Array(16);
  private subWeights = new Float64Array(16);
  private start = new Float64Array(16);

  /** Find the components (of rows with entries); stars get their value and vector. Returns how many. */
  split(m: SparseSymmetric): number {
    const n = m.size;
    const { rows, cols, weights, count } = m;
    this.fit(n, count);
    const parent = this.parent;
    const comp = this.comp;
    for (let i = 0; i < n; i++) parent[i] = -1; // −1: no entry; a root points at itself
    for (let k = 0; k < count; k++) {
      const i = rows[k]!;
      const j = cols[k]!;
      if (parent[i] === -1) parent[i] = i;
      if (parent[j] === -1) parent[j] = j;
      const a = this.find(i);
      const b = this.find(j);
      if (a !== b) parent[a < b ? b : a] = a < b ? a : b;
    }
    let parts = 0;
    for (let i = 0; i < n; i++) {
      if (parent[i] === -1) comp[i] = -1;
      else if (parent[i] === i) comp[i] = parts++;
      else comp[i] = comp[this.find(i)]!; // the root is the lowest row: numbered already
    }
    if (parts <= 1) return parts;
    this.fitParts(parts);
    // Rows grouped by component, ascending; entries likewise, in their order.
    const { memberStart, entryStart, members, entries, local } = this;
    memberStart.fill(0, 0, parts + 1);
    entryStart.fill(0, 0, parts + 1);
    for (let i = 0; i < n; i++) if (comp[i]! >= 0) memberStart[comp[i]! + 1]!++;
    for (let k = 0; k < count; k++) entryStart[comp[rows[k]!]! + 1]!++;
    for (let c = 0; c < parts; c++) {
      memberStart[c + 1]! += memberStart[c]!;
      entryStart[c + 1]! += entryStart[c]!;
    }
    const fillM = this.parent; // reused as per-component cursors (union-find is done)
    const fillE = this.local;
    for (let c = 0; c < parts; c++) fillM[c] = memberStart[c]!;
    for (let i = 0; i < n; i++) {
      const c = comp[i]!;
      if (c >= 0) members[fillM[c]!++] = i;
    }
    for (let c = 0; c < parts; c++) fillE[c] = entryStart[c]!;
    for (let k = 0; k < count; k++) {
      const c = comp[rows[k]!]!;
      entries[fillE[c]!++] = k;
    }
    for (let c = 0; c < parts; c++) for (let t = memberStart[c]!; t < memberStart[c + 1]!; t++) local[members[t]!] = t - memberStart[c]!;
    for (let c = 0; c < parts; c++) this.classify(m, c);
    return parts;
  }

  /** Non-star components, largest bound first. */
  generalByBound(parts: number): number[] {
    const out: number[] = [];
    for (let c = 0; c < parts; c++) if (this.isStar[c] === 0) out.push(c);
    return out.sort((a, b) => this.bound[b]! - this.bound[a]! || a - b);
  }

  /** Component c as a matrix of its own (local row numbers), in shared buffers: valid until the next call. */
  subMatrix(m: SparseSymmetric, c: number): SparseSymmetric {
    let count = 0;
    for (let t = this.entryStart[c]!; t < this.entryStart[c + 1]!; t++) {
      const k = this.entries[t]!;
      this.subRows[count] = this.local[m.rows[k]!]!;
      this.subCols[count] = this.local[m.cols[k]!]!;
      this.subWeights[count++] = m.weights[k]!;
    }
    return { size: this.sizeOf(c), count, rows: this.subRows, cols: this.subCols, weights: this.subWeights };
  }

  /** `start` on component c's rows (zero past its end), or undefined; shared buffer. */
  localStart(c: number, start: Float64Array | undefined): Float64Array | undefined {
    if (start === undefined) return undefined;
    const size = this.sizeOf(c);
    const out = this.start.subarray(0, size);
    for (let t = 0; t < size; t++) out[t] = start[this.members[this.memberStart[c]! + t]!] ?? 0;
    return out;
  }

  /** Record Lanczos's answer for component c. */
  keep(c: number, pair: Eigenpair): void {
    this.vectors.set(pair.vector, this.memberStart[c]!);
    this.value[c] = pair.value;
    this.residual[c] = pair.residual;
    this.converged[c] = pair.converged ? 1 : 0;
    this.solved[c] = 1;
  }

  /** v_cᵀq with q = |start| + floor on c's rows (start undefined: q = floor). */
  projection(c: number, start: Float64Array | undefined, floor: number): number {
    let s = 0;
    for (let t = this.memberStart[c]!; t < this.memberStart[c + 1]!; t++) s += this.vectors[t]! * (Math.abs(start?.[this.members[t]!] ?? 0) + floor);
    return s;
  }

  /** out[row] = weight · v_c[row] over c's rows. */
  scatter(c: number, weight: number, out: Float64Array): void {
    for (let t = this.memberStart[c]!; t < this.memberStart[c + 1]!; t++) out[this.members[t]!] = weight * this.vectors[t]!;
  }

  private sizeOf(c: number): number {
    return this.memberStart[c + 1]! - this.memberStart[c]!;
  }

  /** Star test (one row in every entry, no diagonal entry) and closed form; else the bound. */
  private classify(m: SparseSymmetric, c: number): void {
    const { rows, cols, weights } = m;
    const e0 = this.entries[this.entryStart[c]!]!;
    const a = rows[e0]!;
    const b = cols[e0]!;
    let okA = a !== b;
    let okB = okA;
    const base = this.memberStart[c]!;
    const end = this.memberStart[c + 1]!;
    for (let t = base; t < end; t++) this.rowAbs[t] = 0;
    for (let t = this.entryStart[c]!; t < this.entryStart[c + 1]!; t++) {
      const k = this.entries[t]!;
      const i = rows[k]!;
      const j = cols[k]!;
      const w = Math.abs(weights[k]!);
      if (i === j) {
        okA = okB = false;
        this.rowAbs[base + this.local[i]!]! += 2 * w;
        continue;
      }
      if (i !== a && j !== a) okA = false;
      if (i !== b && j !== b) okB = false;
      this.rowAbs[base + this.local[i]!]! += w;
      this.rowAbs[base + this.local[j]!]! += w;
    }
    this.solved[c] = 0;
    if (!okA && !okB) {
      this.isStar[c] = 0;
      let bound = 0;
      for (let t = base; t < end; t++) if (this.rowAbs[t]! > bound) bound = this.rowAbs[t]!;
      this.bound[c] = bound;
      return;
    }
    // A star: a_ℓ = A[centre][ℓ] summed over the entries joining them (either direction).
    const centre = okA ? a : b;
    const v = this.vectors;
    for (let t = base; t < end; t++) v[t] = 0;
    for (let t = this.entryStart[c]!; t < this.entryStart[c + 1]!; t++) {
      const k = this.entries[t]!;
      const leaf = rows[k] === centre ? cols[k]! : rows[k]!;
      v[base + this.local[leaf]!]! += weights[k]!;
    }
    let squares = 0;
    for (let t = base; t < end; t++) squares += v[t]! * v[t]!;
    const lambda = Math.sqrt(squares);
    const scale = lambda > 0 ? 1 / (lambda * Math.SQRT2) : 0;
    for (let t = base; t < end; t++) v[t] = v[t]! * scale;
    v[base + this.local[centre]!] = Math.SQRT1_2;
    this.isStar[c] = 1;
    this.solved[c] = 1;
    this.value[c] = lambda;
    this.bound[c] = lambda;
    this.residual[c] = 0;
    this.converged[c] = 1;
  }

  private find(x: number): number {
    const parent = this.parent;
    while (parent[x] !== x) {
      const up = parent[parent[x]!]!;
      parent[x] = up;
      x = up;
    }
    return x;
  }

  private fit(n: number, count: number): void {
    if (this.parent.length < n) {
      const size = Math.max(n, 2 * this.parent.length);
      this.parent = new Int32Array(size);
      this.comp = new Int32Array(size);
      this.local = new Int32Array(size);
      this.members = new Int32Array(size);
      this.rowAbs = new Float64Array(size);
      this.vectors = new Float64Array(size);
      this.start = new Float64Array(size);
    }
    if (this.entries.length < count) {
      const size = Math.max(count, 2 * this.entries.length);
      this.entries = new Int32Array(size);
      this.subRows = new Int32Array(size);
      this.subCols = new Int32Array(size);
      this.subWeights = new Float64Array(size);
    }
  }

  private fitParts(parts: number): void {
    if (this.isStar.length >= parts) return;
    const size = Math.max(parts, 2 * this.isStar.length);
    this.isStar = new Uint8Array(size);
    this.solved = new Uint8Array(size);
    this.converged = new Uint8Array(size);
    this.value = new Float64Array(size);
    this.bound = new Float64Array(size);
    this.residual = new Float64Array(size);
    this.memberStart = new Int32Array(size + 1);
    this.entryStart = new Int32Array(size + 1);
  }
}

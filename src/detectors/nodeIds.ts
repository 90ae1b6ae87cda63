/**
 * Small integer ids for node names, so per-node state lives in typed arrays indexed by id (a
 * lookup per edge when an edge position is indexed, not per edge per interval), with ids freed
 * and handed out again: a detector frees the ids no edge it indexes names any more, so memory
 * per node follows the nodes of the edges held now, not every host a long connection log has
 * named. Shared by the load covariates (series/) and `new-edge`.
 */
export class NodeIds {
  private readonly ids = new Map<string, number>();
  /** Per id, its name (undefined: the id is free). */
  private readonly names: (string | undefined)[] = [];
  /** Free ids, the last freed handed out first. */
  private readonly free: number[] = [];

  /** Ids held now. */
  get size(): number {
    return this.ids.size;
  }

  /** One more than the largest id ever handed out: per-node arrays this long cover every id. */
  get capacity(): number {
    return this.names.length;
  }

  /** The id of `name`: its own, else a freed one, else a new one (= the capacity before the call). */
  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.free.pop() ?? this.names.length;
      this.names[id] = name;
      this.ids.set(name, id);
    }
    return id;
  }

  /**
   * Free every held id that is not `named` (named[id] === 1: an indexed edge names it) and that
   * `keep` (when given) does not keep; `onFree` is told each one, ascending.
   */
  freeUnnamed(named: Uint8Array, keep?: (id: number) => boolean, onFree?: (id: number) => void): void {
    for (let id = 0; id < this.names.length; id++) {
      const name = this.names[id];
      if (name === undefined || named[id] === 1 || keep?.(id) === true) continue;
      this.ids.delete(name);
      this.names[id] = undefined;
      onFree?.(id);
      this.free.push(id);
    }
  }
}

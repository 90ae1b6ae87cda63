/**
 * Node names read from bytes, each made into a string once: a run names the same few services
 * in every interval (57 edges × 20,000 intervals of a Sock Shop-sized run name 15 services),
 * so looking the bytes up replaces building two strings per edge per interval, and every
 * interval hands out the same string objects (later `===` comparisons are pointer checks).
 * ASCII names only (the caller decodes anything else itself). Each name gets a small id,
 * stable until `clear`; the table is cleared by its owner when it holds more than `limit`
 * names, so its memory is bounded however many names a run has.
 */
export class NameTable {
  /** Names by id. */
  private names: string[] = [];
  private hashes = new Int32Array(64);
  /** Open addressing: id + 1 per slot, 0 for empty. */
  private slots = new Int32Array(256);

  constructor(readonly limit = 1 << 16) {}

  get count(): number {
    return this.names.length;
  }

  name(id: number): string {
    return this.names[id]!;
  }

  /** Where the name `id` would end if it is at b[start], or -1 when it is not there. */
  match(id: number, bytes: Uint8Array, start: number, end: number): number {
    const name = this.names[id]!;
    const after = start + name.length;
    if (after > end) return -1;
    for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) !== bytes[start + i]) return -1;
    return after;
  }

  clear(): void {
    this.names = [];
    this.slots = new Int32Array(256);
  }

  /** The id of the ASCII name in `bytes[start, end)`, adding it if new. */
  intern(bytes: Uint8Array, start: number, end: number): number {
    // FNV-1a over the bytes.
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    const mask = this.slots.length - 1;
    let s = h & mask;
    for (;;) {
      const entry = this.slots[s]!;
      if (entry === 0) break;
      const id = entry - 1;
      if (this.hashes[id] === h && sameAscii(this.names[id]!, bytes, start, end)) return id;
      s = (s + 1) & mask;
    }
    const id = this.names.length;
    const name = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
    this.names.push(name);
    if (id >= this.hashes.length) {
      const grown = new Int32Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[id] = h;
    this.slots[s] = id + 1;
    // Kept at most half full.
    if (2 * (id + 1) > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let id = 0; id < this.names.length; id++) {
      let s = this.hashes[id]! & mask;
      while (this.slots[s] !== 0) s = (s + 1) & mask;
      this.slots[s] = id + 1;
    }
  }
}

function sameAscii(name: string, bytes: Uint8Array, start: number, end: number): boolean {
  if (name.length !== end - start) return false;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) !== bytes[start + i]) return false;
  return true;
}

import { MAX_PLAUSIBLE_VALUE } from '../matrix/plausibleValue.ts';
import { setOwnValue } from '../ownValue.ts';
import type { EdgeSample, MetricKey, Snapshot } from '../types.ts';
import { EdgeOrderFollower } from './edgeOrderFollower.ts';
import { NameTable } from './nameTable.ts';

// Byte values of the JSON this parser reads.
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

const SRC = 0;
const DST = 1;
const FIRST_METRIC = 2;
/** Places remembered among an edge's keys. */
const KEY_GUESSES = 16;

const DECODER = new TextDecoder();

/** JSON's number grammar (RFC 8259 §6), for the numbers the digit loop leaves to Number(). */
const JSON_NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?$/;

/**
 * The common shape of a snapshots.ndjson line, `{"t":…,"dt":…,"edges":[{"src":"…","dst":"…",
 * "<metric>":…},…]}` (any key order, any JSON whitespace, fields a reader ignores among an edge's
 * keys), parsed straight from its bytes into the Snapshot that `decodeSnapshot(JSON.parse(line))`
 * gives, without the line's string, its parsed object tree or one string per name. Anything
 * else (a gap line, an escape or a non-ASCII character in a name, an unknown top-level field, a
 * duplicate key, any invalid value) is not parsed here: `parse` returns undefined and the
 * caller takes the general path (JSON.parse and decodeSnapshotOrGap), which reads every valid
 * line and words every error. So this only ever returns what the general path would.
 * Numbers: up to 15 digits without sign, fraction or exponent are accumulated exactly; any
 * other number is checked against JSON's grammar and read by Number(), which rounds as
 * JSON.parse does.
 */
export class SnapshotLineParser {
  private readonly names = new NameTable();
  /** The keys an edge may have that matter, as bytes: src, dst, then the manifest's metrics (FIRST_METRIC + m). */
  private readonly keyBytes: readonly Uint8Array[];
  /** Per place among an edge's keys, the key found there last time (index into keyBytes, or -1). */
  private readonly keyGuess = new Int32Array(KEY_GUESSES).fill(-1);
  /** The previous line's edge order, against which an edge's names are checked first (see edge()). */
  private readonly order = new EdgeOrderFollower(this.names);
  /** Per metric, the value read for the current edge, and whether one was (1). */
  private readonly value: Float64Array;
  private readonly has: Uint8Array;
  /** Per line: (src id, dst id) pairs seen, open addressing stamped with the line count. */
  private pairSrc = new Int32Array(256);
  private pairDst = new Int32Array(256);
  private pairStamp = new Int32Array(256);
  private pairCount = 0;
  private stamp = 0;
  private readonly enabled: boolean;
  /** Where the last number, name or value read ended. */
  private pos = 0;
  /**
   * The first key of the line last parsed with a number value that is not src, dst or a listed
   * metric (run-format.md: writers must list every metric key they write), for the reader to
   * say once. Set anew by each parse, and meaningful only when that parse gave a snapshot: a
   * line abandoned halfway is the general path's to read and say.
   */
  unlisted: { readonly key: string; readonly value: string } | undefined;
  /** Whether to look for `unlisted` (the reader stops once it has said one). */
  seekUnlisted = true;

  constructor(private readonly metrics: readonly MetricKey[]) {
    this.keyBytes = ['src', 'dst', ...metrics].map((m) => Buffer.from(m, 'utf8'));
    // A key is matched by its bytes as written, unescaped: a metric name that JSON must escape
    // (a quote, a backslash, a control character), that is not valid UTF-16 or that is a name
    // field leaves every line to the general path.
    this.enabled = metrics.every((m) => m !== 'src' && m !== 'dst' && !/["\\\u0000-\u001f]/.test(m) && Buffer.from(m, 'utf8').toString('utf8') === m);
    this.value = new Float64Array(metrics.length);
    this.has = new Uint8Array(metrics.length);
  }

  /** The snapshot of `bytes[start, end)`, or undefined when the general path must read it. */
  parse(b: Uint8Array, start: number, end: number): Snapshot | undefined {
    // Reads look at most one byte past a token, and may then look at b[end]: that must not be
    // part of the JSON (readLineBytes ends a line before its newline or carriage return).
    this.unlisted = undefined;
    if (!this.enabled || (end < b.length && b[end] !== 0x0a && b[end] !== 0x0d)) return undefined;
    if (this.names.count > this.names.limit) {
      this.names.clear();
      this.order.forget();
    }
    this.order.startLine();
    this.pairCount = 0;
    this.stamp = (this.stamp + 1) | 0;
    if (this.stamp === 0) {
      this.pairStamp.fill(0);
      this.stamp = 1;
    }
    let i = ws(b, start, end);
    if (b[i] !== OPEN_BRACE) return undefined;
    let t = NaN;
    let dt = NaN;
    let edges: EdgeSample[] | undefined;
    let seen = 0;
    i = ws(b, i + 1, end);
    for (;;) {
      if (b[i] !== QUOTE) return undefined;
      const k = i + 1;
      i = k;
      while (i < end && b[i] !== QUOTE && b[i] !== BACKSLASH) i++;
      if (b[i] !== QUOTE) return undefined;
      const keyEnd = i;
      i = ws(b, i + 1, end);
      if (b[i] !== COLON) return undefined;
      i = ws(b, i + 1, end);
      const length = keyEnd - k;
      if (length === 1 && b[k] === 0x74 /* t */ && !(seen & 1)) {
        seen |= 1;
        t = this.number(b, i, end);
        if (Number.isNaN(t)) return undefined; // not a number here: the general path says why
        i = this.pos;
      } else if (length === 2 && b[k] === 0x64 /* d */ && b[k + 1] === 0x74 /* t */ && !(seen & 2)) {
        seen |= 2;
        dt = this.number(b, i, end);
        if (Number.isNaN(dt)) return undefined;
        i = this.pos;
      } else if (length === 5 && isWord(b, k, keyEnd, 'edges') && !(seen & 4)) {
        seen |= 4;
        edges = this.edges(b, i, end);
        if (edges === undefined) return undefined;
        i = this.pos;
      } else return undefined;
      i = ws(b, i, end);
      if (b[i] === COMMA) {
        i = ws(b, i + 1, end);
        continue;
      }
      if (b[i] !== CLOSE_BRACE) return undefined;
      break;
    }
    if (ws(b, i + 1, end) !== end) return undefined;
    if (seen !== 7 || !Number.isFinite(t) || !Number.isFinite(dt) || !(dt > 0)) return undefined;
    // This line's order is the next one's guess (a line left to the general path leaves the guess as it was).
    this.order.endLine();
    return { t, dt, gap: false, edges: edges! };
  }

  private edges(b: Uint8Array, i: number, end: number): EdgeSample[] | undefined {
    if (b[i] !== OPEN_BRACKET) return undefined;
    const edges: EdgeSample[] = [];
    i = ws(b, i + 1, end);
    if (b[i] === CLOSE_BRACKET) {
      this.pos = i + 1;
      return edges;
    }
    for (;;) {
      if (b[i] !== OPEN_BRACE || !this.edge(b, i, end, edges)) return undefined;
      i = ws(b, this.pos, end);
      if (b[i] === COMMA) {
        i = ws(b, i + 1, end);
        continue;
      }
      if (b[i] !== CLOSE_BRACKET) return undefined;
      this.pos = i + 1;
      return edges;
    }
  }

  /** One edge object at `b[i] === '{'`; appends it to `edges` when it carries a watched metric. False: leave the line to the general path. */
  private edge(b: Uint8Array, i: number, end: number, edges: EdgeSample[]): boolean {
    const keyBytes = this.keyBytes;
    const has = this.has;
    for (let m = 0; m < has.length; m++) has[m] = 0;
    // Writers list an edge's keys in the same order every time, and their edges in much the
    // same order every interval: keys are checked against what came at that place last time,
    // names against the previous line's edges near where this line has got to in its order
    // (EdgeOrderFollower), before they are looked up.
    let src = -1;
    let dst = -1;
    let ordinal = 0;
    i = ws(b, i + 1, end);
    for (;;) {
      if (b[i] !== QUOTE) return false;
      const k = i + 1;
      let code = ordinal < KEY_GUESSES ? this.keyGuess[ordinal]! : -1;
      let keyEnd = -1;
      if (code >= 0 && isKeyAt(keyBytes[code]!, b, k, end)) i = k + keyBytes[code]!.length;
      else {
        i = k;
        while (i < end && b[i] !== QUOTE && b[i] !== BACKSLASH && b[i]! >= 0x20) i++;
        if (b[i] !== QUOTE) return false;
        keyEnd = i;
        code = keyBytes.length - 1;
        while (code >= 0 && !sameBytes(keyBytes[code]!, b, k, i - k)) code--;
        if (ordinal < KEY_GUESSES) this.keyGuess[ordinal] = code;
      }
      ordinal++;
      i = ws(b, i + 1, end);
      if (b[i] !== COLON) return false;
      i = ws(b, i + 1, end);
      if (code === SRC) {
        if (src !== -1 || (src = this.name(b, i, end, true, dst)) === -1) return false;
        i = this.pos;
      } else if (code === DST) {
        if (dst !== -1 || (dst = this.name(b, i, end, false, src)) === -1) return false;
        i = this.pos;
      } else if (code >= FIRST_METRIC) {
        const m = code - FIRST_METRIC;
        if (has[m] === 1) return false;
        const v = this.number(b, i, end);
        // What decodeSnapshot refuses (with a message) is the general path's to report.
        if (!(v >= 0 && v <= MAX_PLAUSIBLE_VALUE)) return false;
        has[m] = 1;
        this.value[m] = v;
        i = this.pos;
      } else if (!this.skipValue(b, i, end)) return false;
      else {
        if (this.seekUnlisted && this.unlisted === undefined && (b[i] === MINUS || (b[i]! >= ZERO && b[i]! <= NINE))) {
          this.unlisted = { key: DECODER.decode(b.subarray(k, keyEnd)), value: DECODER.decode(b.subarray(i, this.pos)) };
        }
        i = this.pos;
      }
      i = ws(b, i, end);
      if (b[i] === COMMA) {
        i = ws(b, i + 1, end);
        continue;
      }
      if (b[i] !== CLOSE_BRACE) return false;
      this.pos = i + 1;
      break;
    }
    if (src === -1 || dst === -1 || !this.firstTime(src, dst)) return false;
    this.order.follow(src, dst);
    let values: Record<MetricKey, number> | undefined;
    // In the manifest's order, as decodeSnapshot builds them (consumers iterate the keys).
    for (let m = 0; m < has.length; m++) {
      if (has[m] === 0) continue;
      const v = this.value[m]!;
      if (v === 0) continue;
      setOwnValue((values ??= {}), this.metrics[m]!, v);
    }
    if (values !== undefined) edges.push({ src: this.names.name(src), dst: this.names.name(dst), values });
    return true;
  }

  /**
   * A non-empty ASCII name without escapes at `b[i] === '"'`, an edge's src (`isSrc`) or dst:
   * its id, or -1. Guessed from the previous line's order first, as the name of an edge whose
   * other name is `other` (−1: not read yet).
   */
  private name(b: Uint8Array, i: number, end: number, isSrc: boolean, other: number): number {
    if (b[i] !== QUOTE) return -1;
    const s = i + 1;
    const guess = isSrc ? this.order.guessSrc(b, s, end, other) : this.order.guessDst(b, s, end, other);
    if (guess !== -1) {
      this.pos = this.order.nameEnd + 1;
      return guess;
    }
    let j = s;
    while (j < end) {
      const c = b[j]!;
      if (c === QUOTE || c === BACKSLASH || c < 0x20 || c >= 0x80) break;
      j++;
    }
    if (j === s || b[j] !== QUOTE) return -1;
    this.pos = j + 1;
    return this.names.intern(b, s, j);
  }

  /** False when the pair was already listed on this line (decodeSnapshot's error to report). */
  private firstTime(src: number, dst: number): boolean {
    const mask = this.pairStamp.length - 1;
    let s = (Math.imul(src, 0x9e3779b1) ^ dst) & mask;
    while (this.pairStamp[s] === this.stamp) {
      if (this.pairSrc[s] === src && this.pairDst[s] === dst) return false;
      s = (s + 1) & mask;
    }
    this.pairSrc[s] = src;
    this.pairDst[s] = dst;
    this.pairStamp[s] = this.stamp;
    // Kept at most half full.
    if (2 * ++this.pairCount > this.pairStamp.length) this.growPairs();
    return true;
  }

  /** Twice the slots, with this line's pairs moved over. */
  private growPairs(): void {
    const oldSrc = this.pairSrc;
    const oldDst = this.pairDst;
    const oldStamp = this.pairStamp;
    const size = oldStamp.length * 2;
    this.pairSrc = new Int32Array(size);
    this.pairDst = new Int32Array(size);
    this.pairStamp = new Int32Array(size);
    const mask = size - 1;
    for (let o = 0; o < oldStamp.length; o++) {
      if (oldStamp[o] !== this.stamp) continue;
      let s = (Math.imul(oldSrc[o]!, 0x9e3779b1) ^ oldDst[o]!) & mask;
      while (this.pairStamp[s] === this.stamp) s = (s + 1) & mask;
      this.pairSrc[s] = oldSrc[o]!;
      this.pairDst[s] = oldDst[o]!;
      this.pairStamp[s] = this.stamp;
    }
  }

  /** A JSON number at b[i] (sets `pos` after it), or NaN when there is none. */
  private number(b: Uint8Array, i: number, end: number): number {
    const s = i;
    let v = 0;
    let c = b[i]!;
    if (c >= ZERO && c <= NINE && !(c === ZERO && i + 1 < end && b[i + 1]! >= ZERO && b[i + 1]! <= NINE)) {
      while (i < end && (c = b[i]!) >= ZERO && c <= NINE) {
        v = v * 10 + (c - ZERO);
        i++;
      }
      // At most 15 digits: below 2^53, so every step above was exact.
      if (i - s <= 15 && (i === end || (c !== DOT && c !== LOWER_E && c !== UPPER_E))) {
        this.pos = i;
        return v;
      }
    } else if (c !== MINUS && !(c >= ZERO && c <= NINE)) return NaN;
    // Sign, fraction, exponent or many digits: the token's extent, its grammar, then Number().
    i = s;
    while (i < end && ((c = b[i]!) === MINUS || c === 0x2b /* + */ || c === DOT || c === LOWER_E || c === UPPER_E || (c >= ZERO && c <= NINE))) i++;
    const token = Buffer.from(b.buffer, b.byteOffset + s, i - s).toString('latin1');
    if (!JSON_NUMBER.test(token)) return NaN;
    this.pos = i;
    return Number(token);
  }

  /** Skip a value a reader ignores (number, string, true, false, null); false for anything else. */
  private skipValue(b: Uint8Array, i: number, end: number): boolean {
    const c = b[i];
    if (c === QUOTE) {
      let j = i + 1;
      while (j < end && b[j] !== QUOTE && b[j] !== BACKSLASH && b[j]! >= 0x20) j++;
      if (b[j] !== QUOTE) return false;
      this.pos = j + 1;
      return true;
    }
    for (const word of WORDS) {
      if (isWord(b, i, end, word)) {
        this.pos = i + word.length;
        return true;
      }
    }
    const v = this.number(b, i, end);
    return !Number.isNaN(v);
  }
}

const WORDS = ['true', 'false', 'null'];

/** JSON whitespace from i: the first other byte's index (or end). */
function ws(b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = b[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
  return i;
}

/** `ascii` at b[k], within b[, end). */
function isWord(b: Uint8Array, k: number, end: number, ascii: string): boolean {
  if (k + ascii.length > end) return false;
  for (let j = 0; j < ascii.length; j++) if (b[k + j] !== ascii.charCodeAt(j)) return false;
  return true;
}

/** The key `name` (bytes) at b[k], followed by its closing quote. */
function isKeyAt(name: Uint8Array, b: Uint8Array, k: number, end: number): boolean {
  const length = name.length;
  if (k + length >= end || b[k + length] !== QUOTE) return false;
  for (let j = 0; j < length; j++) if (name[j] !== b[k + j]) return false;
  return true;
}

function sameBytes(name: Uint8Array, b: Uint8Array, k: number, length: number): boolean {
  if (name.length !== length) return false;
  for (let j = 0; j < length; j++) if (name[j] !== b[k + j]) return false;
  return true;
}

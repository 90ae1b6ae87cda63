import { UserError } from '../errors.ts';

/**
 * Where a JSON text stops being JSON, as `:line:column`, and JSON.parse's complaint on one
 * line, for the message of a hand-edited file (run.json, sweep.json) that does not parse.
 *
 * V8's message gives a position only for some mistakes ("... in JSON at position 12");
 * others quote a snippet instead (`Unexpected token ',', ..."etrics": [,]}` followed by
 * the file's own newline), so the position is found here by reading the text as the JSON
 * grammar (RFC 8259) allows: the first character it does not allow, or the end when the
 * text stops early. The message has its line breaks written as `\n`, so the error stays
 * one line.
 */
export function jsonSyntaxError(text: string, error: unknown): { readonly place: string; readonly message: string } {
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  const offset = firstBadOffset(text);
  if (offset === undefined) return { place: '', message };
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { place: `:${line}:${offset - before.lastIndexOf('\n')}`, message };
}

/** JSON.parse of a hand-edited file's text; a user error `file:line:column: not valid JSON: …` when it does not parse. */
export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const { place, message } = jsonSyntaxError(text, e);
    throw new UserError(`${file}${place}: not valid JSON: ${message}`);
  }
}

class Stop {
  constructor(readonly offset: number) {}
}

/** Offset of the first character the JSON grammar does not allow (text.length: it ends too soon); undefined when the text is JSON. */
export function firstBadOffset(text: string): number | undefined {
  let i = 0;
  const stop = (): never => {
    throw new Stop(i);
  };
  const space = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const expect = (c: string) => (text[i] === c ? i++ : stop());
  const digits = () => {
    if (!(text[i]! >= '0' && text[i]! <= '9')) stop();
    while (text[i]! >= '0' && text[i]! <= '9') i++;
  };
  const string = () => {
    expect('"');
    for (;;) {
      if (i >= text.length || text.charCodeAt(i) < 0x20) stop();
      const c = text[i++];
      if (c === '"') return;
      if (c !== '\\') continue;
      const e = text[i];
      if (e === 'u') {
        i++;
        for (let k = 0; k < 4; k++) (/[0-9a-fA-F]/.test(text[i] ?? '') ? i++ : stop());
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
      else stop();
    }
  };
  // Containers are kept on a stack, not by recursion: a deeply nested file cannot overflow it.
  const open: string[] = [];
  /** One scalar read whole (true), or a container opened, its first value still to come (false). */
  const value = (): boolean => {
    space();
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      space();
      if (text[i] === (c === '{' ? '}' : ']')) {
        i++;
        return true;
      }
      open.push(c);
      if (c === '{') member();
      return false;
    }
    if (c === '"') {
      string();
      return true;
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      if (c === '-') i++;
      if (text[i] === '0') i++;
      else digits();
      if (text[i] === '.') {
        i++;
        digits();
      }
      if (text[i] === 'e' || text[i] === 'E') {
        i++;
        if (text[i] === '+' || text[i] === '-') i++;
        digits();
      }
      return true;
    }
    for (const word of ['true', 'false', 'null']) {
      if (c === word[0]) {
        for (const w of word) expect(w);
        return true;
      }
    }
    return stop();
  };
  /** An object member's name and colon. */
  const member = () => {
    space();
    string();
    space();
    expect(':');
  };
  try {
    let needValue = true;
    for (;;) {
      if (needValue) {
        needValue = !value();
        if (needValue) continue;
      }
      space();
      const top = open[open.length - 1];
      if (top === undefined) break;
      if (text[i] === ',') {
        i++;
        if (top === '{') member();
        needValue = true;
      } else {
        expect(top === '{' ? '}' : ']');
        open.pop();
      }
    }
    return i < text.length ? i : undefined;
  } catch (e) {
    if (e instanceof Stop) return Math.min(e.offset, text.length);
    throw e;
  }
}

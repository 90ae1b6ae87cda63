/**
 * The fields of one CSV line (RFC 4180: fields with commas or quotes are quoted, a quote in
 * a quoted field is doubled), or a message saying what is wrong. Fields spanning lines are
 * not supported: no name munnin writes holds a line break.
 */
export function csvFields(line: string): string[] | string {
  const out: string[] = [];
  let i = 0;
  const n = line.endsWith('\r') ? line.length - 1 : line.length;
  for (;;) {
    if (line[i] === '"') {
      let field = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0 || q >= n) return 'a quoted field is not closed on its line';
        field += line.slice(i, q);
        if (line[q + 1] === '"') {
          field += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out.push(field);
      if (i < n && line[i] !== ',') return `unexpected ${JSON.stringify(line[i])} after a quoted field`;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 || comma >= n ? n : comma;
      const field = line.slice(i, end);
      if (field.includes('"')) return 'a quote inside an unquoted field';
      out.push(field);
      i = end;
    }
    if (i >= n) return out;
    i++; // the comma
  }
}

/** A node name as export wrote it: the apostrophe that kept a spreadsheet from running it as a formula is removed. */
export function nodeFromCsv(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

/** Decimal, optionally signed, with a fraction and exponent: what export and spreadsheets write. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * A CSV number field, or NaN when it is not a decimal number. Number() alone would take
 * `0x10` as 16, `0b11` as 3, `0o7` as 7 and an empty field as 0: in a traffic file those are
 * typing or tooling mistakes, and reading them as other numbers would be a wrong answer.
 */
export function decimalNumber(text: string | undefined): number {
  const s = text?.trim() ?? '';
  return DECIMAL.test(s) ? Number(s) : Number.NaN;
}

// HTML built by a tagged template that escapes every interpolated value unless it is
// already SafeHtml. Escaping is the default, so a name from telemetry (attacker-controlled)
// cannot become markup by someone forgetting to escape it.

import { visibleBidi } from '../../visibleBidi.ts';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text → HTML text, safe in element content and in quoted attribute values; bidi controls
 * written out (visibleBidi), so that no name displays reversed.
 */
export function escapeHtml(text: string): string {
  return visibleBidi(text).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** A fragment of HTML that is already safe to insert. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** Tagged template: the literal parts are trusted markup, every `${value}` is escaped. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

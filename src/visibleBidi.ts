/**
 * Text with its Unicode bidirectional controls made visible and inert, for every page and chart
 * showing names (report.html, the dashboard, chart text) and every terminal line (terminalText). Names are attacker-controllable, and a
 * right-to-left override (U+202E) in one reverses what follows it: the edge
 * `ext\u202Egnp.exe → front-end` displays as "extdne-tnorf → exe.png", a spoofed edge. HTML
 * escaping leaves these characters alone, since they are not markup. Each embedding, override,
 * isolate and mark (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) is replaced by its
 * code written out (`\u202E`), so the reader sees it is there and the text around it keeps its order.
 * Shared with the dashboard (a browser module: src/dashboard/BrowserModules.ts).
 */
export function visibleBidi(text: string): string {
  return BIDI.test(text) ? text.replace(BIDI_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`) : text;
}

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const BIDI_ALL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

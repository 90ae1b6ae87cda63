// Building DOM from data. Every string becomes a text node or an attribute value through
// the DOM API; nothing is ever parsed as HTML, so a workload named "<script>" stays text.
// Text and titles show their bidi controls written out (visibleBidi), so that a name holding
// U+202E does not display reversed; data-* attributes keep names as they are (they are keys).

import { visibleBidi } from '/src/visibleBidi.ts';

const SVG_NS = 'http://www.w3.org/2000/svg';
const ALLOWED_HREF = /^(?:#\/|\/api(?:\/|$))/;

function applyAttrs(node, attrs) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : String(value));
    else if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (name.startsWith('on')) throw new Error(`dom: event attribute ${name} must be a function`);
    else if (name === 'href' && !ALLOWED_HREF.test(String(value))) throw new Error(`dom: refusing href ${String(value).slice(0, 40)}`);
    else if (name === 'value' && 'value' in node) node.value = String(value);
    else if (name === 'title' || name === 'aria-label' || name === 'alt') node.setAttribute(name, visibleBidi(String(value)));
    else node.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(visibleBidi(String(child))));
  }
}

/** An HTML element: el('td', { class: 'num' }, 'text', otherNode). */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  applyAttrs(node, attrs);
  append(node, children);
  return node;
}

/** An SVG element. */
export function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  applyAttrs(node, attrs);
  append(node, children);
  return node;
}

/** Replace a node's children. */
export function replaceChildren(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** A table from a header row and body rows (cells: strings, nodes or { text, class }). */
export function table(attrs, headers, rows) {
  const cell = (tag, c) => (c !== null && typeof c === 'object' && !(c instanceof Node) ? el(tag, { class: c.class, title: c.title }, c.text) : el(tag, null, c));
  return el('table', attrs, el('thead', null, el('tr', null, headers.map((h) => cell('th', h)))), el('tbody', null, rows.map((r) => el('tr', r.attrs ?? null, (r.cells ?? r).map((c) => cell('td', c))))));
}

/** A table inside a box that scrolls sideways when the table is wider than the page allows. */
export function scrollTable(attrs, headers, rows) {
  return el('div', { class: 'table-scroll' }, table(attrs, headers, rows));
}

/** The 2-D context of `canvas` sized to width × height CSS pixels at the screen's pixel ratio (sharp on hi-DPI screens). */
export function sizedContext(canvas, width, height) {
  const ratio = globalThis.devicePixelRatio || 1;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext('2d');
  ctx.scale(ratio, ratio);
  return ctx;
}

// The order of a run's replay variants (`k=2_inject=20000`: `axis=label` parts joined by `_`,
// see joinLabels) in the dashboard's picker, the same as the sweep's charts: by the swept
// values, not as text, where `inject=200000` came before `inject=60000` and `k=10` before
// `k=2`. The variants of one sweep share their axes in the same order, so their parts line up
// (an axis name holding `_` splits alike in every variant).

/** A label that is a number as valueLabel writes one (`-1`, `0.25`, `1e-3`). */
const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:e-?\d+)?$/i;

/** Text with its digit runs compared by value (`v2` before `v10`). */
const text = new Intl.Collator('en', { numeric: true });

/** Compare two labels: numbers by value, anything else as text. */
function compareLabels(a: string, b: string): number {
  if (NUMBER.test(a) && NUMBER.test(b)) {
    const [x, y] = [Number(a), Number(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return text.compare(a, b);
}

/** Compare two variant names axis by axis (the axis name, then its value); '' (the plain replay/) first. */
export function compareVariantNames(a: string, b: string): number {
  const pa = a === '' ? [] : a.split('_');
  const pb = b === '' ? [] : b.split('_');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const [na = '', va = ''] = splitPart(pa[i]!);
    const [nb = '', vb = ''] = splitPart(pb[i]!);
    const order = text.compare(na, nb) || compareLabels(va, vb);
    if (order !== 0) return order;
  }
  // Fewer parts first; the same values written two ways (1e3, 1000) still get one order.
  return pa.length - pb.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** `axis=label` → [axis, label]; a part without `=` (e.g. a suffix) is all label. */
function splitPart(part: string): [string, string] {
  const at = part.indexOf('=');
  return at < 0 ? ['', part] : [part.slice(0, at), part.slice(at + 1)];
}

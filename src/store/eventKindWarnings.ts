import { ATTACK_KINDS } from '../types.ts';

/** Informational kinds munnin writes or the run format names (run-format.md "events.ndjson"). */
const INFORMATIONAL_KINDS: ReadonlySet<string> = new Set(['load-change', 'note', 'exfiltration-failed']);

/**
 * Warnings for a ground-truth file given by the user (`--events`): the run format reads any
 * kind it does not know as informational, so a misspelt attack (`exfiltraton`,
 * `Exfiltration`) would be dropped without a word and every alarm on it scored false. One
 * warning per unknown kind, naming the file and its lines; one more when the file holds no
 * attack at all. `kinds`: each event's kind and line number, in file order.
 */
export function eventKindWarnings(file: string, kinds: readonly { readonly kind: string; readonly line: number }[]): string[] {
  const unknown = new Map<string, number[]>();
  for (const { kind, line } of kinds) {
    if (ATTACK_KINDS.has(kind) || INFORMATIONAL_KINDS.has(kind)) continue;
    const lines = unknown.get(kind) ?? [];
    lines.push(line);
    unknown.set(kind, lines);
  }
  const attackKinds = [...ATTACK_KINDS].join(', ');
  const warnings = [...unknown].map(([kind, lines]) => {
    const where = lines.length === 1 ? '' : ` (lines ${lines.slice(0, 10).join(', ')}${lines.length > 10 ? `, … ${lines.length} in all` : ''})`;
    const meant = closestAttackKind(kind);
    return (
      `${file}:${lines[0]}: kind ${JSON.stringify(kind)}${where} is not an attack kind (${attackKinds}): read as informational, it marks no attack interval` +
      (meant === undefined ? '' : `; did you mean ${JSON.stringify(meant)}?`)
    );
  });
  if (!kinds.some(({ kind }) => ATTACK_KINDS.has(kind))) {
    warnings.push(`${file}: no attack in it (no event of kind ${attackKinds}): every interval is scored as benign`);
  }
  return warnings;
}

/** The attack kind `kind` is most likely a misspelling of: same letters in another case, or at most 2 edits away. */
function closestAttackKind(kind: string): string | undefined {
  const lower = kind.toLowerCase();
  let best: { kind: string; distance: number } | undefined;
  for (const attack of ATTACK_KINDS) {
    const distance = editDistance(lower, attack);
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { kind: attack, distance };
  }
  return best?.kind;
}

/** Levenshtein distance (insertions, deletions, substitutions), one row at a time. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

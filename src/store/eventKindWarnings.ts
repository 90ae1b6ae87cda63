import { closestName } from '../closestName.ts';
import { ATTACK_KINDS, INFORMATIONAL_KINDS } from '../types.ts';

/**
 * Warnings for a ground-truth file, given by the user (`--events`) or a run's own
 * events.ndjson: the run format reads any kind it does not know as informational, so a
 * misspelt attack (`exfiltraton`, `Exfiltration`) would be dropped without a word and every
 * alarm on it scored false. One warning per unknown kind, naming the file and its lines; one
 * more when the file holds no attack at all, unless every event in it is of a known
 * informational kind (benign on purpose), or it is empty and `emptyIsBenign` (a run's own
 * file: a run without attacks writes none). `kinds`: each event's kind and line number, in file order.
 */
export function eventKindWarnings(file: string, kinds: readonly { readonly kind: string; readonly line: number }[], options: { readonly emptyIsBenign?: boolean } = {}): string[] {
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
    const meant = closestName(kind, [...ATTACK_KINDS]);
    return (
      `${file}:${lines[0]}: kind ${JSON.stringify(kind)}${where} is not an attack kind (${attackKinds}): read as informational, it marks no attack interval` +
      (meant === undefined ? '' : `; did you mean ${JSON.stringify(meant)}?`)
    );
  });
  // A file of known informational kinds only says so itself (Munnin's benign run marks its
  // exfiltration slots `null-exfiltration`): no attack is said for an empty file, or one whose
  // unknown kinds may be the attacks meant.
  if (!kinds.some(({ kind }) => ATTACK_KINDS.has(kind)) && ((kinds.length === 0 && options.emptyIsBenign !== true) || unknown.size > 0)) {
    warnings.push(`${file}: no attack in it (no event of kind ${attackKinds}): every interval is scored as benign`);
  }
  return warnings;
}

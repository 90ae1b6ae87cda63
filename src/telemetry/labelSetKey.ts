/**
 * Canonical, unambiguous text of a label set: sorted names, JSON-quoted values (label
 * values are attacker-controllable, so a value can never pass for a label boundary).
 */
export function labelSetKey(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels).sort();
  let key = '{';
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    key += `${i > 0 ? ',' : ''}${name}=${JSON.stringify(labels[name])}`;
  }
  return `${key}}`;
}

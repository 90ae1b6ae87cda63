import { objectField } from '../objectField.ts';

/**
 * Warnings for a scan's services or other ports listed more than once in the raw parameters,
 * one per repeated value, naming the field, the value and how often. The schema keeps each
 * once (a target scanned twice is no slower or wider scan, only a repeated one, and its
 * attempts would be counted twice); this says the list was shortened rather than leave the
 * recorded `services`/`otherPorts` differing from the file without a word.
 */
export function scanDuplicates(input: unknown): string[] {
  const warnings: string[] = [];
  const scans = objectField(input, 'scan');
  if (!Array.isArray(scans)) return warnings;
  scans.forEach((scan: unknown, i) => {
    for (const [key, once] of [
      ['services', 'scanned once'],
      ['otherPorts', 'tried once on each service'],
    ] as const) {
      const list = objectField(scan, key);
      if (!Array.isArray(list)) continue;
      const counts = new Map<unknown, number>();
      for (const v of list) counts.set(v, (counts.get(v) ?? 0) + 1);
      for (const [v, n] of counts) if (n > 1) warnings.push(`scan[${i}].${key}: ${JSON.stringify(v)} is listed ${n} times; ${once}`);
    }
  });
  return warnings;
}

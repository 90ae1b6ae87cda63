/**
 * summary.json's `blame` as the tables show it: of the alarms in attack intervals whose blamed
 * edge could be checked (the attack has a path), how many were on path; undefined when none
 * could (no alarm there, or only in intervals of attacks without a path: shown "-", not 0/n,
 * which would read as blame checked and found wrong). The counts themselves stay as the run
 * format defines them (`alarms` includes the unchecked ones, see DetectorSummary.blame).
 */
export function checkedBlame(blame: { readonly alarms: number; readonly onPath: number; readonly withoutPath?: number | undefined }): { readonly onPath: number; readonly checked: number } | undefined {
  const checked = blame.alarms - (blame.withoutPath ?? 0);
  return checked > 0 ? { onPath: blame.onPath, checked } : undefined;
}

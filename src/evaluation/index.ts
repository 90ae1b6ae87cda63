export { Evaluator, type ReplaySummary, type DetectorSummary, type AttackOutcome } from './Evaluator.ts';
export { isAttack, isAttackInterval, overlaps } from './attackIntervals.ts';
export { rocAuc } from './rocAuc.ts';
export { ReplayFiles } from './ReplayFiles.ts';
export { formatSummaryTable } from './formatSummaryTable.ts';

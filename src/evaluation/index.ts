export { Evaluator } from './Evaluator.ts';
export type { ReplaySummary, DetectorSummary, AttackOutcome } from './ReplaySummary.ts';
export { classifyInterval, classifyIntervals, firstBlameOnPath, isAttack, isAttackInterval, isOnAttackPath, overlaps, type IntervalClass, type IntervalSpan } from './attackIntervals.ts';
export { rocAuc } from './rocAuc.ts';
export { operatingPoints, DEFAULT_AT_FPR, type OperatingPoint } from './operatingPoints.ts';
export { ReplayFiles } from './ReplayFiles.ts';
export { csvField, jsonNumber, spreadsheetText } from './outputFields.ts';
export { formatSummaryTable } from './formatSummaryTable.ts';
export { formatScoreAndThreshold, formatSignificant } from './formatScore.ts';

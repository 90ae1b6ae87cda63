export { MAX_BLAMED, TopBlamed, type SeriesLabel } from './blame.ts';
export { FamilyLimit, type MultipleComparisons } from './familyLimit.ts';
export { alarmLimit, studentQuantile, CalibratedLimit, DEFAULT_FALSE_ALARM_RATE, falseAlarmRateOption, type AlarmLimit, type LimitOptions } from './alarmLimit.ts';
export { TailThreshold, MIN_CALIBRATION_SCORES, CALIBRATION_WINDOW, EVENT_GAP_INTERVALS, LEARN_EVERY_EXCEEDANCE, type TailLaw } from './tailThreshold.ts';
export { SortedScoreWindow, type WindowPwmSums } from './sortedScoreWindow.ts';
export { gevFromLMoments, gevQuantile, sampleLMoments, type Gev } from './gev.ts';
export { EWMA_SCALE_DEGREES_OF_FREEDOM, RobustEwma, WARMUP_OBSERVATIONS, type RobustEwmaParameters } from './robustEwma.ts';
export { LearningGate, RELEARN_AFTER_INTERVALS } from './learningGate.ts';
export { binomialUpperTail } from './binomialUpperTail.ts';

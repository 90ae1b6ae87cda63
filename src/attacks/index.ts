// Attacks beyond exfiltration (issue 19): scans and lateral movements, scheduled like
// exfiltrations (src/exfiltration) and run by the target (Target.scan, Target.lateral).
export { AttackError } from './AttackError.ts';
export { sweepTargets, repeatCalls, type Probe } from './paceProbes.ts';
export { scanPath, lateralPath, scanTargets } from './attackPaths.ts';
export { attacksPastTheEnd } from './attacksPastTheEnd.ts';
export { attackProblems, checkAttacks, type AttackTarget } from './attackProblems.ts';
export { scheduleAttacks, type AttackScheduleOptions, type AttackHandle } from './scheduleAttacks.ts';

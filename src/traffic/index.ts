export { usersAt, nextChangeSeconds, normalCurve, normalCurveMax, NORMAL_STEPS, BURSTY_PERIODS } from './loadShape.ts';
export { createBuiltinTraffic, type BuiltinTrafficOptions } from './builtinTraffic.ts';
export { createLocustTraffic, type LocustTrafficOptions } from './locustTraffic.ts';
export { locustAvailable, locustDir, locustfilePath } from './locustAvailable.ts';
export { readLocustStats } from './locustStats.ts';
export { behaviourPlan, BEHAVIOURS, type Behaviour, type BehaviourPlan } from './behaviourPlan.ts';
export { createRandom, type Random } from './random.ts';
export { sleep } from './sleep.ts';
export type { EndpointStats, ErrorStats } from './RequestTally.ts';

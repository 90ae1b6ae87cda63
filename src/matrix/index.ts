export { differentiate, type DifferentiateOptions } from './differentiate.ts';
export { MAX_PLAUSIBLE_VALUE, isPlausibleValue } from './plausibleValue.ts';

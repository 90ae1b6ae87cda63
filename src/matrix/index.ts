export { differentiate, type DifferentiateOptions } from './differentiate.ts';

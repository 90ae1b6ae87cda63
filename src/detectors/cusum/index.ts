export { cusum, cusumOptionsSchema, warnIfNoVolume, type CusumOptions, type CusumOptionsInput } from './cusum.ts';
export { CusumCore, type CusumParameters } from './cusumCore.ts';

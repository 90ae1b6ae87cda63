export { ewma, ewmaChartFields, ewmaOptionsSchema, type EwmaOptions, type EwmaOptionsInput } from './ewma.ts';
export { EwmaChart } from './ewmaChart.ts';

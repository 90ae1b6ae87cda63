export { controlChart, controlChartOptionsSchema, type ControlChartOptions, type ControlChartOptionsInput } from './controlChart.ts';

export { importPrometheus, DEFAULT_POINTS_PER_QUERY, type PrometheusImportOptions } from './importPrometheus.ts';
export { importCsv, type CsvImportOptions } from './importCsv.ts';
export { readPrometheusHistory, type HistoryOptions } from './readPrometheusHistory.ts';
export { historyGrid, gridTime, PROMETHEUS_MAX_POINTS, type HistoryGrid } from './historyGrid.ts';
export { writeImportedRun, type ImportedRunOptions, type ImportResult } from './writeImportedRun.ts';
export { parseTime, parseDuration } from './parseTime.ts';
export { csvFields, nodeFromCsv } from './csvFields.ts';
export { ImportProgress } from './ImportProgress.ts';
export { unknownMetricWarnings, metricsNamedIn } from './unknownMetrics.ts';

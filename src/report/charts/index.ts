// Chart definitions as plain data (chart.js configurations and heatmap specs), independent
// of where they are drawn: the report renders them on a Node canvas, a browser can reuse them.
export { edgeChart, type EdgeChartInput } from './edgeChart.ts';
export { intervalBandsPlugin, shadingBands, shadingLegend, type Band, type IntervalBandsOptions, type Shading, type Span } from './intervalBands.ts';
export { ALARM_COLOR, ATTACK_BAND, FONT_FAMILY, GAP_BAND, NO_THRESHOLD_BAND, SERIES_COLORS, seriesColor, shortName, TRAINING_BAND } from './palette.ts';
export { MARKERS, markerStyle, type Marker } from './markers.ts';
export { rocChart, type RocChartCurve } from './rocChart.ts';
export { noThresholdSpans, RATIO_FLOOR, ratioAxisRange, scoredWithoutThreshold, scoreChart, scoreRatio, type RatioPoint, type ScoreChartInput, type ScorePoint } from './scoreChart.ts';
export { formatRatioTick, formatScore, scoreTooltipLabel } from './scoreFormat.ts';
export { heatColor, MAX_MATRIX_NODES, trafficMatrixSpec, type MatrixPanelInput, type TrafficMatrixPanel, type TrafficMatrixSpec } from './trafficMatrix.ts';
export { CHART_FONT, linearAxis, STATIC_RENDERING, timeAxis } from './axes.ts';

import { createCanvas } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration, type ChartItem, type Plugin } from 'chart.js';

let registered = false;

/** chart.js draws on a transparent canvas; a report image wants a white page under it. */
const whiteBackground: Plugin = {
  id: 'munninWhiteBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.globalCompositeOperation = 'destination-over';
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

/**
 * Draw a chart.js configuration on a @napi-rs/canvas canvas of the given size and encode
 * it as PNG. Sizes are forced (not responsive, device pixel ratio 1), animation off, so the
 * chart is fully drawn when the constructor returns.
 */
export async function renderChartPng(config: ChartConfiguration, width: number, height: number): Promise<Buffer> {
  if (!registered) {
    Chart.register(...registerables);
    registered = true;
  }
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  const options = { ...config.options, responsive: false, animation: false as const, devicePixelRatio: 1 };
  // chart.js types its target with DOM types; the @napi-rs/canvas context implements them.
  const chart = new Chart(ctx as unknown as ChartItem, { ...config, options, plugins: [...(config.plugins ?? []), whiteBackground] } as ChartConfiguration);
  try {
    chart.draw();
    // Encode before destroy(): destroying a chart clears its canvas.
    return await canvas.encode('png');
  } finally {
    chart.destroy();
  }
}

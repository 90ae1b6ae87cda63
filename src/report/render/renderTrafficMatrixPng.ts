import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { heatColor, type TrafficMatrixSpec } from '../charts/trafficMatrix.ts';
import { FONT_FAMILY, shortName } from '../charts/palette.ts';

const MARGIN = 16;
const PANEL_GAP = 48;
const TITLE_HEIGHT = 26;
const BAR_HEIGHT = 14;
const LABEL_CHARS = 22;
const FONT = `11px ${FONT_FAMILY}`;

/** Cells shrink as nodes grow, within readable bounds. */
function cellSize(n: number): number {
  return Math.max(12, Math.min(30, Math.floor(440 / Math.max(1, n))));
}

/** "1 k", "10 M": colour-bar ticks. */
function formatVolume(v: number): string {
  const units = ['', ' k', ' M', ' G', ' T', ' P'];
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${Math.round(v * 10) / 10}${units[i]}`;
}

/**
 * Draw the heatmaps side by side (rows: source, columns: destination, named in each panel's
 * corner) over one colour bar, and encode as PNG. Names are drawn as canvas text (no markup is interpreted), shortened.
 */
export async function renderTrafficMatrixPng(spec: TrafficMatrixSpec): Promise<{ png: Buffer; width: number; height: number }> {
  const n = spec.nodes.length;
  const labels = spec.nodes.map((node) => shortName(node, LABEL_CHARS));
  const measure = createCanvas(1, 1).getContext('2d');
  measure.font = FONT;
  const labelWidth = Math.ceil(Math.max(40, ...labels.map((l) => measure.measureText(l).width))) + 8;
  const cell = cellSize(n);
  const grid = n * cell;
  const panelWidth = labelWidth + grid;
  const panels = Math.max(1, spec.panels.length);
  const width = Math.max(360, MARGIN * 2 + panels * panelWidth + (panels - 1) * PANEL_GAP);
  const top = MARGIN + TITLE_HEIGHT + labelWidth;
  const height = top + grid + 24 + BAR_HEIGHT + 36 + MARGIN;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);

  spec.panels.forEach((panel, p) => {
    const left = MARGIN + p * (panelWidth + PANEL_GAP) + labelWidth;
    ctx.fillStyle = '#222222';
    ctx.font = `bold 13px ${FONT_FAMILY}`;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillText(panel.title, MARGIN + p * (panelWidth + PANEL_GAP), MARGIN, panelWidth);
    drawLabels(ctx, labels, left, top, cell, labelWidth);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        ctx.fillStyle = heatColor(panel.values[r * n + c] ?? 0, spec.max);
        ctx.fillRect(left + c * cell, top + r * cell, cell - 1, cell - 1);
      }
    }
    ctx.strokeStyle = '#000000';
    ctx.lineWidth = 2;
    for (const h of spec.highlight) ctx.strokeRect(left + h.col * cell + 1, top + h.row * cell + 1, cell - 3, cell - 3);
  });
  drawColourBar(ctx, spec, MARGIN + labelWidth, top + grid + 24, Math.min(420, width - 2 * MARGIN - labelWidth));
  return { png: await canvas.encode('png'), width, height };
}

function drawLabels(ctx: SKRSContext2D, labels: readonly string[], left: number, top: number, cell: number, labelWidth: number): void {
  // The axes' names, in the corner above the row labels and left of the column labels (a
  // reader of the image alone, without the report's caption, must know which way edges go).
  ctx.font = `bold ${FONT}`;
  ctx.fillStyle = '#555555';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  ctx.fillText('to →', left - 6, top - 20, labelWidth - 8);
  ctx.fillText('from ↓', left - 6, top - 6, labelWidth - 8);
  ctx.font = FONT;
  ctx.fillStyle = '#333333';
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'right';
  labels.forEach((l, i) => ctx.fillText(l, left - 4, top + i * cell + cell / 2));
  // Column labels read upwards, ending just above their column.
  ctx.textAlign = 'left';
  labels.forEach((l, i) => {
    ctx.save();
    ctx.translate(left + i * cell + cell / 2, top - 4);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(l, 0, 0);
    ctx.restore();
  });
}

function drawColourBar(ctx: SKRSContext2D, spec: TrafficMatrixSpec, x: number, y: number, width: number): void {
  const max = spec.max;
  const steps = Math.max(1, Math.floor(width));
  const logMax = Math.log10(1 + Math.max(max, 1));
  for (let i = 0; i < steps; i++) {
    const v = Math.pow(10, ((i + 0.5) / steps) * logMax) - 1;
    ctx.fillStyle = heatColor(v, max);
    ctx.fillRect(x + i, y, 1, BAR_HEIGHT);
  }
  ctx.strokeStyle = '#666666';
  ctx.lineWidth = 1;
  ctx.strokeRect(x, y, width, BAR_HEIGHT);
  ctx.font = FONT;
  ctx.fillStyle = '#333333';
  ctx.textBaseline = 'top';
  ctx.textAlign = 'center';
  for (let e = 0; Math.pow(10, e) <= max; e++) {
    const px = x + (Math.log10(1 + Math.pow(10, e)) / logMax) * width;
    ctx.fillRect(px, y + BAR_HEIGHT, 1, 4);
    ctx.fillText(formatVolume(Math.pow(10, e)), px, y + BAR_HEIGHT + 5);
  }
  ctx.textAlign = 'left';
  ctx.fillText(`${spec.unit} per interval (log scale; grey = none)`, x, y + BAR_HEIGHT + 20);
}

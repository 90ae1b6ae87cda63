// Tester G (6 Dec): the report's traffic-matrix heatmap named its rows and columns only in the
// report's caption; the image alone (as exported or pasted into a paper) did not say which way
// an edge goes. Now each panel's corner, above the row labels and left of the column labels,
// names the axes ("to →", "from ↓"). Checked on the decoded image: the grid's first empty cell
// (#f2f2f2, ten pixels each way) is found by scanning, and the corner left of and above it must hold dark text.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { renderTrafficMatrixPng } from '../../src/report/render/renderTrafficMatrixPng.ts';
import type { TrafficMatrixSpec } from '../../src/report/charts/trafficMatrix.ts';

test('the traffic-matrix image names its axes in the corner of each panel', async () => {
  // Every cell 0 (grey) so the grid's top-left is the first grey pixel.
  const nodes = ['external', 'front-end', 'user', 'user-db'];
  const spec: TrafficMatrixSpec = { nodes, panels: [{ title: 'typical interval', values: new Array(16).fill(0) }], max: 1000, unit: 'bytes', highlight: [] } as unknown as TrafficMatrixSpec;
  const { png, width, height } = await renderTrafficMatrixPng(spec);
  const image = await loadImage(png);
  const ctx = createCanvas(width, height).getContext('2d');
  ctx.drawImage(image, 0, 0);
  const { data } = ctx.getImageData(0, 0, width, height);
  const at = (x: number, y: number) => data.subarray(4 * (y * width + x), 4 * (y * width + x) + 3);
  let gridX = -1;
  let gridY = -1;
  const grey = (x: number, y: number) => {
    const [r, g, b] = at(x, y);
    return r === 0xf2 && g === 0xf2 && b === 0xf2;
  };
  // A cell, not a text pixel that happens to be that grey: 10 grey pixels in a row and a column.
  const cellAt = (x: number, y: number) => {
    for (let k = 0; k < 10; k++) if (x + k >= width || y + k >= height || !grey(x + k, y) || !grey(x, y + k)) return false;
    return true;
  };
  for (let y = 0; y < height && gridY < 0; y++) {
    for (let x = 0; x < width; x++) {
      if (cellAt(x, y)) {
        gridX = x;
        gridY = y;
        break;
      }
    }
  }
  assert.ok(gridX > 0 && gridY > 0, 'the grid was found');
  // The corner: left of the grid (past the row labels' right edge, 4 px), the 40 px above it.
  let dark = 0;
  for (let y = Math.max(0, gridY - 40); y < gridY - 2; y++) {
    for (let x = Math.max(0, gridX - 60); x < gridX - 3; x++) {
      const [r, g, b] = at(x, y);
      if (r! < 140 && g! < 140 && b! < 140) dark++;
    }
  }
  assert.ok(dark > 20, `${dark} dark pixels in the corner above the row labels (the axes' names)`);
});

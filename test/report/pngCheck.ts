import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createCanvas, loadImage } from '@napi-rs/canvas';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk (read by hand, not by the library that wrote it). */
export function pngSize(png: Buffer): { width: number; height: number } {
  assert.ok(png.subarray(0, 8).equals(SIGNATURE), 'PNG signature');
  assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR', 'first chunk is IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/**
 * Decode a PNG file and check it: the expected size, and real content: many distinct
 * colours and a fair share of pixels that are not the white background.
 */
export async function assertDrawnPng(path: string, expected?: { width: number; height: number }): Promise<{ width: number; height: number; colours: number; inked: number }> {
  const png = readFileSync(path);
  const size = pngSize(png);
  if (expected) assert.deepEqual(size, expected, `${path}: size`);
  const image = await loadImage(png);
  assert.equal(image.width, size.width);
  assert.equal(image.height, size.height);
  const canvas = createCanvas(size.width, size.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const { data } = ctx.getImageData(0, 0, size.width, size.height);
  const colours = new Set<number>();
  let inked = 0;
  for (let i = 0; i < data.length; i += 4) {
    const r = data[i]!;
    const g = data[i + 1]!;
    const b = data[i + 2]!;
    colours.add((r << 16) | (g << 8) | b);
    if (r < 240 || g < 240 || b < 240) inked++;
  }
  const pixels = size.width * size.height;
  assert.ok(colours.size >= 20, `${path}: ${colours.size} distinct colours (a blank or flat image?)`);
  assert.ok(inked / pixels > 0.01, `${path}: only ${inked} of ${pixels} pixels drawn`);
  assert.ok(inked / pixels < 0.95, `${path}: ${inked} of ${pixels} pixels dark (not a white page?)`);
  return { ...size, colours: colours.size, inked };
}

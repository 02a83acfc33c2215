/**
 * Decodes the first PNG embedded in an SVG or given as a data URL (the matrix pictures), with
 * node:zlib as an independent inflater: the palette index of every pixel.
 */
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';

/**
 * @param text - an SVG document or a `data:image/png;base64,…` URL
 * @returns width, height and the pixels (palette indices, row by row)
 */
export function embeddedPixels(text: string): { width: number; height: number; px: Uint8Array } {
  const m = /data:image\/png;base64,([A-Za-z0-9+/=]+)/.exec(text);
  assert.ok(m, 'an embedded PNG');
  const png = Buffer.from(m[1]!, 'base64');
  const width = png.readUInt32BE(16), height = png.readUInt32BE(20);
  let p = 8;
  const idat: Buffer[] = [];
  while (p < png.length) {
    const len = png.readUInt32BE(p), type = png.toString('latin1', p + 4, p + 8);
    if (type === 'IDAT') idat.push(png.subarray(p + 8, p + 8 + len));
    p += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  assert.equal(raw.length, height * (width + 1));
  const px = new Uint8Array(width * height);
  for (let i = 0; i < height; i++) {
    assert.equal(raw[i * (width + 1)], 0, 'filter type none');
    for (let j = 0; j < width; j++) px[i * width + j] = raw[i * (width + 1) + 1 + j]!;
  }
  return { width, height, px };
}

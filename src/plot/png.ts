/**
 * A minimal PNG writer for matrix pictures (pure TypeScript, no `zlib`, no `Buffer`: it runs in Node and
 * in a browser). An indexed-colour image (PNG colour type 3, 8 bits per pixel, one pixel per matrix
 * cell) stored in uncompressed deflate blocks (RFC 1951 §3.2.4) inside a zlib stream (RFC 1950), with
 * the CRC-32 of every chunk (PNG specification, W3C Recommendation, 2nd ed. 2003). A 139×139 matrix
 * is about 20 kB of image data (26 kB in base64), against megabytes for one SVG rectangle per cell.
 *
 * @packageDocumentation
 */

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (polynomial 0xEDB88320) of bytes[from, to). */
function crc32(bytes: Uint8Array, from: number, to: number): number {
  let c = 0xffffffff;
  for (let i = from; i < to; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** Adler-32 of bytes (the zlib checksum). */
function adler32(bytes: Uint8Array): number {
  let a = 1, b = 0;
  for (let i = 0; i < bytes.length; i++) {
    a = (a + bytes[i]!) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/**
 * Encodes an indexed-colour image as PNG bytes.
 * @param width - pixels per row (≥ 1)
 * @param height - rows (≥ 1)
 * @param pixels - palette index of each pixel, row by row (width·height entries)
 * @param palette - RGB triples, at most 256 colours
 * @returns the PNG file
 * @throws RangeError when the sizes do not match or an index is outside the palette
 * @example
 * ```ts
 * const png = encodeIndexedPng(2, 1, Uint8Array.of(0, 1), [[255, 0, 0], [0, 0, 255]]);
 * ```
 * @see {@link pngDataUrl}
 */
export function encodeIndexedPng(width: number, height: number, pixels: Uint8Array, palette: readonly (readonly [number, number, number])[]): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new RangeError(`width, height: expected integers ≥ 1, got ${width}, ${height}`);
  if (pixels.length !== width * height) throw new RangeError(`pixels: has ${pixels.length} entries, expected width·height = ${width * height}`);
  if (palette.length < 1 || palette.length > 256) throw new RangeError(`palette: has ${palette.length} colours, expected 1 … 256`);
  // raw scanlines: filter byte 0 (none) then the row's indices
  const raw = new Uint8Array(height * (width + 1));
  for (let i = 0; i < height; i++) {
    raw[i * (width + 1)] = 0;
    for (let j = 0; j < width; j++) {
      const p = pixels[i * width + j]!;
      if (p >= palette.length) throw new RangeError(`pixels: index ${p} at (${i}, ${j}) outside the palette of ${palette.length} colours`);
      raw[i * (width + 1) + 1 + j] = p;
    }
  }
  // zlib stream of stored blocks: header, blocks of ≤ 65535 bytes (BFINAL, LEN, NLEN), Adler-32
  const nBlocks = Math.max(1, Math.ceil(raw.length / 65535));
  const z = new Uint8Array(2 + raw.length + 5 * nBlocks + 4);
  z[0] = 0x78; z[1] = 0x01;
  let o = 2;
  for (let b = 0; b < nBlocks; b++) {
    const from = b * 65535, len = Math.min(65535, raw.length - from);
    z[o++] = b === nBlocks - 1 ? 1 : 0;
    z[o++] = len & 0xff; z[o++] = len >>> 8;
    z[o++] = ~len & 0xff; z[o++] = (~len >>> 8) & 0xff;
    z.set(raw.subarray(from, from + len), o);
    o += len;
  }
  const ad = adler32(raw);
  z[o++] = ad >>> 24; z[o++] = (ad >>> 16) & 0xff; z[o++] = (ad >>> 8) & 0xff; z[o++] = ad & 0xff;

  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width); dv.setUint32(4, height);
  ihdr[8] = 8; ihdr[9] = 3; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0; // 8-bit, indexed, deflate, no filter, no interlace
  const plte = new Uint8Array(3 * palette.length);
  palette.forEach((c, k) => { plte[3 * k] = c[0]; plte[3 * k + 1] = c[1]; plte[3 * k + 2] = c[2]; });
  const chunks: [string, Uint8Array][] = [['IHDR', ihdr], ['PLTE', plte], ['IDAT', z], ['IEND', new Uint8Array(0)]];
  const total = 8 + chunks.reduce((s, [, d]) => s + 12 + d.length, 0);
  const out = new Uint8Array(total);
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const odv = new DataView(out.buffer);
  let p = 8;
  for (const [type, d] of chunks) {
    odv.setUint32(p, d.length);
    for (let k = 0; k < 4; k++) out[p + 4 + k] = type.charCodeAt(k);
    out.set(d, p + 8);
    odv.setUint32(p + 8 + d.length, crc32(out, p + 4, p + 8 + d.length));
    p += 12 + d.length;
  }
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * A `data:image/png;base64,…` URL of PNG bytes (for an SVG `<image>`).
 * @param png - the PNG file
 * @returns the data URL
 * @example
 * ```ts
 * pngDataUrl(encodeIndexedPng(1, 1, Uint8Array.of(0), [[0, 0, 0]])).startsWith('data:image/png;base64,'); // true
 * ```
 * @see {@link encodeIndexedPng}
 */
export function pngDataUrl(png: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < png.length; i += 3) {
    const a = png[i]!, b = i + 1 < png.length ? png[i + 1]! : 0, c = i + 2 < png.length ? png[i + 2]! : 0;
    const n = (a << 16) | (b << 8) | c;
    parts.push(B64[n >>> 18]!, B64[(n >>> 12) & 63]!, i + 1 < png.length ? B64[(n >>> 6) & 63]! : '=', i + 2 < png.length ? B64[n & 63]! : '=');
  }
  return `data:image/png;base64,${parts.join('')}`;
}

/**
 * The strict decimal-number reader of the CSV loaders (see `tokenizer.ts`): numbers read from bytes
 * without making a string, correctly rounded, with under- and overflow reported rather than silently
 * turned into 0 or Infinity. No Node imports: it runs in a browser.
 *
 * @packageDocumentation
 */

/** The UTF-8 decoder of cell text. */
export const utf8 = new TextDecoder('utf-8');

/**
 * The text of ASCII bytes [s, e) (short runs: cell labels and numbers), without a decoder call.
 * @param b - the bytes
 * @param s - start offset
 * @param e - end offset (exclusive)
 * @returns the text
 * @example
 * ```ts
 * asciiText(new TextEncoder().encode('1.5'), 0, 3); // '1.5'
 * ```
 * @see {@link parseDecimal}
 */
export function asciiText(b: Uint8Array, s: number, e: number): string {
  let t = '';
  for (let i = s; i < e; i++) t += String.fromCharCode(b[i]!);
  return t;
}

const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** Result codes of {@link parseDecimal} besides a number. */
export const NOT_A_NUMBER = -1, UNDERFLOW = -2, OVERFLOW = -3;

/**
 * Reads a strict decimal number from bytes `[s, e)`: `[+-]digits[.digits][(e|E)[+-]digits]` or
 * `[+-].digits…` — no hexadecimal, no `Infinity`/`NaN`, no empty text, no inner spaces. The value is
 * correctly rounded. Writes the value to `out[0]` and returns 0, or returns {@link NOT_A_NUMBER},
 * {@link UNDERFLOW} (non-zero digits that round to 0, e.g. `1e-400`) or {@link OVERFLOW} (`1e400`).
 * @param b - the bytes
 * @param s - start offset
 * @param e - end offset (exclusive)
 * @param out - receives the value
 * @returns 0 on success, else a negative code
 * @example
 * ```ts
 * const out = new Float64Array(1); parseDecimal(new TextEncoder().encode('2.5e3'), 0, 5, out); out[0]; // 2500
 * ```
 * @see {@link scanCsv}
 */
export function parseDecimal(b: Uint8Array, s: number, e: number, out: Float64Array): number {
  let i = s, neg = false;
  if (i < e && (b[i] === 43 || b[i] === 45)) { neg = b[i] === 45; i++; }
  let mant = 0, digits = 0, sig = 0, exp10 = 0, nonzero = false, any = false;
  // M = the first ≤ 15 significant digits as an exact integer; exp10 its power of ten
  for (; i < e; i++) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) break;
    any = true;
    if (c !== 0) nonzero = true;
    if (nonzero) { if (sig < 15) { mant = mant * 10 + c; sig++; } else { exp10++; digits++; } }
  }
  if (i < e && b[i] === 46) {
    i++;
    for (; i < e; i++) {
      const c = b[i]! - 48;
      if (c < 0 || c > 9) break;
      any = true;
      if (c !== 0) nonzero = true;
      if (nonzero) { if (sig < 15) { mant = mant * 10 + c; sig++; exp10--; } else digits++; } else exp10--;
    }
  }
  if (!any) return NOT_A_NUMBER;
  let ex = 0;
  if (i < e && (b[i] === 101 || b[i] === 69)) {
    i++;
    let eneg = false, edig = false;
    if (i < e && (b[i] === 43 || b[i] === 45)) { eneg = b[i] === 45; i++; }
    for (; i < e; i++) {
      const c = b[i]! - 48;
      if (c < 0 || c > 9) break;
      edig = true;
      if (ex < 100000) ex = ex * 10 + c;
    }
    if (!edig) return NOT_A_NUMBER;
    if (eneg) ex = -ex;
  }
  if (i !== e) return NOT_A_NUMBER;
  let v: number;
  const p = exp10 + ex;
  if (digits === 0 && p >= -22 && p <= 22) {
    // exact M and 10^|p| (Clinger's fast path): one correctly rounded operation
    v = p >= 0 ? mant * POW10[p]! : mant / POW10[-p]!;
  } else {
    v = Number(e - s <= 64 ? asciiText(b, s, e) : utf8.decode(b.subarray(s, e)));
    v = Math.abs(v);
  }
  if (v === Infinity) return OVERFLOW;
  if (v === 0 && nonzero) return UNDERFLOW;
  out[0] = neg ? -v : v;
  return 0;
}

/**
 * Strict number reading for text (the same grammar as {@link parseDecimal}).
 * @param s - the text (not trimmed)
 * @returns the number, or null when `s` is not a decimal number or under/overflows
 * @example
 * ```ts
 * strictNumber('1e-3'); // 0.001
 * strictNumber('0x10'); // null
 * ```
 * @see {@link parseDecimal}
 */
export function strictNumber(s: string): number | null {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 127) return null;
    b[i] = c;
  }
  const out = new Float64Array(1);
  return parseDecimal(b, 0, b.length, out) === 0 ? out[0]! : null;
}

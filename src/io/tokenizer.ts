/**
 * A streaming CSV tokenizer over bytes (RFC 4180 quoting; numbers are read by `decimal.ts`), the
 * core of the long-CSV loader ({@link parseLongCsv}) and of the command line's readers. No Node
 * imports: it runs in a browser.
 *
 * The tokenizer keeps one record (one logical line) in a reusable byte buffer and hands it to a
 * callback with the start/end offsets of its cells; nothing else is allocated per record or cell.
 *
 * @packageDocumentation
 */
import { asciiText, utf8 } from './decimal.js';

export { NOT_A_NUMBER, OVERFLOW, UNDERFLOW, parseDecimal, strictNumber } from './decimal.js';

/**
 * A malformed CSV input: carries the file, the 1-based line and column (0 when not applicable) and
 * the message `file:line:column (column "name"): problem; expected …`.
 *
 * @example
 * ```ts
 * try { parseLongCsv(text, { file: 'bad.csv' }); } catch (e) { if (e instanceof CsvInputError) console.error(e.message); }
 * ```
 * @see {@link parseLongCsv}
 */
export class CsvInputError extends Error {
  /** The file (as given by the caller). */
  readonly file: string;
  /** 1-based line of the problem (0 = the whole file). */
  readonly line: number;
  /** 1-based column of the problem (0 = the whole line or file). */
  readonly column: number;

  /**
   * @param file - the file name as given
   * @param line - 1-based line (0: whole file)
   * @param column - 1-based column (0: whole line)
   * @param problem - what is wrong (e.g. `got "abc"`)
   * @param expected - what was expected
   * @param columnName - the header name of the column, when known
   * @example
   * ```ts
   * new CsvInputError('a.csv', 3, 2, 'got "x"', 'a finite number', 'y').message;
   * // 'a.csv:3:2 (column "y"): got "x"; expected a finite number'
   * ```
   */
  constructor(file: string, line: number, column: number, problem: string, expected: string, columnName?: string) {
    const where = line > 0 ? `${file}:${line}${column > 0 ? `:${column}` : ''}` : file;
    const name = columnName !== undefined ? ` (column "${columnName}")` : '';
    super(`${where}${name}: ${problem}; expected ${expected}`);
    this.name = 'CsvInputError';
    this.file = file;
    this.line = line;
    this.column = column;
  }
}

/**
 * Where the tokenizer reads bytes: `read(buf)` fills `buf` from the start and returns the number of
 * bytes read (0 at the end); `rewind()` starts over (the loaders read twice: count, then fill).
 * @example
 * ```ts
 * const src = bytesSource(new TextEncoder().encode('task,y,x1\n1,2,3\n'));
 * ```
 * @see {@link bytesSource}
 */
export interface ByteSource {
  /** Fills `buf` from index 0; returns the count (0 = end of input). */
  read(buf: Uint8Array): number;
  /** Restarts at the first byte. */
  rewind(): void;
}

/**
 * A {@link ByteSource} over bytes in memory.
 * @param bytes - the CSV bytes (UTF-8)
 * @returns the source
 * @example
 * ```ts
 * bytesSource(new TextEncoder().encode(text));
 * ```
 * @see {@link ByteSource}
 */
export function bytesSource(bytes: Uint8Array): ByteSource {
  let pos = 0;
  return {
    read(buf: Uint8Array): number {
      const k = Math.min(buf.length, bytes.length - pos);
      buf.set(bytes.subarray(pos, pos + k));
      pos += k;
      return k;
    },
    rewind(): void { pos = 0; },
  };
}

/**
 * One record as the tokenizer hands it over: the bytes of its cells in `bytes`, cell c spanning
 * `[start[c], end[c])` (unquoted cells trimmed of spaces and tabs; quoted cells unescaped), and the
 * 1-based line where it starts. Valid only during the callback.
 * @example
 * ```ts
 * scanCsv(src, 'a.csv', (r) => console.log(r.count, r.line));
 * ```
 * @see {@link scanCsv}
 */
export interface CsvRecord {
  /** Number of cells. */
  count: number;
  /** 1-based line where the record starts. */
  line: number;
  /** The record's bytes. */
  bytes: Uint8Array;
  /** Start offset of each cell in `bytes`. */
  start: Int32Array;
  /** End offset (exclusive) of each cell in `bytes`. */
  end: Int32Array;
}

const COMMA = 44, QUOTE = 34, LF = 10, CR = 13, SPACE = 32, TAB = 9;

/**
 * A CSV tokenizer fed chunk by chunk: {@link csvTokenizer}. A record split across two chunks (even
 * inside a quoted cell, between CR and LF, or inside the byte-order mark) is read as if the bytes had
 * come in one piece.
 * @example
 * ```ts
 * const tok = csvTokenizer('a.csv', (r) => console.log(r.line));
 * tok.push(bytes1); tok.push(bytes2); tok.end();
 * ```
 * @see {@link csvTokenizer}
 */
export interface CsvTokenizer {
  /**
   * Tokenizes the next bytes of the input (the chunk is not kept after the call).
   * @param chunk - the next bytes
   */
  push(chunk: Uint8Array): void;
  /** Ends the input: hands over the last record, or throws on an unclosed quote. */
  end(): void;
}

/**
 * A push tokenizer: the grammar of {@link scanCsv} over input that arrives in chunks (a stream).
 * Blank lines and lines of empty cells are skipped; a byte-order mark is skipped; lines end with LF,
 * CRLF or CR.
 * @param file - the file name for error messages
 * @param onRecord - called once per non-blank record
 * @returns the tokenizer (`push(chunk)` … `end()`)
 * @throws {@link CsvInputError} (from `push` or `end`) on an unclosed quote, a quote inside an
 *   unquoted cell, or text after a closing quote (naming line and column)
 * @example
 * ```ts
 * const tok = csvTokenizer('big.csv', (r) => rows++);
 * for await (const chunk of createReadStream('big.csv')) tok.push(chunk);
 * tok.end();
 * ```
 * @see {@link scanCsv}
 */
export function csvTokenizer(file: string, onRecord: (r: CsvRecord) => void): CsvTokenizer {
  let bytes = new Uint8Array(1024);
  let start = new Int32Array(64), end = new Int32Array(64);
  const rec: CsvRecord = { count: 0, line: 1, bytes, start, end };
  let len = 0, cells = 0, line = 1, recLine = 1;
  // state: 0 start of cell, 1 in unquoted cell, 2 in quoted cell, 3 quote seen inside quoted cell, 4 after closing quote
  let state = 0, cellStart = 0, lastNonSpace = 0, quoteLine = 0, quoteCell = 0, prevCR = false;
  // the first three bytes are held back until they are known to be (or not to be) a byte-order mark
  let head: Uint8Array | null = new Uint8Array(3), headLen = 0;
  const push = (b: number): void => {
    if (len === bytes.length) {
      const nb = new Uint8Array(bytes.length * 2);
      nb.set(bytes);
      bytes = nb;
      rec.bytes = nb;
    }
    bytes[len++] = b;
  };
  const endCell = (): void => {
    if (cells === start.length) {
      const ns = new Int32Array(cells * 2), ne = new Int32Array(cells * 2);
      ns.set(start); ne.set(end);
      start = ns; end = ne; rec.start = ns; rec.end = ne;
    }
    start[cells] = cellStart;
    end[cells] = state === 1 ? lastNonSpace : len;
    cells++;
  };
  const endRecord = (): void => {
    endCell();
    let blank = true;
    for (let c = 0; c < cells && blank; c++) blank = end[c]! === start[c]!;
    if (!blank) {
      rec.count = cells;
      rec.line = recLine;
      onRecord(rec);
    }
    len = 0; cells = 0; state = 0; cellStart = 0; lastNonSpace = 0;
  };
  const scan = (chunk: Uint8Array, from: number, n: number): void => {
    for (let i = from; i < n; i++) {
      const b = chunk[i]!;
      if (prevCR) {
        prevCR = false;
        if (b === LF) { if (state === 2) push(b); continue; } // CRLF: the CR ended the line (inside quotes both are kept)
      }
      if (state === 2) {
        if (b === QUOTE) state = 3;
        else {
          push(b);
          if (b === LF || b === CR) { line++; prevCR = b === CR; }
        }
        continue;
      }
      if (state === 3) {
        if (b === QUOTE) { push(QUOTE); state = 2; continue; }
        state = 4; // the quote closed the cell; fall through to handle b
      }
      if (b === COMMA) {
        endCell();
        state = 0; cellStart = len; lastNonSpace = len;
        continue;
      }
      if (b === LF || b === CR) {
        endRecord();
        line++; recLine = line; prevCR = b === CR;
        continue;
      }
      if (state === 4) {
        if (b === SPACE || b === TAB) continue;
        throw new CsvInputError(file, line, cells + 1, 'text after a closing quote', 'well-formed CSV (RFC 4180 quoting: a quoted cell ends at its closing quote)');
      }
      if (state === 0) {
        if (b === SPACE || b === TAB) continue;
        if (b === QUOTE) { state = 2; quoteLine = line; quoteCell = cells + 1; cellStart = len; continue; }
        state = 1; cellStart = len;
      }
      if (b === QUOTE) {
        throw new CsvInputError(file, line, cells + 1, 'a quote inside an unquoted cell', 'well-formed CSV (RFC 4180 quoting: quote the whole cell and double inner quotes)');
      }
      push(b);
      if (b !== SPACE && b !== TAB) lastNonSpace = len;
    }
  };
  /** Feeds the held-back head: without a byte-order mark its bytes are data. */
  const flushHead = (): void => {
    const h = head!;
    head = null;
    const bom = headLen === 3 && h[0] === 0xef && h[1] === 0xbb && h[2] === 0xbf;
    if (!bom) scan(h, 0, headLen);
  };
  return {
    push(chunk: Uint8Array): void {
      let from = 0;
      if (head !== null) {
        while (headLen < 3 && from < chunk.length) head[headLen++] = chunk[from++]!;
        if (headLen < 3) return;
        flushHead();
      }
      scan(chunk, from, chunk.length);
    },
    end(): void {
      if (head !== null) flushHead();
      if (state === 2) {
        throw new CsvInputError(file, quoteLine, quoteCell, `Quote Not Closed: the quoted cell opened at line ${quoteLine} runs to the end of the file`, 'well-formed CSV (RFC 4180 quoting)');
      }
      if (len > 0 || cells > 0 || state !== 0) endRecord();
    },
  };
}

/**
 * Reads every record of a CSV source and passes it to `onRecord` (blank lines and lines of empty
 * cells are skipped). A byte-order mark is skipped. Lines end with LF, CRLF or CR.
 * @param src - the bytes
 * @param file - the file name for error messages
 * @param onRecord - called once per non-blank record
 * @throws {@link CsvInputError} on an unclosed quote, a quote inside an unquoted cell, or text
 *   after a closing quote (naming line and column)
 * @example
 * ```ts
 * let rows = 0; scanCsv(bytesSource(bytes), 'a.csv', () => rows++);
 * ```
 * @see {@link CsvRecord}, {@link csvTokenizer}
 */
export function scanCsv(src: ByteSource, file: string, onRecord: (r: CsvRecord) => void): void {
  const chunk = new Uint8Array(1 << 16);
  const tok = csvTokenizer(file, onRecord);
  for (let n = src.read(chunk); n > 0; n = src.read(chunk)) tok.push(n === chunk.length ? chunk : chunk.subarray(0, n));
  tok.end();
}

/**
 * The text of cell `c` of a record (UTF-8 decoded).
 * @param r - the record
 * @param c - the cell index
 * @returns the text
 * @example
 * ```ts
 * scanCsv(src, 'a.csv', (r) => cellText(r, 0));
 * ```
 * @see {@link scanCsv}
 */
export function cellText(r: CsvRecord, c: number): string {
  const s = r.start[c]!, e = r.end[c]!;
  let ascii = true;
  for (let i = s; i < e && ascii; i++) ascii = r.bytes[i]! < 128;
  if (ascii && e - s <= 64) return asciiText(r.bytes, s, e);
  return utf8.decode(r.bytes.subarray(s, e));
}

/**
 * A portable binary form of {@link MultiTaskStatistics} (what `mtlearn stats` writes): an 8-byte
 * magic `MTLSTATS`, a little-endian uint32 header length, a UTF-8 JSON header (format version, kind,
 * d, T, task labels, feature names), padding to 8 bytes, then the arrays G, C, yy, xSum, ySum, n as
 * little-endian float64.
 *
 * @packageDocumentation
 */
import type { MultiTaskStatistics } from './statistics.js';
import { checkStatistics } from './statisticsOf.js';

const MAGIC = 'MTLSTATS';
/** The format version written by {@link serializeStatistics}. */
export const STATISTICS_FORMAT_VERSION = 1;

interface Header {
  readonly format: string;
  readonly version: number;
  readonly kind: 'tasks' | 'shared';
  readonly d: number;
  readonly T: number;
  readonly taskLabels: string[];
  readonly featureNames: string[];
}

const FIELDS = ['G', 'C', 'yy', 'xSum', 'ySum', 'n'] as const;

function fieldLengths(kind: 'tasks' | 'shared', d: number, T: number): number[] {
  const blocks = kind === 'tasks' ? T : 1;
  return [blocks * d * d, d * T, T, blocks * d, T, T];
}

/**
 * The statistics as bytes (a file's content).
 * @param s - the statistics
 * @returns the bytes
 * @example
 * ```ts
 * writeFileSync('stats.bin', serializeStatistics(stats));
 * ```
 * @see {@link deserializeStatistics}
 */
export function serializeStatistics(s: MultiTaskStatistics): Uint8Array {
  const header: Header = {
    format: 'mtlearn-statistics', version: STATISTICS_FORMAT_VERSION, kind: s.kind, d: s.d, T: s.T,
    taskLabels: [...s.taskLabels], featureNames: [...s.featureNames],
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = Math.ceil((12 + json.length) / 8) * 8;
  const lengths = fieldLengths(s.kind, s.d, s.T);
  const total = lengths.reduce((a, b) => a + b, 0);
  const bytes = new Uint8Array(start + 8 * total);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(8, json.length, true);
  bytes.set(json, 12);
  const view = new DataView(bytes.buffer, start);
  let o = 0;
  FIELDS.forEach((f) => {
    const a = s[f];
    for (let i = 0; i < a.length; i++, o += 8) view.setFloat64(o, a[i]!, true);
  });
  return bytes;
}

/** What a caller expects of a statistics file; every given field must match. */
export interface StatisticsExpectation {
  /** Number of features. */
  readonly d?: number;
  /** Feature names, in order. */
  readonly featureNames?: readonly string[];
  /** Task labels, in order. */
  readonly taskLabels?: readonly string[];
}

/**
 * Statistics from bytes written by {@link serializeStatistics}, validated ({@link checkStatistics}).
 * @param bytes - the file's content
 * @param expect - what the caller expects (features, tasks); a mismatch is an error
 * @param name - the file name for error messages
 * @returns the statistics
 * @throws RangeError when the bytes are not a statistics file, the version is unknown, the size is
 *   wrong, or the header does not match `expect`
 * @example
 * ```ts
 * const stats = deserializeStatistics(readFileSync('stats.bin'), {}, 'stats.bin');
 * ```
 * @see {@link serializeStatistics}
 */
export function deserializeStatistics(bytes: Uint8Array, expect: StatisticsExpectation = {}, name = 'statistics'): MultiTaskStatistics {
  if (!(bytes instanceof Uint8Array) || bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new RangeError(`${name}: not an mtlearn statistics file (expected the magic bytes ${MAGIC}; write one with \`mtlearn stats\`)`);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = dv.getUint32(8, true);
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + hlen))) as Header;
  } catch {
    throw new RangeError(`${name}: the header is not valid JSON; the file is damaged`);
  }
  if (header.version !== STATISTICS_FORMAT_VERSION) {
    throw new RangeError(`${name}: format version ${String(header.version)}; this mtlearn reads version ${STATISTICS_FORMAT_VERSION}`);
  }
  const { kind, d, T } = header;
  const lengths = fieldLengths(kind, d, T);
  const start = Math.ceil((12 + hlen) / 8) * 8;
  const total = lengths.reduce((a, b) => a + b, 0);
  if (bytes.length !== start + 8 * total) {
    throw new RangeError(`${name}: ${bytes.length} bytes, expected ${start + 8 * total} for d = ${d}, T = ${T} (${kind}); the file is truncated or damaged`);
  }
  if (expect.d !== undefined && expect.d !== d) throw new RangeError(`${name}: has d = ${d} features, expected ${expect.d}`);
  const mismatch = (what: string, got: readonly string[], want: readonly string[] | undefined): void => {
    if (want === undefined) return;
    const i = want.findIndex((w, k) => w !== got[k]);
    if (want.length !== got.length || i >= 0) {
      throw new RangeError(`${name}: ${what} differ: file has ${got.length} (${got.slice(0, 4).join(', ')}${got.length > 4 ? ', …' : ''}), expected ${want.length} (${want.slice(0, 4).join(', ')}${want.length > 4 ? ', …' : ''})${i >= 0 ? `; first difference at position ${i + 1}` : ''}`);
    }
  };
  mismatch('feature names', header.featureNames, expect.featureNames);
  mismatch('task labels', header.taskLabels, expect.taskLabels);
  const arrays: Float64Array[] = [];
  let o = start;
  for (const len of lengths) {
    const a = new Float64Array(len);
    for (let i = 0; i < len; i++, o += 8) a[i] = dv.getFloat64(o, true);
    arrays.push(a);
  }
  const [G, C, yy, xSum, ySum, n] = arrays as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  return checkStatistics({ kind, d, T, G, C, yy, xSum, ySum, n, taskLabels: header.taskLabels, featureNames: header.featureNames });
}

/**
 * `mtlearn stats`: streams a long CSV in constant memory and writes its sufficient statistics
 * (G_t, c_t, y_tᵀy_t, n_t, column sums; `src/data/statisticsFile.ts`) for `mtlearn fit --stats`.
 * Also the statistics input of `fit` (`--stats file` or `--data file --stream`).
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import type { MultiTaskStatistics } from '../../data/statistics.js';
import { deserializeStatistics, serializeStatistics } from '../../data/statisticsFile.js';
import { streamStatistics } from '../../io/statisticsStream.js';
import { InputMismatchError, UsageError, type CliIO } from '../errors.js';
import type { CommandInput } from '../output.js';
import { refuseInputAsOutput, writeOutput } from '../output.js';
import { byteProgress } from '../progress.js';

/**
 * The options of `mtlearn stats`.
 * @example
 * ```ts
 * const o: StatsOpts = { data: 'big.csv', out: 'stats.bin', taskColumn: 'task', responseColumn: 'y' };
 * ```
 * @see {@link cmdStats}
 */
export interface StatsOpts {
  /** Long CSV to read. */
  data: string;
  /** Statistics file to write. */
  out: string;
  /** Task column. */
  taskColumn: string;
  /** Response column. */
  responseColumn: string;
  /** Feature columns (default: every other column). */
  features?: string[];
}

/**
 * Streams `--data` into statistics, with a progress bar of bytes and rows on a terminal.
 * @param o - the data file and its columns
 * @param io - where the bar is drawn
 * @returns the statistics
 * @throws CsvInputError naming file, line and column on malformed input
 * @example
 * ```ts
 * const stats = await streamDataStatistics({ data: 'big.csv', taskColumn: 'task', responseColumn: 'y' }, io);
 * ```
 */
export async function streamDataStatistics(o: Omit<StatsOpts, 'out'>, io: CliIO): Promise<MultiTaskStatistics> {
  let bar: ReturnType<typeof byteProgress> | null = null;
  try {
    return await streamStatistics(o.data, {
      taskColumn: o.taskColumn, responseColumn: o.responseColumn, ...(o.features ? { features: o.features } : {}),
      onProgress: (bytes, total, rows) => {
        bar ??= byteProgress(io.stderr, `reading ${o.data}`, total);
        bar.update(bytes, rows);
      },
    });
  } finally {
    (bar as ReturnType<typeof byteProgress> | null)?.finish();
  }
}

/**
 * Reads a statistics file written by `mtlearn stats`, checking its header against what the command
 * expects (the `--features` given).
 * @param file - the path
 * @param features - the expected feature names, when given
 * @returns the statistics
 * @throws {@link InputMismatchError} (exit status 2) when the file is missing, is not a statistics
 *   file, has another format version, is damaged, or its header does not match
 * @example
 * ```ts
 * const stats = readStatisticsFile('stats.bin', ['x1', 'x2']);
 * ```
 */
export function readStatisticsFile(file: string, features?: readonly string[]): MultiTaskStatistics {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputMismatchError(`${file}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(e)})`}; expected a statistics file written by \`mtlearn stats\``);
  }
  try {
    return deserializeStatistics(bytes, features ? { featureNames: features } : {}, file);
  } catch (e) {
    throw new InputMismatchError(`${(e as Error).message}${/feature names differ/.test((e as Error).message) ? ' (--features)' : ''}`);
  }
}

/**
 * Runs `mtlearn stats`.
 * @param o - the parsed options
 * @param io - output streams
 * @returns when the file is written
 * @example
 * ```ts
 * await cmdStats({ data: 'big.csv', out: 'stats.bin', taskColumn: 'task', responseColumn: 'y' }, io);
 * ```
 * @see {@link StatsOpts}
 */
export async function cmdStats(o: StatsOpts, io: CliIO): Promise<void> {
  const inputs: CommandInput[] = [{ flag: '--data', file: o.data }];
  refuseInputAsOutput(o.out, inputs);
  const stats = await streamDataStatistics(o, io);
  let n = 0;
  for (let t = 0; t < stats.T; t++) n += stats.n[t]!;
  writeOutput(o.out, serializeStatistics(stats), inputs);
  io.stdout.write(`stats: d=${stats.d} T=${stats.T} n=${n} -> ${o.out}\n`);
}

/**
 * The statistics input of `fit`: `--stats file`, or `--data file --stream`.
 * @param o - the fit options
 * @param io - output streams (the progress bar)
 * @returns the statistics and the files they come from
 * @throws {@link UsageError} on a wrong combination of options
 * @example
 * ```ts
 * const { stats } = await fitStatisticsInput({ stats: 'stats.bin', taskColumn: 'task', responseColumn: 'y' }, io);
 * ```
 */
export async function fitStatisticsInput(
  o: { stats?: string; stream?: boolean; data?: string; X?: string; Y?: string; taskColumn: string; responseColumn: string; features?: string[] }, io: CliIO,
): Promise<{ stats: MultiTaskStatistics; files: string[] }> {
  if (o.X !== undefined || o.Y !== undefined) throw new UsageError(`${o.stats !== undefined ? '--stats' : '--stream'} takes the statistics of a long CSV; --X/--Y do not apply`);
  if (o.stats !== undefined) {
    if (o.data !== undefined || o.stream) throw new UsageError('give either --stats file or --data file (with --stream to fit from its streamed statistics), not both');
    return { stats: readStatisticsFile(o.stats, o.features), files: [o.stats] };
  }
  if (o.data === undefined) throw new UsageError('--stream needs --data (the long CSV to stream)');
  return { stats: await streamDataStatistics({ ...o, data: o.data }, io), files: [o.data] };
}

#!/usr/bin/env node
/**
 * The `mtlearn` command line: one small entry; each command is a module of `src/cli/commands/`.
 *
 * ```sh
 * mtlearn fit --model group-lasso --data school.csv --lambda 0.01 --q 2 --out fit.json
 * mtlearn fit --model trace-norm --X X.csv --Y Y.csv --lambda-ratio 0.1 --out fit.json
 * mtlearn stats --data big.csv --out stats.bin        # constant memory; then fit --stats stats.bin
 * mtlearn fit --model group-lasso --stats stats.bin --lambda-ratio 0.1 --out fit.json
 * mtlearn fit --model group-lasso --data big.csv --stream --lambda-ratio 0.1 --out fit.json
 * mtlearn predict --fit fit.json --data new.csv --out pred.csv
 * mtlearn objective --fit fit.json --data school.csv
 * mtlearn plot --fit fit.json --kind heatmap --out w.svg
 * mtlearn path --model group-lasso --data school.csv --n-lambdas 50 --lambda-min-ratio 0.01 --q 2 --out path.json
 * mtlearn cv --model group-lasso --data school.csv --folds 5 --seed 0 --n-lambdas 20 --one-se --out cv.json
 * mtlearn plot --kind path --path path.json --cv cv.json --out path.svg
 * ```
 *
 * Long work draws a progress bar on standard error when it is a terminal, and nothing otherwise.
 *
 * Exit status: 0 success (and `--help`, `--version`, and a closed standard output such as
 * `| head -1`); 1 usage error (unknown option, bad option value, option that does not apply to the
 * model), a failure of the solver, or an output that cannot be written; 2 malformed input (a CSV or
 * fit file that cannot be read as expected — the message names the file, line and column). Output
 * files follow `src/cli/output.ts`: regular files are replaced atomically, anything else is written
 * through, inputs are never overwritten.
 *
 * @packageDocumentation
 */
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { METRIC_NAMES } from '../selection/metrics.js';
import { CsvInputError } from './csv.js';
import { EXIT_INPUT, EXIT_USAGE, InputMismatchError, type CliIO } from './errors.js';
import { FitFileError } from './fitFile.js';
import { CLI_MODELS, findCliModel } from './cliModels.js';
import { addDataOptions, addModelOptions, parseInteger, parseList, parseNames, parseNumber, parseRatio } from './options.js';
import { findPathModel, pathModelNames } from './selection.js';
import { cmdCv, type CvOpts } from './commands/cv.js';
import { cmdFit, type FitOpts } from './commands/fit.js';
import { cmdObjective, type ObjectiveOpts } from './commands/objective.js';
import { cmdPath } from './commands/path.js';
import { cmdPlot, PLOT_KINDS, type PlotOpts } from './commands/plot.js';
import { cmdPredict, type PredictOpts } from './commands/predict.js';
import { cmdStats, type StatsOpts } from './commands/stats.js';
import type { SelectionOpts } from './selectionSetup.js';

export { EXIT_INPUT, EXIT_USAGE, type CliIO } from './errors.js';

/**
 * The package version, from the package.json above this module.
 * @returns e.g. `'0.1.0'`
 * @example
 * ```ts
 * packageVersion(); // '0.1.0'
 * ```
 */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (pkg !== null && typeof pkg === 'object' && 'name' in pkg && pkg.name === 'mtlearn' && 'version' in pkg && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not here: one level up
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

function modelList(): string {
  return CLI_MODELS.map((m) => `  ${m.name.padEnd(19)} ${m.summary}`).join('\n');
}

function buildProgram(io: CliIO): Command {
  const program = new Command('mtlearn')
    .description('Linear multi-task regression: fit, predict, evaluate objectives, plot, regularisation paths and cross-validation.')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)')
    .allowExcessArguments(false)
    .addHelpText('after', `\nModels (--model of fit, path and cv):\n${modelList()}\n\nRun mtlearn <command> --help for the options of a command.\n`);

  addModelOptions(addDataOptions(
    program.command('fit')
      .summary('fit a model and write it as JSON')
      .description(`fit a model and write it as JSON\n\nmodels:\n${modelList()}`)
      .addOption(new Option('--model <name>', 'model').choices(CLI_MODELS.map((m) => m.name)).makeOptionMandatory()),
  ), 'fit')
    .option('--features <list>', 'feature columns of --data, comma-separated (default: every column but the task and response); with --stats, the features the file must have', parseNames)
    .option('--stats <file>', 'fit from a statistics file written by mtlearn stats (squared-loss models that need no rows)')
    .option('--stream', 'stream --data into its sufficient statistics (constant memory) and fit from them', false)
    .option('--no-timings', 'omit timings (byte-identical output for identical input)')
    .requiredOption('--out <file>', 'fit JSON to write')
    .action((o: FitOpts) => cmdFit(o, io));

  program.command('stats')
    .summary('stream a long CSV into its sufficient statistics (for fit --stats)')
    .description('read a long CSV task,y,x1,…,xd as a stream, in constant memory, and write its sufficient statistics (G_t = X_tᵀX_t, X_tᵀy_t, y_tᵀy_t, n_t, column sums) with a header of d, T, task labels, feature names and format version; mtlearn fit --stats fits from them')
    .requiredOption('--data <file>', 'long CSV: header task,y,x1,…,xd, one row per observation')
    .option('--task-column <name>', 'name of the task column of --data', 'task')
    .option('--response-column <name>', 'name of the response column of --data', 'y')
    .option('--features <list>', 'feature columns, comma-separated (default: every column but the task and response)', parseNames)
    .requiredOption('--out <file>', 'statistics file to write')
    .action((o: StatsOpts) => cmdStats(o, io));

  const pathModels = pathModelNames();
  const selectionCommand = (name: 'path' | 'cv', description: string): Command => addModelOptions(addDataOptions(
    program.command(name)
      .summary(description.split(' (')[0]!)
      .description(`${description}\n\nmodels (path parameter in brackets; * = has λ_max, else give --lambdas):\n${pathModels.map((m) => {
        const pm = findPathModel(m);
        return `  ${`${m} [${pm.spec.paramName}]${pm.spec.lambdaMax ? ' *' : ''}`.padEnd(28)} ${findCliModel(m).summary}`;
      }).join('\n')}`)
      .addOption(new Option('--model <name>', 'model').choices(pathModels).makeOptionMandatory()),
  ), name)
    .option('--n-lambdas <integer>', `grid size, geometric from λ_max down (default ${name === 'path' ? 50 : 20})`, parseInteger)
    .option('--lambda-min-ratio <number>', 'smallest grid value as a fraction of λ_max, in (0, 1] (default 0.01)', parseRatio)
    .option('--lambdas <list>', 'explicit values of the path parameter, comma-separated (sorted decreasingly)', parseList);

  selectionCommand('path', 'fit a model along a decreasing grid of its regularisation parameter (warm starts, strong rules) and write the path as JSON')
    .option('--strong-rules', 'use sequential strong rules (group-lasso; opt-in, as in the library: with gap-safe screening they rarely pay)', false)
    .option('--no-timings', 'omit timings (byte-identical output for identical input)')
    .requiredOption('--out <file>', 'path JSON to write')
    .action((o: SelectionOpts) => cmdPath(o, io));

  selectionCommand('cv', 'K-fold cross-validation over the grid (folds within each task), the minimum and one-standard-error choices, and the refit on all data (predict/objective/plot accept the cv JSON as a fit)')
    .option('--folds <integer>', 'number of folds K ≥ 2 (default 5)', parseInteger)
    .addOption(new Option('--metric <name>', 'metric to optimise').choices([...METRIC_NAMES]).default('mse'))
    .option('--one-se', 'refit at the one-standard-error choice instead of the minimum', false)
    .option('--workers <integer>', 'run the folds on this many worker threads (default 1)', parseInteger)
    .option('--no-timings', 'omit timings (byte-identical output for identical input)')
    .requiredOption('--out <file>', 'cv JSON to write')
    .action((o: CvOpts) => cmdCv(o, io));

  addDataOptions(
    program.command('predict')
      .description('predict with a fitted model: long CSV -> task,[y,]prediction per row; --X -> one column per task')
      .requiredOption('--fit <file>', 'fit JSON written by mtlearn fit (or a cv JSON: its refit)'),
  )
    .option('--out <file>', 'CSV to write (default: standard output)')
    .action((o: PredictOpts) => cmdPredict(o, io));

  addDataOptions(
    program.command('objective')
      .description("recompute the model's objective at the fitted W and intercepts on the given data, and print it (its loss scale on standard error)")
      .requiredOption('--fit <file>', 'fit JSON written by mtlearn fit'),
  ).action((o: ObjectiveOpts) => cmdObjective(o, io));

  program.command('plot')
    .description(
      'draw as SVG: of a fit (--fit), the heatmap of Wᵀ, the convergence of the certificate and objective, the singular values of W, '
      + 'the task-similarity matrix M of a clustered model; of a path (--path), the row norms against λ (--kind path, '
      + 'the selected λ from --selected or --cv); of a cv JSON (--cv), the CV curve with ±1 SE bars (--kind cv)',
    )
    .option('--fit <file>', 'fit JSON written by mtlearn fit (or a cv JSON: its refit)')
    .option('--path <file>', 'path JSON written by mtlearn path (--kind path; with --kind cv, a path over the same grid for the axis of non-zero rows)')
    .option('--cv <file>', 'cv JSON written by mtlearn cv (--kind cv; with --kind path, marks its chosen λ)')
    .option('--selected <number>', 'λ to mark on the path picture', parseNumber)
    .addOption(new Option('--kind <kind>', 'picture').choices([...PLOT_KINDS]).makeOptionMandatory())
    .requiredOption('--out <file>', 'SVG file to write')
    .option('--title <text>', 'title of the picture')
    .action((o: PlotOpts) => cmdPlot(o, io));
  return program;
}

/**
 * Runs the command line in-process.
 * @param argv - the arguments after the program name (e.g. `['fit', '--model', 'group-lasso', …]`)
 * @param io - where to write (default: the process's stdout and stderr)
 * @returns the exit status: 0 success, 1 usage error, solver failure or unwritable output, 2 malformed input
 * @example
 * ```ts
 * const code = await run(['objective', '--fit', 'fit.json', '--data', 'school.csv']);
 * ```
 * @see {@link EXIT_INPUT}, {@link EXIT_USAGE}
 */
export async function run(argv: string[], io: CliIO = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; commander already printed its message
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    const msg = e instanceof Error ? e.message : String(e);
    io.stderr.write(`mtlearn: error: ${msg.split('\n')[0]}\n`);
    if (e instanceof CsvInputError || e instanceof FitFileError || e instanceof InputMismatchError) return EXIT_INPUT;
    return EXIT_USAGE;
  }
}

function isEntry(): boolean {
  const arg = process.argv[1];
  if (arg === undefined) return false;
  try {
    return realpathSync(arg) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/**
 * Runs the command line as the process's entry (the executable `bin.ts`, or this file run directly):
 * {@link run} on the process's streams, its status as the exit code.
 * @param argv - the arguments after the script @defaultValue process.argv.slice(2)
 * @example
 * ```ts
 * await runCommandLine(['fit', '--model', 'group-lasso', '--data', 'school.csv', '--out', 'fit.json']);
 * ```
 * @see {@link run}
 */
export async function runCommandLine(argv: string[] = process.argv.slice(2)): Promise<void> {
  // a reader that goes away (`mtlearn predict … | head -1`) ends the command quietly
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    process.stderr.write(`mtlearn: error: standard output: ${e.message}\n`);
    process.exit(EXIT_USAGE);
  });
  process.exitCode = await run(argv);
}

if (isEntry()) await runCommandLine();

/**
 * The contract of a row of the model table (`table.ts`): what model selection, the CLI and the property
 * tests need from a model — its fit, options, path parameter, λ_max and strong-rule screening — and the
 * helpers that check a row at compile time ({@link defineModel}, {@link optionKeys}).
 *
 * @packageDocumentation
 */
import type { FitStatus, MatLike } from '../types.js';
import type { MultiTaskData } from '../data/MultiTaskData.js';

/** What model selection needs from a fit (every mtlearn fit has these). */
export interface ModelFitLike {
  /** Weights d×T. */
  readonly W: { readonly rows: number; readonly cols: number; readonly data: Float64Array };
  /** Intercepts, length T. */
  readonly intercepts: Float64Array;
  /** Objective value. */
  readonly objective: number;
  /** Certificate (duality gap or fixed-point residual). */
  readonly certificate: number;
  /** Iterations performed. */
  readonly iterations: number;
  /** Whether the solver converged. */
  readonly converged: boolean;
  /** Why the solver stopped ('converged' exactly when `converged`). */
  readonly status: FitStatus;
  /** Non-zero rows of W (sparse models). */
  readonly nonzeroRows?: number;
  /** Numerical rank of W (low-rank models). */
  readonly rank?: number;
  /** Rows discarded by the solver's own gap-safe screening (group lasso BCD), when it reports them. */
  readonly screened?: number;
  /** Predictions X w_t + b_t. */
  predict(X: MatLike, task: number): Float64Array;
}

/** Every key of an options type, distributed over unions (form A | form B). */
export type OptionKey<O> = O extends unknown ? keyof O & string : never;

/** The keys of an options type whose values are numbers (candidates for a path parameter). */
export type NumericOptionKey<O> = O extends unknown
  ? { [K in keyof O]-?: NonNullable<O[K]> extends number ? K : never }[keyof O] & string
  : never;

/** A model's options as `path`/`crossValidate` take them: all optional (the grid supplies the varied ones), no `warmStart`. */
export type SelectionOptions<O> = O extends unknown ? Partial<Omit<O, 'warmStart'>> : never;

/**
 * A prepared row-screening rule (see {@link StrongRuleSpec}).
 */
export interface StrongRuleContext {
  /**
   * Writes ‖∇_j L(W)‖_{dual} for every row j (the quantity of the KKT condition of a zero row) and
   * returns the certificate of the full problem at W for the parameter value λ.
   * @param W - full d×T weights
   * @param lambda - the parameter value
   * @param scores - output, length d
   * @returns the certificate (duality gap) of the full problem
   */
  check(W: Float64Array, lambda: number, scores: Float64Array): number;
}

/**
 * A row-screening rule for models whose penalty is a sum of row norms of W (the sequential strong
 * rule of R. Tibshirani, J. Bien, J. Friedman, T. Hastie, N. Simon, J. Taylor & R. Tibshirani,
 * "Strong rules for discarding predictors in lasso-type problems", JRSS B 74, 2012).
 */
export interface StrongRuleSpec<O extends object = object> {
  /**
   * Prepares the rule for one data set and option set.
   * @param data - the full data
   * @param options - the model options (without the path parameter)
   * @returns the evaluator
   */
  prepare(data: MultiTaskData, options: Partial<O>): StrongRuleContext;
}

/**
 * One row of the model table. `O` is the model's options type and `F` its fit type. The methods are
 * declared as methods so that rows of different models live in one table ({@link ModelRow}); a row
 * is always built by {@link defineModel}, which checks it against its model's types.
 */
export interface ModelSpec<O extends object = object, F extends ModelFitLike = ModelFitLike> {
  /** Library name, unique, e.g. `'groupLasso'` (also how worker threads find the model). */
  readonly name: string;
  /** Command-line name, e.g. `'group-lasso'`, or `null` when the command line does not offer it. */
  readonly cliName: string | null;
  /** One-line description of the objective (for `--help` and docs). */
  readonly summary: string;
  /**
   * The model entry point.
   * @param data - the data
   * @param options - the model's options
   * @returns the fit
   */
  fit(data: MultiTaskData, options: O): F;
  /** Every option the model accepts (an unknown key is rejected by path and cross-validation). */
  readonly optionKeys: readonly string[];
  /** The option a regularisation path varies (most regularised = largest value), or `null` (grids of option objects only). */
  readonly pathParam: string | null;
  /**
   * λ_max: the smallest value of the path parameter for which W = 0 is optimal. Absent when the
   * model has none (paths then need an explicit grid).
   * @param data - the data
   * @param options - the other options
   * @returns λ_max
   */
  lambdaMax?(data: MultiTaskData, options: Partial<O>): number;
  /** Sequential strong rule over rows of W, when the penalty is a sum of row norms. */
  readonly strongRule?: StrongRuleSpec<O>;
  /** Whether the model accepts a `warmStart` option (d×T). */
  readonly warmStart: boolean;
  /** Whether the model accepts `taskWeights` (per-task factors of the loss scale s_t). */
  readonly taskWeights: boolean;
  /** URL of a module that registers this row (user models run in worker threads); built-in rows have none. */
  readonly module?: string;
}

/** A row of the table with its types erased (what the table stores). */
export type ModelRow = ModelSpec<object, ModelFitLike>;

/**
 * A model entry point as `path`, `crossValidate` and `fitWithUncertainty` take it.
 */
export type ModelFunction<O extends object, F extends ModelFitLike> = (data: MultiTaskData, options: O) => F;

/**
 * Builds a table row, checking it against the model's types: `pathParam` must be a numeric option,
 * `optionKeys` must come from {@link optionKeys} over the same options type.
 * @param spec - the row
 * @returns the same row
 * @example
 * ```ts
 * const row = defineModel<GroupLassoOptions, GroupLassoFit>({ name: 'groupLasso', fit: groupLasso, pathParam: 'lambda', … });
 * ```
 * @see {@link registerModel}
 */
export function defineModel<O extends object, F extends ModelFitLike>(
  spec: ModelSpec<O, F> & { readonly pathParam: NumericOptionKey<O> | null; readonly optionKeys: readonly OptionKey<O>[] },
): ModelSpec<O, F> {
  return spec;
}

/**
 * The option names of an options type, from an object that must list each of them exactly once
 * (the compiler rejects a missing or an extra key).
 * @param keys - `{ option: true, … }` over every option
 * @returns the option names
 * @example
 * ```ts
 * optionKeys<{ a: number; b?: string }>({ a: true, b: true }); // ['a', 'b']
 * ```
 * @see {@link defineModel}
 */
export function optionKeys<O>(keys: Record<OptionKey<O>, true>): OptionKey<O>[] {
  return Object.keys(keys) as OptionKey<O>[];
}

/**
 * Seeded pseudo-random numbers: every random choice in mtlearn (k-means++ starts, initialisations,
 * cross-validation folds) draws from these, so the same seed gives the same result.
 *
 * @packageDocumentation
 */

/**
 * mulberry32: a small, fast 32-bit seeded generator of uniforms on [0, 1).
 * @param seed - any integer (taken modulo 2³²)
 * @returns a function returning the next uniform draw
 * @example
 * ```ts
 * const rnd = mulberry32(7);
 * rnd(); // the same value on every run
 * ```
 * @see {@link gaussianSampler}
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Standard normal draws (Box–Muller, one draw per pair of uniforms) from a uniform source.
 * @param rand - a uniform generator on [0, 1), e.g. {@link mulberry32}
 * @returns a function returning the next N(0, 1) draw
 * @example
 * ```ts
 * const g = gaussianSampler(mulberry32(1));
 * g(); // N(0, 1)
 * ```
 * @see {@link mulberry32}
 */
export function gaussianSampler(rand: () => number): () => number {
  return () => {
    let u = rand();
    while (u <= 0) u = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
}

/**
 * Seeded pseudo-random numbers for the simulator's jitter.
 *
 * mulberry32: a 32-bit state generator, small and fast, with the same sequence
 * on every JavaScript engine (it only uses Math.imul and 32-bit shifts), which
 * is what makes the committed sample traces reproducible byte for byte.
 * Statistical quality is irrelevant here: it only perturbs durations by a few
 * percent so the sample does not look machine-made.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** `value` scaled by a uniform factor in [1 - rel, 1 + rel]. */
  jitter(value: number, rel: number): number;
  /** Uniform integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number;
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    jitter: (value, rel) => value * (1 + rel * (2 * next() - 1)),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
  };
}

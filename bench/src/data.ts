// Seeded inputs: every workload draws its data from a named seed (never Math.random),
// so two runs, and every implementation within a run, see the same numbers.
import { Rng } from '@xent/tensor';
import type { FloatDType } from './runner.js';

/** n values uniform in [lo, hi). */
export function uniform(n: number, seed: number, lo = -1, hi = 1): Float64Array {
  const rng = new Rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform(lo, hi);
  return out;
}

/** n values from N(mean, std²). */
export function normal(n: number, seed: number, mean = 0, std = 1): Float64Array {
  const rng = new Rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + std * rng.normal();
  return out;
}

/** The values in the workload's dtype (a float32 copy, rounded once, or the array itself). */
export function inDType(x: Float64Array, dtype: FloatDType): Float64Array | Float32Array {
  return dtype === 'float64' ? x : Float32Array.from(x);
}

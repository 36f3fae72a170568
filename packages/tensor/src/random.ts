/**
 * Seeded random numbers. Everything random in xent (rand, randn, gradCheck's
 * dy, data shuffles) goes through a named generator, never Math.random, so
 * every run can be replayed from its seed.
 */
import { XentError, checkArgCount } from './errors.js';
import { formatValue } from './input.js';

/** mulberry32 with a named seed: next, uniform, normal, int, permutation. */
export class Rng {
  private state: number;
  /**
   * A generator from a seed: any safe whole number, taken mod 2³² (so Date.now() works). Another value
   * (1.5, '1', NaN) is INVALID_ARGUMENT: it would silently stand for some other seed's stream.
   * Every method refuses an argument past its own (rng.normal(5, 2) drew N(0, 1), rng.int(5, 10) drew from [0, 5)).
   */
  constructor(readonly seed: number) {
    checkArgCount('Rng', arguments.length, 1, 'pass the seed only, e.g. new Rng(0)');
    if (!Number.isSafeInteger(seed)) {
      throw new XentError('INVALID_ARGUMENT', `Rng: the seed is ${formatValue(seed)}; pass a whole number, e.g. new Rng(0).`);
    }
    this.state = seed >>> 0;
  }
  /** mulberry32: a 32-bit generator, uniform in [0, 1). */
  next(): number {
    checkArgCount('Rng.next', arguments.length, 0, 'it draws from [0, 1): for [lo, hi) call rng.uniform(lo, hi)');
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Uniform in [lo, hi). */
  uniform(lo = 0, hi = 1): number {
    checkArgCount('Rng.uniform', arguments.length, 2, 'pass (lo, hi)');
    const u = this.next();
    const span = hi - lo;
    // A span beyond the float range (lo = −1e308, hi = 1e308) would give ±Infinity: mix the ends instead.
    return Number.isFinite(span) ? lo + span * u : lo * (1 - u) + hi * u;
  }
  /** Standard normal by Box–Muller. */
  normal(): number {
    checkArgCount('Rng.normal', arguments.length, 0, 'it draws from N(0, 1): for N(mean, std²) compute mean + std * rng.normal()');
    let u = 0;
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  /** An integer in [0, n), for a whole n ≥ 1 (another n is INVALID_ARGUMENT). */
  int(n: number): number {
    checkArgCount('Rng.int', arguments.length, 1, 'it draws from [0, n): for [lo, hi) compute lo + rng.int(hi - lo)');
    if (!(Number.isSafeInteger(n) && n >= 1)) {
      throw new XentError('INVALID_ARGUMENT', `Rng.int: n is ${formatValue(n)}; pass a whole number ≥ 1 (the values are 0 … n − 1).`);
    }
    return Math.floor(this.next() * n);
  }
  /** Fisher–Yates shuffle of 0..n-1, for a whole n in [0, 2³¹) (another n is INVALID_ARGUMENT). */
  permutation(n: number): Int32Array {
    checkArgCount('Rng.permutation', arguments.length, 1, 'pass the number of items n');
    if (!(Number.isInteger(n) && n >= 0 && n < 2 ** 31)) {
      throw new XentError('INVALID_ARGUMENT', `Rng.permutation: n is ${formatValue(n)}; pass a whole number of items, 0 ≤ n < 2³¹.`);
    }
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1)); // uniform in [0, i]
      const tmp = p[i];
      p[i] = p[j];
      p[j] = tmp;
    }
    return p;
  }
}

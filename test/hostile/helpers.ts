// Shared checks of the hostile-input suite. A probe passes when xent either
// gives the right answer (checked against an independent reference written
// here: naive loops, closed forms, central differences) or refuses with an
// XentError that has a code and a message that names the function and says
// what to do. A raw TypeError/RangeError, a silent wrong number or a refusal
// without a fix all fail.
import { expect } from 'vitest';
import { Tensor, XentError, type XentErrorCode } from '@xent/tensor';

/** Words a message uses to tell the user what to do. */
const FIX =
  /\b(pass|use|make|give|call|create|set|remove|pick|reduce|wrap|round|convert|parse|fill|clip|replace|declare|list|add|recompute|reshape|choose|return|drop|keep|register|move|compute|write|lower|shrink|train|detach|run|must|expected|expects|needs?|only|cannot|can't|should|did you mean|e\.g\.|the options (here )?are|options are|here)\b/i;

/**
 * Runs f and asserts it throws an XentError: with `code` when given, a message
 * that starts with the function's name ("name: …"), contains every fragment,
 * and says what to do. Returns the error.
 */
export function refuses(f: () => unknown, code?: XentErrorCode, ...fragments: (string | RegExp)[]): XentError {
  let caught: unknown = undefined;
  let returned: unknown = undefined;
  try {
    returned = f();
  } catch (e) {
    caught = e;
  }
  if (caught === undefined) {
    const shown = returned instanceof Tensor ? returned.toString() : String(returned);
    expect.fail(`expected an XentError${code ? ` (${code})` : ''}, but the call returned ${shown.slice(0, 200)}`);
  }
  if (!(caught instanceof XentError)) {
    expect.fail(`expected an XentError${code ? ` (${code})` : ''}, got ${String(caught).slice(0, 300)}`);
  }
  const err = caught as XentError;
  if (code) expect(err.code, err.message).toBe(code);
  expect(typeof err.code).toBe('string');
  expect(err.message, 'the message names the function first').toMatch(/^[\w.$ ()[\]'@/-]+:/);
  expect(err.message, 'the message says what to do').toMatch(FIX);
  for (const frag of fragments) expect(err.message).toMatch(frag);
  return err;
}

/** Either a refusal (as in refuses) or a result that `check` accepts: for probes where both are right. */
export function refusesOr(f: () => unknown, check: (result: unknown) => void): void {
  let result: unknown;
  try {
    result = f();
  } catch (e) {
    if (e instanceof XentError) {
      refuses(() => {
        throw e;
      });
      return;
    }
    throw e;
  }
  check(result);
}

/** The values of a tensor as a plain number array (row-major). */
export function flat(t: Tensor): number[] {
  return Array.from(t.values());
}

/** |a − b| ≤ atol + rtol·|b| elementwise, NaN only against NaN and ±Infinity only against itself. */
export function expectClose(actual: Tensor | number[] | number, expected: number[] | number, rtol = 1e-10, atol = 1e-12): void {
  const a = actual instanceof Tensor ? flat(actual) : typeof actual === 'number' ? [actual] : actual;
  const e = typeof expected === 'number' ? [expected] : expected;
  expect(a.length).toBe(e.length);
  for (let i = 0; i < e.length; i++) {
    if (Number.isNaN(e[i]) || !Number.isFinite(e[i])) {
      expect(a[i], `entry ${i}`).toBe(e[i]);
      continue;
    }
    expect(Number.isFinite(a[i]), `entry ${i} is ${a[i]}, expected ${e[i]}`).toBe(true);
    expect(Math.abs(a[i] - e[i]), `entry ${i}: ${a[i]} vs ${e[i]}`).toBeLessThanOrEqual(atol + rtol * Math.abs(e[i]));
  }
}

// ---------------------------------------------------------------- independent references

/** log Σ e^{z_c}, max-shifted. */
export function lse(z: readonly number[]): number {
  const m = Math.max(...z);
  if (!Number.isFinite(m)) return m;
  let s = 0;
  for (const v of z) s += Math.exp(v - m);
  return m + Math.log(s);
}

/** softmax of one row. */
export function softmaxRow(z: readonly number[]): number[] {
  const l = lse(z);
  return z.map((v) => Math.exp(v - l));
}

/** −Σ_c y_c (z_c − lse(z)) for one row (0·(−∞) = 0). */
export function softmaxCeRow(y: readonly number[], z: readonly number[]): number {
  const l = lse(z);
  let s = 0;
  for (let c = 0; c < z.length; c++) if (y[c] !== 0) s -= y[c] * (z[c] - l);
  return s;
}

/** The gradient of softmaxCeRow with respect to z: (Σy)·softmax(z) − y. */
export function softmaxCeGradRow(y: readonly number[], z: readonly number[]): number[] {
  const p = softmaxRow(z);
  const k = y.reduce((a, b) => a + b, 0);
  return p.map((pc, c) => k * pc - y[c]);
}

/** σ(z), stable for both signs. */
export function sigmoidRef(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** Sigmoid cross entropy with logits: max(z, 0) − z·y + log1p(e^−|z|). */
export function sigmoidCeRef(y: number, z: number): number {
  return Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
}

/** Central difference of a scalar function of a flat vector, at index i. */
export function centralDiff(f: (x: number[]) => number, x: readonly number[], i: number, h = 1e-6): number {
  const xp = x.slice();
  const xm = x.slice();
  xp[i] += h;
  xm[i] -= h;
  return (f(xp) - f(xm)) / (2 * h);
}

/** Nested rows from a flat array. */
export function rows(values: readonly number[], cols: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < values.length; i += cols) out.push(values.slice(i, i + cols));
  return out;
}

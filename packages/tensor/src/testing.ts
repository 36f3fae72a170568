import { tensor, type TensorLike } from './create.js';
import { checkArgCount, fmtShape } from './errors.js';
import { sameShape } from './layout.js';
import { booleanOption, numberOption, parseOptions } from './options.js';
import { Tensor, readFlat } from './tensor.js';

/** Tolerances of allClose, compareClose and toBeAllClose: |a − b| ≤ atol + rtol·|b|. */
export interface AllCloseOptions {
  /** Relative tolerance (default 1e-7). */
  rtol?: number;
  /** Absolute tolerance (default 1e-9). */
  atol?: number;
  /** Treat NaN as equal to NaN (default false). */
  equalNaN?: boolean;
}

/** compareClose's verdict: whether all elements are close, why not, the largest |a − b| and where. */
export interface CloseReport {
  /** True when every element is within tolerance (and the shapes agree). */
  ok: boolean;
  /** Why it failed, or '' when it passed. */
  reason: string;
  /** The largest |actual − expected| (NaN where one side is NaN and equalNaN is off). */
  maxAbsDiff: number;
  /** The flat (row-major) index of the element that failed, or −1 when all passed or the shapes differ. */
  worstIndex: number;
}

// Checked by the shared validator: a misspelt tolerance ({ rTol }) or equalNaN: 'false' would otherwise pass silently.
const CLOSE_OPTIONS = { rtol: numberOption(1e-7, '[0, ∞]'), atol: numberOption(1e-9, '[0, ∞]'), equalNaN: booleanOption(false) };

/** How to call compareClose, allClose and toBeAllClose, for a call with more than three arguments. */
const CLOSE_CALL = 'pass (actual, expected, { rtol, atol, equalNaN }), every tolerance in one object';

function toT(x: unknown): Tensor {
  return x instanceof Tensor ? x : tensor(x as TensorLike);
}

/** Elementwise |a − b| ≤ atol + rtol·|b| (numpy.allclose), with shapes compared exactly. */
export function compareClose(actual: unknown, expected: unknown, options?: AllCloseOptions): CloseReport {
  checkArgCount('compareClose', arguments.length, 3, CLOSE_CALL);
  return closeReport('compareClose', actual, expected, options);
}

// compareClose, with the caller's name in an option's refusal.
function closeReport(owner: string, actual: unknown, expected: unknown, options: AllCloseOptions | undefined): CloseReport {
  const { rtol, atol, equalNaN } = parseOptions(owner, options, CLOSE_OPTIONS);
  const a = toT(actual);
  const b = toT(expected);
  const sa = a.shape;
  const sb = b.shape;
  if (!sameShape(sa, sb)) {
    return { ok: false, reason: `shape ${fmtShape(sa)} differs from the expected ${fmtShape(sb)}`, maxAbsDiff: Infinity, worstIndex: -1 };
  }
  const x = readFlat(a);
  const y = readFlat(b);
  let worst = -1;
  let worstExcess = 0;
  let maxAbs = 0;
  for (let i = 0; i < x.length; i++) {
    const u = x[i];
    const v = y[i];
    if (u !== u || v !== v) {
      if (equalNaN && u !== u && v !== v) continue;
      return { ok: false, reason: `index ${i}: ${u} vs expected ${v}`, maxAbsDiff: NaN, worstIndex: i };
    }
    if (u === v) continue; // also covers equal infinities
    const d = Math.abs(u - v);
    if (d > maxAbs) maxAbs = d;
    // An infinity matches only the same infinity (numpy.allclose): with expected = ±∞,
    // rtol·|expected| is ∞ (or NaN when rtol = 0) and would otherwise accept any value.
    const excess = Number.isFinite(u) && Number.isFinite(v) ? d - (atol + rtol * Math.abs(v)) : Infinity;
    if (excess > worstExcess || (excess > 0 && worst < 0)) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    return {
      ok: false,
      reason: `worst at flat index ${worst}: ${x[worst]} vs expected ${y[worst]} (|diff| ${Math.abs(x[worst] - y[worst]).toExponential(3)} > atol ${atol} + rtol ${rtol}·|expected|)`,
      maxAbsDiff: maxAbs,
      worstIndex: worst,
    };
  }
  return { ok: true, reason: '', maxAbsDiff: maxAbs, worstIndex: -1 };
}

/** numpy.allclose for tensors or nested arrays. */
export function allClose(actual: unknown, expected: unknown, options?: AllCloseOptions): boolean {
  checkArgCount('allClose', arguments.length, 3, CLOSE_CALL);
  return closeReport('allClose', actual, expected, options).ok;
}

/** The largest elementwise |a − b|. */
export function maxAbsDiff(a: unknown, b: unknown): number {
  checkArgCount(
    'maxAbsDiff',
    arguments.length,
    2,
    'it takes no tolerances; pass (a, b), or call compareClose(a, b, { rtol, atol, equalNaN })',
  );
  return closeReport('maxAbsDiff', a, b, { rtol: 0, atol: Infinity }).maxAbsDiff;
}

/** A vitest/jest matcher: expect(t).toBeAllClose(expected, { rtol, atol }). Register with expect.extend({ toBeAllClose }). */
export function toBeAllClose(received: unknown, expected: unknown, options?: AllCloseOptions): { pass: boolean; message: () => string } {
  checkArgCount('toBeAllClose', arguments.length, 3, CLOSE_CALL);
  const r = closeReport('toBeAllClose', received, expected, options);
  return {
    pass: r.ok,
    message: () =>
      r.ok ? `expected values not to be all close (max |diff| ${r.maxAbsDiff})` : `expected values to be all close: ${r.reason}`,
  };
}

// The WebAssembly exp/log1p and fused cross-entropy kernels against Math.exp / Math.log1p and the JS kernels.
import { afterEach, describe, expect, it } from 'vitest';
import { Rng, getBackend, setBackend, type Backend } from '@xent/tensor';
import {
  sigmoidCrossEntropyKernel,
  softmaxCrossEntropyKernel,
  sparseSoftmaxCrossEntropyKernel,
  wasmSoftmaxCrossEntropyBackward,
} from '@xent/tensor/internal';
import { scratch, wasmKernels } from '../src/wasm/runtime.js';

const initial: Backend = getBackend();
afterEach(() => setBackend(initial));

const wasmAvailable = ((): boolean => {
  try {
    setBackend('wasm');
    return true;
  } catch {
    return false;
  } finally {
    setBackend(initial);
  }
})();

/** Distance in units in the last place between two doubles (0 for equal, both NaN, or ±0). */
function ulps(a: number, b: number): number {
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b) || Number.isNaN(a) || Number.isNaN(b)) return Infinity;
  const bits = new BigInt64Array(new Float64Array([a, b]).buffer);
  // Map the sign-magnitude bit patterns onto a line where neighbouring doubles are 1 apart.
  const line = (x: bigint): bigint => (x < 0n ? -(x & 0x7fffffffffffffffn) : x);
  const d = line(bits[0]) - line(bits[1]);
  return Number(d < 0n ? -d : d);
}

/** Runs the module's exp_f64 or log1p_f64 over xs and returns the worst ulp distance to `ref` with its argument. */
function worstUlps(name: 'exp_f64' | 'log1p_f64', xs: Float64Array, ref: (x: number) => number): { ulps: number; at: number } {
  setBackend('wasm');
  const k = wasmKernels()!;
  const n = xs.length;
  const yAt = Math.ceil(n / 2) * 16;
  const { f64 } = scratch(k, 2 * yAt + 16);
  f64.set(xs, 0);
  k[name](0, yAt, n);
  let worst = { ulps: 0, at: NaN };
  for (let i = 0; i < n; i++) {
    const d = ulps(f64[yAt / 8 + i], ref(xs[i]));
    if (d > worst.ulps) worst = { ulps: d, at: xs[i] };
  }
  return worst;
}

describe.runIf(wasmAvailable)('vectorised exp and log1p (float64)', () => {
  it('exp is within 2 ulp of Math.exp over the whole range, subnormal results, overflow and specials included', () => {
    const n = 400_001;
    const sweep = Float64Array.from({ length: n }, (_, i) => -760 + (i / (n - 1)) * 1480); // past both ends
    expect(worstUlps('exp_f64', sweep, Math.exp).ulps).toBeLessThanOrEqual(2);
    const rng = new Rng(3);
    const small = Float64Array.from({ length: 100_001 }, () => rng.uniform(-1, 1) * 2 ** rng.uniform(-60, 0));
    expect(worstUlps('exp_f64', small, Math.exp).ulps).toBeLessThanOrEqual(2);
    const special = new Float64Array([
      NaN,
      Infinity,
      -Infinity,
      0,
      -0,
      709.782712893384,
      709.7827128933841,
      -745.1332191019411,
      -745.1332191019412,
      -708.4,
      1e-300,
      -1e-300,
      5e-324,
    ]);
    expect(worstUlps('exp_f64', special, Math.exp).ulps).toBe(0);
  });

  it('log1p is within 2 ulp of Math.log1p on (−1, ∞), near −1, near 0, huge, and at the specials', () => {
    const rng = new Rng(4);
    const nearMinusOne = Float64Array.from({ length: 100_001 }, () => -1 + 2 ** rng.uniform(-52, 0));
    const positive = Float64Array.from({ length: 200_001 }, () => 2 ** rng.uniform(-1074, 1023));
    const negative = Float64Array.from({ length: 100_001 }, () => -(2 ** rng.uniform(-1074, -1)));
    for (const xs of [nearMinusOne, positive, negative]) expect(worstUlps('log1p_f64', xs, Math.log1p).ulps).toBeLessThanOrEqual(2);
    const special = new Float64Array([NaN, Infinity, -Infinity, 0, -0, -1, -2, 1e308, Number.MAX_VALUE, 5e-324, -5e-324]);
    expect(worstUlps('log1p_f64', special, Math.log1p).ulps).toBe(0);
  });
});

/** Runs f on both backends with fresh outputs from make(), and returns both. */
function bothWays<T>(make: () => T, f: (out: T) => void): [wasm: T, js: T] {
  const w = make();
  setBackend('wasm');
  f(w);
  const j = make();
  setBackend('js');
  f(j);
  return [w, j];
}

/**
 * |got − want| ≤ 1e-12·|want| + 1e-15: relative, plus a few ε absolute for losses near 0, where
 * (m − z_y) + log s cancels and the two paths' sums s (added in another order) differ by an ulp.
 */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, rtol = 1e-12, atol = 1e-15): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(want[i])) expect(got[i]).toBeNaN();
    else if (!Number.isFinite(want[i])) expect(got[i]).toBe(want[i]);
    else expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(rtol * Math.abs(want[i]) + atol);
  }
}

/** Logits with large, tiny and ±1e4 entries; targets with exact zeros; sizes with odd class counts. */
function logits(rng: Rng, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => (i % 37 === 5 ? 1e4 : i % 41 === 7 ? -1e4 : rng.normal() * 8));
}

describe.runIf(wasmAvailable)('fused cross-entropy kernels: wasm and JS agree to 1e-12 relative', () => {
  const shapes: [number, number][] = [
    [7, 13],
    [64, 10],
    [33, 2],
    [5, 1001],
    [128, 3],
  ];

  it('softmax: loss, e^{z−m}, row sums and target sums, with and without residuals', () => {
    const rng = new Rng(21);
    for (const [rows, cols] of shapes) {
      const z = logits(rng, rows * cols);
      const p = Float64Array.from({ length: rows * cols }, () => (rng.uniform(0, 1) < 0.3 ? 0 : rng.uniform(0, 1)));
      const make = () => ({
        loss: new Float64Array(rows),
        e: new Float64Array(rows * cols),
        s: new Float64Array(rows),
        ps: new Float64Array(rows),
      });
      const [w, j] = bothWays(make, (o) => softmaxCrossEntropyKernel(p, z, rows, cols, o.loss, o.e, o.s, o.ps));
      expectClose(w.loss, j.loss);
      expectClose(w.e, j.e);
      expectClose(w.s, j.s);
      expectClose(w.ps, j.ps);
      const [w2, j2] = bothWays(
        () => new Float64Array(rows),
        (loss) => softmaxCrossEntropyKernel(p, z, rows, cols, loss, null, null, null),
      );
      expectClose(w2, j2);
      expectClose(w2, j.loss);
    }
  });

  it('softmax: a −∞ logit where the target is 0 adds nothing; float32 targets are read as float64', () => {
    const rows = 16;
    const cols = 9;
    const rng = new Rng(22);
    const z = logits(rng, rows * cols);
    for (let r = 0; r < rows; r++) z[r * cols + (r % cols)] = -Infinity;
    const p = Float32Array.from({ length: rows * cols }, (_, i) => (i % cols === (Math.floor(i / cols) + 1) % cols ? 1 : 0));
    const [w, j] = bothWays(
      () => new Float64Array(rows),
      (loss) => softmaxCrossEntropyKernel(p, z, rows, cols, loss, null, null, null),
    );
    expectClose(w, j);
    for (const v of w) expect(Number.isFinite(v)).toBe(true);
  });

  it('sparse: loss and residuals, ignored rows (label −1) give 0 and zero residuals', () => {
    const rng = new Rng(23);
    for (const [rows, cols] of shapes) {
      const z = logits(rng, rows * cols);
      const labels = Int32Array.from({ length: rows }, (_, r) => (r % 5 === 3 ? -1 : Math.floor(rng.uniform(0, cols))));
      const make = () => ({ loss: new Float64Array(rows), e: new Float64Array(rows * cols), s: new Float64Array(rows) });
      const [w, j] = bothWays(make, (o) => sparseSoftmaxCrossEntropyKernel(labels, z, rows, cols, o.loss, o.e, o.s));
      expectClose(w.loss, j.loss);
      expectClose(w.e, j.e);
      expectClose(w.s, j.s);
      if (rows > 3) expect(w.loss[3]).toBe(0);
    }
  });

  it('sigmoid: loss and σ(z), and with posWeight loss and σ(−z), at ±1e4 too', () => {
    const rng = new Rng(24);
    for (const n of [65, 100, 4097]) {
      const z = logits(rng, n);
      const p = Float64Array.from({ length: n }, () => rng.uniform(0, 1));
      const pw = Float64Array.from({ length: n }, () => rng.uniform(0.5, 3));
      const make = () => ({ loss: new Float64Array(n), sig: new Float64Array(n), neg: new Float64Array(n) });
      const [w, j] = bothWays(make, (o) => sigmoidCrossEntropyKernel(p, z, null, n, o.loss, o.sig, null));
      expectClose(w.loss, j.loss);
      expectClose(w.sig, j.sig);
      const [w2, j2] = bothWays(make, (o) => sigmoidCrossEntropyKernel(p, z, pw, n, o.loss, null, o.neg));
      expectClose(w2.loss, j2.loss);
      expectClose(w2.neg, j2.neg);
      for (const v of w2.loss) expect(Number.isFinite(v)).toBe(true);
    }
  });

  it('NaN logits give NaN losses on both paths', () => {
    const rows = 8;
    const cols = 11;
    const z = logits(new Rng(25), rows * cols);
    z[3] = NaN;
    const p = new Float64Array(rows * cols).fill(1 / cols);
    const [w, j] = bothWays(
      () => new Float64Array(rows),
      (loss) => softmaxCrossEntropyKernel(p, z, rows, cols, loss, null, null, null),
    );
    expect(w[0]).toBeNaN();
    expectClose(w, j);
  });
});

/** Runs f on each available backend ('js' always, 'wasm' when this engine has it). */
function onEachBackend(f: (backend: Backend) => void): void {
  for (const b of wasmAvailable ? (['wasm', 'js'] as const) : (['js'] as const)) {
    setBackend(b);
    f(b);
  }
}

/** Σ of the values, in order (what the JS loops add up). */
const total = (xs: ArrayLike<number>): number => Array.from(xs).reduce((a, b) => a + b, 0);

describe('fused cross-entropy kernels: Σ loss and the target check in the same pass', () => {
  const rows = 40;
  const cols = 7; // 280 logits: above the wasm threshold; odd, so the last pair is half empty
  const rng = new Rng(26);
  const z = logits(rng, rows * cols);
  const hot = Float64Array.from({ length: rows * cols }, (_, i) => (i % cols === Math.floor(i / cols) % cols ? 1 : 0));
  const unit = Float64Array.from({ length: rows * cols }, () => rng.uniform(0, 1));

  it('each kernel returns the sum of the loss values it writes; sigmoid gives the same sum without writing them', () => {
    onEachBackend(() => {
      const loss = new Float64Array(rows);
      expectClose([softmaxCrossEntropyKernel(hot, z, rows, cols, loss, null, null, null, true)], [total(loss)]);
      const labels = Int32Array.from({ length: rows }, (_, r) => (r % 9 === 4 ? -1 : r % cols));
      expectClose([sparseSoftmaxCrossEntropyKernel(labels, z, rows, cols, loss, null, null)], [total(loss)]);
      const n = rows * cols;
      const values = new Float64Array(n);
      const withValues = sigmoidCrossEntropyKernel(unit, z, null, n, values, null, null, true);
      expectClose([withValues], [total(values)]);
      expect(sigmoidCrossEntropyKernel(unit, z, null, n, null, null, null, true)).toBe(withValues);
    });
  });

  it('checkTargets: NaN exactly when a target is outside [0, 1] or NaN, or (softmax) a row sums to 1 ± more than 1e-3', () => {
    onEachBackend((b) => {
      const loss = new Float64Array(rows);
      const n = rows * cols;
      const soft = (edit: (p: Float64Array) => void): number => {
        const p = hot.slice();
        edit(p);
        return softmaxCrossEntropyKernel(p, z, rows, cols, loss, null, null, null, true);
      };
      const sig = (edit: (p: Float64Array) => void): number => {
        const p = unit.slice();
        edit(p);
        return sigmoidCrossEntropyKernel(p, z, null, n, null, null, null, true);
      };
      expect(
        soft(() => {}),
        b,
      ).not.toBeNaN();
      expect(
        soft((p) => (p[3 * cols + 3] = 1 - 9e-4)),
        b,
      ).not.toBeNaN(); // row 3 sums to 0.9991: within the tolerance
      expect(
        soft((p) => (p[3 * cols + 3] = 0.998)),
        b,
      ).toBeNaN(); // row 3 sums to 0.998
      expect(
        soft((p) => (p[3 * cols] = 0.5)),
        b,
      ).toBeNaN(); // row 3 sums to 1.5
      expect(
        soft((p) => ((p[5 * cols] = -0.5), (p[5 * cols + 1] = 1.5))),
        b,
      ).toBeNaN(); // sums to 1, outside [0, 1]
      expect(
        soft((p) => (p[n - 1] = NaN)),
        b,
      ).toBeNaN(); // the last (odd) element
      expect(
        sig(() => {}),
        b,
      ).not.toBeNaN();
      expect(
        sig((p) => (p[n - 1] = 1.0000001)),
        b,
      ).toBeNaN();
      expect(
        sig((p) => (p[17] = -1e-300)),
        b,
      ).toBeNaN();
      expect(
        sig((p) => (p[0] = NaN)),
        b,
      ).toBeNaN();
      // Without the check, the same bad targets give a number.
      const p = unit.slice();
      p[17] = 2;
      expect(sigmoidCrossEntropyKernel(p, z, null, n, null, null, null, false), b).not.toBeNaN();
    });
  });
});

/** Distance in float32 units in the last place between two float32 values (0 for equal, both NaN, or ±0). */
function ulps32(a: number, b: number): number {
  if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b) || Number.isNaN(a) || Number.isNaN(b)) return Infinity;
  const bits = new Int32Array(new Float32Array([a, b]).buffer);
  const line = (x: number): number => (x < 0 ? -(x & 0x7fffffff) : x);
  return Math.abs(line(bits[0]) - line(bits[1]));
}

/** Runs the module's float32 exp (f = 0) or log1p (f = 1) over xs; the worst float32 ulp distance to ref rounded to float32. */
function worstUlps32(f: 0 | 1, xs: Float32Array, ref: (x: number) => number): { ulps: number; at: number } {
  setBackend('wasm');
  const k = wasmKernels()!;
  const n = xs.length;
  const yAt = Math.ceil(n / 4) * 16 + 16;
  const { f32 } = scratch(k, 2 * yAt + 16);
  f32.set(xs, 0);
  k.unary_f32(0, yAt, n, f);
  let worst = { ulps: 0, at: NaN };
  for (let i = 0; i < n; i++) {
    const d = ulps32(f32[yAt / 4 + i], Math.fround(ref(xs[i])));
    if (d > worst.ulps) worst = { ulps: d, at: xs[i] };
  }
  return worst;
}

describe.runIf(wasmAvailable)('vectorised exp and log1p (float32)', () => {
  // Every 997th float32 bit pattern: both signs, every exponent (subnormals, ±∞ and NaNs included).
  const everyFloat32 = new Float32Array(new Uint32Array(Math.floor(2 ** 32 / 997)).map((_, i) => i * 997).buffer);
  const specials = new Float32Array([
    NaN,
    Infinity,
    -Infinity,
    0,
    -0,
    -1,
    -2,
    88.72283,
    88.72284,
    -103.97,
    -87.33655,
    1e-45,
    -1e-45,
    3.4e38,
  ]);

  it('exp is within 1 ulp (float32) of Math.exp over the whole float32 range, subnormal results and overflow included', () => {
    expect(worstUlps32(0, everyFloat32, Math.exp).ulps).toBeLessThanOrEqual(1);
    const sweep = Float32Array.from({ length: 400_001 }, (_, i) => -110 + (i / 400_000) * 200); // past both ends
    expect(worstUlps32(0, sweep, Math.exp).ulps).toBeLessThanOrEqual(1);
    expect(worstUlps32(0, specials, Math.exp).ulps).toBe(0);
  });

  it('log1p is within 1 ulp (float32) of Math.log1p over the whole float32 range, near −1 and near 0', () => {
    expect(worstUlps32(1, everyFloat32, Math.log1p).ulps).toBeLessThanOrEqual(1);
    const sweep = Float32Array.from({ length: 400_001 }, (_, i) => -1 + (i / 400_000) * 3);
    expect(worstUlps32(1, sweep, Math.log1p).ulps).toBeLessThanOrEqual(1);
    expect(worstUlps32(1, specials, Math.log1p).ulps).toBe(0);
  });
});

/**
 * Float32 results against the float64 kernel on the same (float32) inputs: within 4 float32 ulp, or within
 * atol(i) where an input's rounding is amplified (e^{z − m}: z − m rounded to float32 shifts the exponent;
 * a sigmoid loss z − z·p cancels terms of size |z|).
 */
function expectFloat32Close(got: Float32Array, want: Float64Array, atol: (i: number) => number = () => 0): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const ok = ulps32(got[i], Math.fround(want[i])) <= 4 || Math.abs(got[i] - want[i]) <= atol(i);
    if (!ok) expect({ i, got: got[i] }).toEqual({ i, got: want[i], tol: atol(i) });
  }
}

/** e = e^{x} with x = z − m rounded to float32: relative error up to |x|·2^-24 (two roundings: 2^-23). */
const expTol = (e: Float64Array) => (i: number) => e[i] * Math.abs(Math.log(e[i])) * 2 ** -23;

/** log s of row r, s = Σ_c e_c, through those e's errors (expTol): Σ_c e_c·|ln e_c|·2^-23 / s, times Σp (`ps`, 1 if absent). */
const logSumTol = (e: Float64Array, s: Float64Array, ps?: Float64Array) => (r: number) => {
  const cols = e.length / s.length;
  let acc = 0;
  for (let c = r * cols; c < (r + 1) * cols; c++) acc += expTol(e)(c);
  return (acc / s[r]) * (ps === undefined ? 1 : ps[r]);
};

/** Float32 logits (see logits()) and targets with exact zeros, and the same values as float64. */
function float32Inputs(rng: Rng, n: number): { z: Float32Array; p: Float32Array; z64: Float64Array; p64: Float64Array } {
  const z = Float32Array.from(logits(rng, n));
  const p = Float32Array.from({ length: n }, () => (rng.uniform(0, 1) < 0.3 ? 0 : rng.uniform(0, 1)));
  return { z, p, z64: Float64Array.from(z), p64: Float64Array.from(p) };
}

describe('float32 cross entropies (the float32 kernels on wasm, the JS loops on js) against float64', () => {
  const shapes: [number, number][] = [
    [7, 13],
    [64, 10],
    [33, 2],
    [5, 1001],
    [40, 7],
  ];

  it('softmax, sparse and sigmoid: loss and residuals within float32 tolerance of float64, finite at |z| = 1e4', () => {
    const rng = new Rng(27);
    onEachBackend(() => {
      for (const [rows, cols] of shapes) {
        const n = rows * cols;
        const { z, p, z64, p64 } = float32Inputs(rng, n);
        const f32 = () => ({ loss: new Float32Array(rows), e: new Float32Array(n), s: new Float32Array(rows), ps: new Float32Array(rows) });
        const f64 = () => ({ loss: new Float64Array(rows), e: new Float64Array(n), s: new Float64Array(rows), ps: new Float64Array(rows) });
        const [a, b] = [f32(), f64()];
        const total32 = softmaxCrossEntropyKernel(p, z, rows, cols, a.loss, a.e, a.s, a.ps);
        const total64 = softmaxCrossEntropyKernel(p64, z64, rows, cols, b.loss, b.e, b.s, b.ps);
        expectFloat32Close(a.loss, b.loss, logSumTol(b.e, b.s, b.ps)); // terms p(m − z) ≥ 0 and Σp·log s ≥ 0: no cancellation
        expectFloat32Close(a.e, b.e, expTol(b.e));
        expectFloat32Close(a.s, b.s);
        expectFloat32Close(a.ps, b.ps);
        expect(Math.abs(total32 - total64)).toBeLessThanOrEqual(1e-6 * Math.abs(total64));
        for (const v of a.loss) expect(Number.isFinite(v)).toBe(true);

        const labels = Int32Array.from({ length: rows }, (_, r) => (r % 5 === 3 ? -1 : Math.floor(rng.uniform(0, cols))));
        const [c, d] = [f32(), f64()];
        sparseSoftmaxCrossEntropyKernel(labels, z, rows, cols, c.loss, c.e, c.s);
        sparseSoftmaxCrossEntropyKernel(labels, z64, rows, cols, d.loss, d.e, d.s);
        expectFloat32Close(c.loss, d.loss, logSumTol(d.e, d.s));
        expectFloat32Close(c.e, d.e, expTol(d.e));
        expectFloat32Close(c.s, d.s);

        const w = Float32Array.from({ length: n }, () => rng.uniform(0.5, 3));
        const g32 = () => ({ loss: new Float32Array(n), sig: new Float32Array(n), neg: new Float32Array(n) });
        const g64 = () => ({ loss: new Float64Array(n), sig: new Float64Array(n), neg: new Float64Array(n) });
        const [s32, s64] = [g32(), g64()];
        sigmoidCrossEntropyKernel(p, z, null, n, s32.loss, s32.sig, null);
        sigmoidCrossEntropyKernel(p64, z64, null, n, s64.loss, s64.sig, null);
        const cancels = (i: number): number => (Math.abs(z[i]) + 1) * 2 ** -22;
        expectFloat32Close(s32.loss, s64.loss, cancels);
        expectFloat32Close(s32.sig, s64.sig);
        const [t32, t64] = [g32(), g64()];
        sigmoidCrossEntropyKernel(p, z, w, n, t32.loss, null, t32.neg);
        sigmoidCrossEntropyKernel(p64, z64, Float64Array.from(w), n, t64.loss, null, t64.neg);
        expectFloat32Close(t32.loss, t64.loss, (i) => cancels(i) * 3); // (1 + (w − 1)p) ≤ 3
        expectFloat32Close(t32.neg, t64.neg);
        for (const v of t32.loss) expect(Number.isFinite(v)).toBe(true);
      }
    });
  });
});

describe.runIf(wasmAvailable)('the softmax cross-entropy backward on wasm, from the residuals', () => {
  /** The backward's formula in plain JS: dz_c = ((Σp)_r·e_c/s_r − p_c)·g_r + 0. */
  function reference(
    e: ArrayLike<number>,
    p: ArrayLike<number>,
    s: ArrayLike<number>,
    ps: ArrayLike<number>,
    g: ArrayLike<number>,
    step: 0 | 1,
  ) {
    const cols = e.length / s.length;
    return Float64Array.from(e, (ec, i) => {
      const r = Math.floor(i / cols);
      return ((ps[r] / s[r]) * ec - p[i]) * g[r * step] + 0;
    });
  }

  it('float64: equal to the formula (dy one value or one per row), into a new array or over e; float32 within float32 tolerance', () => {
    setBackend('wasm');
    const rng = new Rng(31);
    for (const [rows, cols] of [
      [7, 13],
      [64, 10],
      [33, 2],
      [5, 1001],
    ]) {
      const n = rows * cols;
      const { z, p, z64, p64 } = float32Inputs(rng, n);
      const [e, s, ps] = [new Float64Array(n), new Float64Array(rows), new Float64Array(rows)];
      softmaxCrossEntropyKernel(p64, z64, rows, cols, null, e, s, ps);
      for (const step of [0, 1] as const) {
        const g = Float64Array.from({ length: step ? rows : 1 }, () => rng.normal());
        const want = reference(e, p64, s, ps, g, step);
        const dz = new Float64Array(n);
        expect(wasmSoftmaxCrossEntropyBackward(e, p64, s, ps, g, step, cols, dz)).toBe(true);
        expectClose(dz, want, 0, 0);
        const over = e.slice();
        wasmSoftmaxCrossEntropyBackward(over, p64, s, ps, g, step, cols, over);
        expectClose(over, want, 0, 0);
        for (const v of dz) expect(Object.is(v, -0)).toBe(false);

        const [e32, s32, ps32] = [new Float32Array(n), new Float32Array(rows), new Float32Array(rows)];
        softmaxCrossEntropyKernel(p, z, rows, cols, null, e32, s32, ps32);
        const dz32 = new Float32Array(n);
        expect(wasmSoftmaxCrossEntropyBackward(e32, p, s32, ps32, g, step, cols, dz32)).toBe(true);
        // (k·e − p)·g cancels terms of size k·e and p, each carrying float32 roundings (e's as expTol)
        const gmax = Math.max(...Array.from(g, Math.abs));
        expectFloat32Close(dz32, want, (i) => {
          const ke = Math.abs(want[i] / g[step * Math.floor(i / cols)] + p[i]);
          return (ke * (Math.abs(Math.log(e[i])) * 2 ** -23 + 2 ** -20) + p[i] * 2 ** -21) * gmax;
        });
      }
    }
    setBackend('js');
    expect(
      wasmSoftmaxCrossEntropyBackward(
        new Float64Array(100),
        new Float64Array(100),
        new Float64Array(10),
        new Float64Array(10),
        new Float64Array(1),
        0,
        10,
        new Float64Array(100),
      ),
    ).toBe(false);
  });
});

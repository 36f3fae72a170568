// The attributes the losses fuse into the cross-entropy ops' pass: a divisor (the op returns
// (Σ ℓ)/divisor) and a target check (onInvalidTargets), against the op followed by sum and a
// division, on both backends, with sizes above and below the WebAssembly threshold.
import { afterEach, describe, expect, it } from 'vitest';
import { XentError, getBackend, setBackend, type Backend, type Tensor } from '@xent/tensor';
import {
  gradCheck,
  param,
  sigmoidCrossEntropyWithLogits,
  softmaxCrossEntropyWithLogits,
  sparseSoftmaxCrossEntropyWithLogits,
  sum,
  valueAndGrad,
} from '@xent/autograd';
import { sigmoidCrossEntropyWithAttrs, softmaxCrossEntropyWithAttrs } from '@xent/autograd/internal';
import { availableBackends, flat, normals, t64, uniforms } from '../../../test/utils.js';

const initial: Backend = getBackend();
afterEach(() => setBackend(initial));
const backends = availableBackends();

/** |got − want| ≤ 1e-12·|want| + 1e-14 elementwise. */
function expectClose(got: readonly number[], want: readonly number[]): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThanOrEqual(1e-12 * Math.abs(want[i]) + 1e-14));
}

/** Value and gradient at z of f. */
function vg(f: (z: Tensor) => Tensor, z: Tensor): { value: number; grad: number[] } {
  const r = valueAndGrad(f)(z);
  return { value: r.value.item(), grad: flat(r.grads[0]) };
}

/** One-hot rows (row r hot at r mod cols). */
function hotRows(rows: number, cols: number): Tensor {
  return t64(
    Array.from({ length: rows * cols }, (_, i) => (i % cols === Math.floor(i / cols) % cols ? 1 : 0)),
    [rows, cols],
  );
}

describe.each(backends)('divisor: the op returns (Σ ℓ)/divisor and its gradient (backend %s)', (backend) => {
  const shapes: [number, number][] = [
    [3, 4], // 12 logits: the JS loop
    [30, 7], // 210 logits: WebAssembly when available
  ];

  it.each(shapes)('softmax [%i, %i]: value and gradient equal sum(op)/D for D = 1, N and 0', (rows, cols) => {
    setBackend(backend);
    const z = t64(normals(rows * cols, rows + cols, 3), [rows, cols]);
    const P = hotRows(rows, cols);
    for (const D of [1, rows, 0]) {
      const fused = vg((t) => softmaxCrossEntropyWithAttrs(P, t, { divisor: D }), z);
      const ref = vg((t) => sum(softmaxCrossEntropyWithLogits(P, t)), z);
      const k = D > 0 ? 1 / D : 0;
      expectClose([fused.value], [D > 0 ? ref.value / D : 0]);
      expectClose(
        fused.grad,
        ref.grad.map((g) => g * k),
      );
    }
  });

  it.each(shapes)('sparse [%i, %i] with an ignored row: value and gradient equal sum(op)/D', (rows, cols) => {
    setBackend(backend);
    const z = t64(normals(rows * cols, 7 * rows, 3), [rows, cols]);
    const labels = Array.from({ length: rows }, (_, r) => (r === 1 ? -100 : r % cols));
    const D = rows - 1;
    const fused = vg((t) => sparseSoftmaxCrossEntropyWithLogits(labels, t, { ignoreIndex: -100, divisor: D }), z);
    const ref = vg((t) => sum(sparseSoftmaxCrossEntropyWithLogits(labels, t, { ignoreIndex: -100 })), z);
    expectClose([fused.value], [ref.value / D]);
    expectClose(
      fused.grad,
      ref.grad.map((g) => g / D),
    );
  });

  it.each(shapes)('sigmoid [%i, %i], with and without posWeight: value and gradient equal sum(op)/D', (rows, cols) => {
    setBackend(backend);
    const z = t64(normals(rows * cols, 11 * rows, 2), [rows, cols]);
    const p = t64(uniforms(rows * cols, 13 * rows), [rows, cols]);
    const pw = t64(uniforms(cols, 17, 0.5, 3), [cols]);
    const D = rows * cols;
    for (const posWeight of [undefined, pw]) {
      const fused = vg((t) => sigmoidCrossEntropyWithAttrs(p, t, { divisor: D, posWeight }), z);
      const ref = vg((t) => sum(sigmoidCrossEntropyWithLogits(p, t, posWeight)), z);
      expectClose([fused.value], [ref.value / D]);
      expectClose(
        fused.grad,
        ref.grad.map((g) => g / D),
      );
    }
  });

  it('each op with a divisor passes gradCheck', () => {
    setBackend(backend);
    const z = t64(normals(30 * 7, 5, 2), [30, 7]);
    const P = hotRows(30, 7);
    const p = t64(uniforms(30 * 7, 6), [30, 7]);
    const labels = Array.from({ length: 30 }, (_, r) => r % 7);
    const opts = { wrt: [1], tight: true, seed: 3 };
    expect(gradCheck((a, b) => softmaxCrossEntropyWithAttrs(a, b, { divisor: 30 }), [P, z], opts).ok).toBe(true);
    expect(gradCheck((a, b) => sigmoidCrossEntropyWithAttrs(a, b, { divisor: 210 }), [p, z], opts).ok).toBe(true);
    expect(gradCheck((a, b) => sparseSoftmaxCrossEntropyWithLogits(a, b, { divisor: 30 }), [t64(labels, [30]), z], opts).ok).toBe(true);
  });
});

describe.each(backends)('onInvalidTargets: the target check in the kernel pass (backend %s)', (backend) => {
  const rows = 30;
  const cols = 7;
  const z = t64(normals(rows * cols, 31, 2), [rows, cols]);

  /** Runs op with a counting hook that throws (like the losses' validators) when `throws`. */
  function run(op: (hook: () => void) => Tensor, throws = true): { calls: number; error: unknown } {
    let calls = 0;
    try {
      op(() => {
        calls++;
        if (throws) throw new XentError('BAD_TARGETS', 'test: a bad target');
      });
      return { calls, error: null };
    } catch (error) {
      return { calls, error };
    }
  }

  it('softmax: the hook runs only for a target outside [0, 1] or a row not summing to 1; nothing is recorded', () => {
    setBackend(backend);
    const good = hotRows(rows, cols);
    const Z = param(z);
    expect(run((h) => softmaxCrossEntropyWithAttrs(good, Z, { onInvalidTargets: h })).calls).toBe(0);
    const offSum = flat(good);
    offSum[5 * cols] += 0.01; // row 5 sums to 1.01
    const outside = flat(good);
    [outside[8 * cols], outside[8 * cols + 1]] = [1.5, -0.5]; // row 8 (hot at column 1) sums to 1, outside [0, 1]
    for (const bad of [offSum, outside]) {
      const r = run((h) => softmaxCrossEntropyWithAttrs(t64(bad, [rows, cols]), Z, { onInvalidTargets: h, divisor: rows }));
      expect(r.calls).toBe(1);
      expect(r.error).toBeInstanceOf(XentError);
      expect(Z.node).toBeNull();
      expect(Z.grad).toBeNull();
    }
  });

  it('sigmoid: the hook runs only for a target outside [0, 1] (or NaN); a hook that returns lets the result stand', () => {
    setBackend(backend);
    const p = uniforms(rows * cols, 32);
    expect(run((h) => sigmoidCrossEntropyWithAttrs(t64(p, [rows, cols]), z, { onInvalidTargets: h })).calls).toBe(0);
    for (const v of [1.25, -1e-9, NaN]) {
      const bad = p.slice();
      bad[rows * cols - 1] = v; // the last element: the half-empty pair on the wasm path
      const r = run((h) => sigmoidCrossEntropyWithAttrs(t64(bad, [rows, cols]), z, { onInvalidTargets: h, divisor: 1 }));
      expect([r.calls, r.error instanceof XentError]).toEqual([1, true]);
    }
    // NaN logits with good targets: the sum is NaN, the hook re-checks (and here returns), the NaN loss stands.
    const zNaN = flat(z);
    zNaN[3] = NaN;
    let out: Tensor | null = null;
    const r = run(
      (h) => (out = sigmoidCrossEntropyWithAttrs(t64(p, [rows, cols]), t64(zNaN, [rows, cols]), { onInvalidTargets: h, divisor: 1 })),
      false,
    );
    expect(r.calls).toBe(1);
    expect(out!.item()).toBeNaN();
  });
});

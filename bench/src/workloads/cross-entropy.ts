// Fused cross entropy, forward and backward: the loss summed over the batch
// and its gradient with respect to the logits, in one call.
//   cross-entropy-f64/-f32:     softmax CE with one-hot targets P, [rows, cols]
//   sparse-cross-entropy-f64:   softmax CE with integer labels (no one-hot), [rows, cols]
//   sigmoid-cross-entropy-f64:  elementwise sigmoid CE with 0/1 targets, [rows, cols]
// xent (valueAndGrad over the fused autograd op and `sum`) against tf.valueAndGrad
// over tf.losses.* (cpu and wasm backends) and single-pass hand-written loops.
import {
  backward,
  param,
  sigmoidCrossEntropyWithLogits,
  softmaxCrossEntropyWithLogits,
  sparseSoftmaxCrossEntropyWithLogits,
  sum,
  valueAndGrad,
} from '@xent/autograd';
import { Rng, fromFlat, readFlat, type Tensor } from '@xent/tensor';
import { inDType, normal } from '../data.js';
import type { FloatDType, Impl, Prepared, Values, Workload } from '../runner.js';
import { TfScope, tf, tfCpu, tfWasm, type TfBackend } from '../tfjs.js';

// ---------------------------------------------------------------- seeded data

/** One class index per row, uniform over [0, cols). */
export function randomLabels(rows: number, cols: number, seed: number): Int32Array {
  const rng = new Rng(seed);
  const y = new Int32Array(rows);
  for (let r = 0; r < rows; r++) y[r] = rng.int(cols);
  return y;
}

/** The one-hot rows of labels, [rows, cols] row-major. */
export function oneHot(labels: Int32Array, cols: number): Float64Array {
  const P = new Float64Array(labels.length * cols);
  for (let r = 0; r < labels.length; r++) P[r * cols + labels[r]] = 1;
  return P;
}

/** n independent 0/1 targets, 1 with probability `rate` (multi-label data). */
export function bernoulli(n: number, seed: number, rate = 0.3): Float64Array {
  const rng = new Rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.next() < rate ? 1 : 0;
  return out;
}

// ---------------------------------------------------------------- hand-written loops
// One copy per array type, so that each stays monomorphic in V8 (see matmul.ts).
// Each computes the loss summed over the rows and its gradient with respect to
// the logits, both times `scale` (1 for a sum, 1/rows for a mean), in one call:
// per row a max pass, then exp + store + sum (one exp per element), then one
// pass that turns the stored exponentials into the gradient. Rows stay in cache.

/** Softmax CE, dense targets: ℓ = Σ_c p_c (m − z_c) + (Σp) log Σ e^{z−m};  G = scale·((Σp)·softmax(z) − p). Returns scale·Σℓ. */
export function softmaxCrossEntropyRowsF64(
  Z: Float64Array,
  P: Float64Array,
  rows: number,
  cols: number,
  G: Float64Array,
  scale = 1,
): number {
  let total = 0;
  for (let r = 0, base = 0; r < rows; r++, base += cols) {
    const end = base + cols;
    let m = -Infinity;
    for (let i = base; i < end; i++) if (Z[i] > m) m = Z[i];
    let s = 0;
    let acc = 0;
    let ps = 0;
    for (let i = base; i < end; i++) {
      const zi = Z[i];
      const e = Math.exp(zi - m);
      G[i] = e;
      s += e;
      const pi = P[i];
      acc += pi * (m - zi);
      ps += pi;
    }
    const k = (scale * ps) / s;
    for (let i = base; i < end; i++) G[i] = k * G[i] - scale * P[i];
    total += acc + ps * Math.log(s);
  }
  return scale * total;
}

export function softmaxCrossEntropyRowsF32(
  Z: Float32Array,
  P: Float32Array,
  rows: number,
  cols: number,
  G: Float32Array,
  scale = 1,
): number {
  let total = 0;
  for (let r = 0, base = 0; r < rows; r++, base += cols) {
    const end = base + cols;
    let m = -Infinity;
    for (let i = base; i < end; i++) if (Z[i] > m) m = Z[i];
    // Sum the unrounded exponentials (as xent does); G holds them rounded to float32 until the last pass.
    let s = 0;
    let acc = 0;
    let ps = 0;
    for (let i = base; i < end; i++) {
      const zi = Z[i];
      const e = Math.exp(zi - m);
      G[i] = e;
      s += e;
      const pi = P[i];
      acc += pi * (m - zi);
      ps += pi;
    }
    const k = (scale * ps) / s;
    for (let i = base; i < end; i++) G[i] = k * G[i] - scale * P[i];
    total += acc + ps * Math.log(s);
  }
  return scale * total;
}

/** Sparse softmax CE: ℓ = m − z_y + log Σ e^{z−m};  G = scale·(softmax(z) − onehot(y)). Returns scale·Σℓ. */
export function sparseSoftmaxCrossEntropyRowsF64(
  Z: Float64Array,
  labels: Int32Array,
  rows: number,
  cols: number,
  G: Float64Array,
  scale = 1,
): number {
  let total = 0;
  for (let r = 0, base = 0; r < rows; r++, base += cols) {
    const end = base + cols;
    let m = -Infinity;
    for (let i = base; i < end; i++) if (Z[i] > m) m = Z[i];
    let s = 0;
    for (let i = base; i < end; i++) {
      const e = Math.exp(Z[i] - m);
      G[i] = e;
      s += e;
    }
    const k = scale / s;
    for (let i = base; i < end; i++) G[i] *= k;
    const y = base + labels[r];
    G[y] -= scale;
    total += m - Z[y] + Math.log(s);
  }
  return scale * total;
}

/** Sigmoid CE, elementwise: ℓ = max(z,0) − z·p + log1p(e^{−|z|});  G = scale·(σ(z) − p). One exp per element. Returns scale·Σℓ. */
export function sigmoidCrossEntropyF64(Z: Float64Array, P: Float64Array, n: number, G: Float64Array, scale = 1): number {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const z = Z[i];
    const p = P[i];
    const e = Math.exp(-Math.abs(z)); // in (0, 1]: never overflows
    total += (z > 0 ? z : 0) - z * p + Math.log1p(e);
    const sig = z >= 0 ? 1 / (1 + e) : e / (1 + e);
    G[i] = scale * (sig - p);
  }
  return scale * total;
}

// ---------------------------------------------------------------- shared pieces

/**
 * What every implementation hands to the agreement check: the gradient, then
 * the loss divided by `terms` (the number of loss values summed). Without the
 * division the summed loss (thousands) would set max|ref|, and with it the
 * absolute part of the tolerance, far above the gradient's entries.
 */
export function gradThenLoss(grad: Values, loss: number, terms: number): Float64Array {
  const out = new Float64Array(grad.length + 1);
  for (let i = 0; i < grad.length; i++) out[i] = grad[i];
  out[grad.length] = loss / terms;
  return out;
}

/** xent's valueAndGrad of `f` at the logits z (a loss and its gradient); result() is gradThenLoss. */
export function valueAndGradImpl(name: string, kind: 'xent' | 'variant', f: (z: Tensor) => Tensor, z: Tensor, terms: number): Impl {
  const vg = valueAndGrad(f);
  let value: Tensor | null = null;
  let grad: Tensor | null = null;
  return {
    name,
    kind,
    run: () => {
      const r = vg(z);
      value = r.value;
      grad = r.grads[0];
    },
    result: () => gradThenLoss(readFlat(grad!), value!.item(), terms),
  };
}

/** The same through a parameter and backward() (PyTorch style): the gradient lands in .grad. */
function xentParamBackward(name: string, f: (z: Tensor) => Tensor, Z: Float64Array | Float32Array, shape: number[], terms: number): Impl {
  const zp = param(fromFlat(Z, shape)); // shares Z's data; backward never writes into it
  let value: Tensor | null = null;
  return {
    name,
    kind: 'variant',
    note: 'param(z) once, then per run: z.grad = null, loss = sum(op(·, z)), backward(loss); the gradient is read from z.grad.',
    run: () => {
      zp.grad = null;
      value = f(zp);
      backward(value);
    },
    result: () => gradThenLoss(readFlat(zp.grad!), value!.item(), terms),
  };
}

const TF_F32_NOTE =
  'TensorFlow.js has no float64: this row computes on the same numbers rounded to float32 and is checked with the float32 tolerance.';

/**
 * tf.valueAndGrad of a summed tf.losses.* at the logits: [gradient, loss / terms] (the division is one scalar op).
 * Named 'tfjs' on the cpu backend and 'tfjs-wasm' on the wasm backend (where `logits` and the loss's targets must live).
 */
function tfValueAndGrad(
  scope: TfScope,
  loss: (z: tf.Tensor) => tf.Scalar,
  logits: tf.Tensor,
  terms: number,
  extra: Pick<Impl, 'dtype' | 'note'>,
  backend: TfBackend = 'cpu',
): Impl {
  const vg = tf.valueAndGrad(loss);
  return scope.impl(
    backend === 'cpu' ? 'tfjs' : 'tfjs-wasm',
    () => {
      const { value, grad } = vg(logits);
      return [grad, tf.div(value, terms)];
    },
    { ...extra, backend },
  );
}

/** The tfjs-wasm goal of the fused cross-entropy workloads (issue 11): xent at most 0.8× its time. */
const TFJS_WASM_GOAL = { baseline: 'tfjs-wasm', maxRatio: 0.8 };

// ---------------------------------------------------------------- the workloads

/**
 * A round is dominated by tfjs (≈ 0.3 s of the ≈ 0.35 s): 10 s of timed rounds
 * gives ≈ 25 samples per implementation (at least minRounds) and keeps the four
 * workloads under a minute of a full run.
 */
const TIMED_SECONDS = 10;

export interface CrossEntropyOptions {
  rows?: number;
  cols?: number;
  seed?: number;
  /** A scaling row (named …-n<rows>): xent, tfjs-wasm and the loop only. */
  scaling?: boolean;
}

/** The notes line on what the agreement check compares. */
export function resultNote(terms: string): string {
  return `Compared: the gradient with respect to the logits, then the loss divided by ${terms} (so that the loss does not set the scale of the absolute tolerance).`;
}
const LOOP_NOTE =
  'The loops write the gradient into a buffer allocated once and keep the exponentials there between passes; xent allocates its saved exponentials, its gradient and its result tensors on every call, as a library call must.';

/** Softmax cross entropy with one-hot targets: loss = sum over rows, gradient softmax(z) − p. */
export function crossEntropyWorkload({
  dtype,
  rows = 512,
  cols = 1000,
  seed = 20261127,
  scaling = false,
}: CrossEntropyOptions & { dtype: FloatDType }): Workload {
  const name = `cross-entropy-${dtype === 'float64' ? 'f64' : 'f32'}${scaling ? `-n${rows}` : ''}`;
  const fused = 'loop: fused rows';
  return {
    name,
    description: `Softmax cross entropy with one-hot targets, forward and backward: Σ over rows of −Σ_c p_c log softmax(z)_c and its gradient with respect to the logits z [${rows}, ${cols}] ~ N(0, 3²), ${dtype}.`,
    dtype,
    throughput: { perRun: rows * cols, unit: 'Melem/s', scale: 1e6 },
    goals: [{ baseline: fused, maxRatio: 1.3 }, ...(dtype === 'float64' ? [TFJS_WASM_GOAL] : [])],
    maxSeconds: TIMED_SECONDS,
    notes: [
      'xent is valueAndGrad((z) => sum(softmaxCrossEntropyWithLogits(P, z)))(Z) from @xent/autograd; tfjs is tf.valueAndGrad over tf.losses.softmaxCrossEntropy(P, z, undefined, 0, tf.Reduction.SUM).',
      resultNote('the number of rows'),
      LOOP_NOTE,
    ],
    async setup(): Promise<Prepared> {
      const labels = randomLabels(rows, cols, seed + 1);
      const Z64 = normal(rows * cols, seed, 0, 3);
      const P64 = oneHot(labels, cols);
      const Z = inDType(Z64, dtype);
      const P = inDType(P64, dtype);
      const shape = [rows, cols];

      const p = fromFlat(P, shape);
      const f = (z: Tensor) => sum(softmaxCrossEntropyWithLogits(p, z));
      const xent = valueAndGradImpl('xent', 'xent', f, fromFlat(Z, shape), rows);
      const viaParam = xentParamBackward('xent: param + backward', f, Z, shape, rows);

      const tfImpl = (backend: TfBackend): Impl => {
        const tz = scope.keep(tf.tensor2d(Float32Array.from(Z64), [rows, cols], 'float32'));
        const tp = scope.keep(tf.tensor2d(Float32Array.from(P64), [rows, cols], 'float32'));
        const loss = (z: tf.Tensor) => tf.losses.softmaxCrossEntropy(tp, z, undefined, 0, tf.Reduction.SUM) as tf.Scalar;
        return tfValueAndGrad(scope, loss, tz, rows, dtype === 'float64' ? { dtype: 'float32', note: TF_F32_NOTE } : {}, backend);
      };
      await tfCpu();
      const scope = new TfScope(name);
      const tfjs = scaling ? null : tfImpl('cpu');
      await tfWasm();
      const tfjsWasm = tfImpl('wasm');

      let loss = 0;
      let loop: Impl;
      if (Z instanceof Float64Array && P instanceof Float64Array) {
        const G = new Float64Array(rows * cols);
        loop = {
          name: fused,
          kind: 'loop',
          run: () => (loss = softmaxCrossEntropyRowsF64(Z, P, rows, cols, G)),
          result: () => gradThenLoss(G, loss, rows),
        };
      } else {
        const Z32 = Z as Float32Array;
        const P32 = P as Float32Array;
        const G = new Float32Array(rows * cols);
        loop = {
          name: fused,
          kind: 'loop',
          run: () => (loss = softmaxCrossEntropyRowsF32(Z32, P32, rows, cols, G)),
          result: () => gradThenLoss(G, loss, rows),
        };
      }
      const impls = tfjs === null ? [xent, tfjsWasm, loop] : [xent, viaParam, tfjsWasm, tfjs, loop];
      return { impls, dispose: () => scope.dispose() };
    },
  };
}

/** Sparse softmax cross entropy with integer labels (float64): no one-hot matrix on xent's side or the loop's. */
export function sparseCrossEntropyWorkload({ rows = 512, cols = 1000, seed = 20261128 }: CrossEntropyOptions = {}): Workload {
  const name = 'sparse-cross-entropy-f64';
  const fused = 'loop: fused rows';
  return {
    name,
    description: `Sparse softmax cross entropy with integer labels, forward and backward: Σ over rows of lse(z) − z_y and its gradient with respect to the logits z [${rows}, ${cols}] ~ N(0, 3²), float64.`,
    dtype: 'float64',
    throughput: { perRun: rows * cols, unit: 'Melem/s', scale: 1e6 },
    goals: [{ baseline: fused, maxRatio: 1.3 }, TFJS_WASM_GOAL],
    maxSeconds: TIMED_SECONDS,
    notes: [
      'xent is valueAndGrad((z) => sum(sparseSoftmaxCrossEntropyWithLogits(labels, z)))(Z) with int32 labels [rows].',
      'TensorFlow.js has no sparse softmax cross entropy in tf.losses: its rows use one-hot targets made once in setup (tf.oneHot as int32, then cast: tfjs-backend-wasm 4.22 writes int32 bit patterns for a float32 oneHot), i.e. the same computation as cross-entropy-f64.',
      resultNote('the number of rows'),
      LOOP_NOTE,
    ],
    async setup(): Promise<Prepared> {
      const labels = randomLabels(rows, cols, seed + 1);
      const Z = normal(rows * cols, seed, 0, 3);
      const shape = [rows, cols];

      const y = fromFlat(labels, [rows]);
      const f = (z: Tensor) => sum(sparseSoftmaxCrossEntropyWithLogits(y, z));
      const xent = valueAndGradImpl('xent', 'xent', f, fromFlat(Z, shape), rows);
      const viaParam = xentParamBackward('xent: param + backward', f, Z, shape, rows);

      const tfImpl = (backend: TfBackend): Impl => {
        const tz = scope.keep(tf.tensor2d(Float32Array.from(Z), [rows, cols], 'float32'));
        const tp = scope.keep(tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), cols).toFloat()));
        const loss = (z: tf.Tensor) => tf.losses.softmaxCrossEntropy(tp, z, undefined, 0, tf.Reduction.SUM) as tf.Scalar;
        const note = `${TF_F32_NOTE} One-hot targets: tf.losses has no sparse (integer label) softmax cross entropy.`;
        return tfValueAndGrad(scope, loss, tz, rows, { dtype: 'float32', note }, backend);
      };
      await tfCpu();
      const scope = new TfScope(name);
      const tfjs = tfImpl('cpu');
      await tfWasm();
      const tfjsWasm = tfImpl('wasm');

      const G = new Float64Array(rows * cols);
      let loss = 0;
      const loop: Impl = {
        name: fused,
        kind: 'loop',
        run: () => (loss = sparseSoftmaxCrossEntropyRowsF64(Z, labels, rows, cols, G)),
        result: () => gradThenLoss(G, loss, rows),
      };
      return { impls: [xent, viaParam, tfjsWasm, tfjs, loop], dispose: () => scope.dispose() };
    },
  };
}

/** Elementwise sigmoid cross entropy with 0/1 (multi-label) targets, float64. */
export function sigmoidCrossEntropyWorkload({ rows = 4096, cols = 100, seed = 20261129 }: CrossEntropyOptions = {}): Workload {
  const name = 'sigmoid-cross-entropy-f64';
  const fused = 'loop: single pass';
  const n = rows * cols;
  return {
    name,
    description: `Sigmoid cross entropy, forward and backward: Σ of max(z,0) − z·p + log1p(e^{−|z|}) over logits z [${rows}, ${cols}] ~ N(0, 2²) with 0/1 targets (30% ones), and its gradient σ(z) − p, float64.`,
    dtype: 'float64',
    throughput: { perRun: n, unit: 'Melem/s', scale: 1e6 },
    goals: [{ baseline: fused, maxRatio: 1.3 }, TFJS_WASM_GOAL],
    maxSeconds: TIMED_SECONDS,
    notes: [
      'xent is valueAndGrad((z) => sum(sigmoidCrossEntropyWithLogits(P, z)))(Z); tfjs is tf.valueAndGrad over tf.losses.sigmoidCrossEntropy(P, z, undefined, 0, tf.Reduction.SUM).',
      resultNote(`the number of elements (${n})`),
      'The loop makes loss and gradient in one pass (one exp and one log1p per element) into a gradient buffer allocated once; xent saves σ(z), allocates its outputs, and sums the loss values in a separate op (sum); its backward reads the gradient of sum, one broadcast value, as a scalar.',
    ],
    async setup(): Promise<Prepared> {
      const Z = normal(n, seed, 0, 2);
      const P = bernoulli(n, seed + 1);
      const shape = [rows, cols];

      const p = fromFlat(P, shape);
      const f = (z: Tensor) => sum(sigmoidCrossEntropyWithLogits(p, z));
      const xent = valueAndGradImpl('xent', 'xent', f, fromFlat(Z, shape), n);
      const viaParam = xentParamBackward('xent: param + backward', f, Z, shape, n);

      const tfImpl = (backend: TfBackend): Impl => {
        const tz = scope.keep(tf.tensor2d(Float32Array.from(Z), [rows, cols], 'float32'));
        const tp = scope.keep(tf.tensor2d(Float32Array.from(P), [rows, cols], 'float32'));
        const loss = (z: tf.Tensor) => tf.losses.sigmoidCrossEntropy(tp, z, undefined, 0, tf.Reduction.SUM) as tf.Scalar;
        return tfValueAndGrad(scope, loss, tz, n, { dtype: 'float32', note: TF_F32_NOTE }, backend);
      };
      await tfCpu();
      const scope = new TfScope(name);
      const tfjs = tfImpl('cpu');
      await tfWasm();
      const tfjsWasm = tfImpl('wasm');

      const G = new Float64Array(n);
      let loss = 0;
      const loop: Impl = {
        name: fused,
        kind: 'loop',
        run: () => (loss = sigmoidCrossEntropyF64(Z, P, n, G)),
        result: () => gradThenLoss(G, loss, n),
      };
      return { impls: [xent, viaParam, tfjsWasm, tfjs, loop], dispose: () => scope.dispose() };
    },
  };
}

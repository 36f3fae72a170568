// softmax over the last axis of a [rows, cols] matrix of logits, in float64 or float32.
// xent `softmax(x, -1)` against tf.softmax (cpu backend) and hand-written row loops.
import { fromFlat, readFlat, softmax, type Tensor } from '@xent/tensor';
import { inDType, normal } from '../data.js';
import type { FloatDType, Impl, Prepared, Workload } from '../runner.js';
import { TfScope, tf, tfCpu } from '../tfjs.js';

// ---------------------------------------------------------------- hand-written loops
// One copy per array type, so that each stays monomorphic in V8 (see matmul.ts).

/**
 * Fused row loop: for each row (which stays in L1 cache), its max, then
 * e = exp(x − max) stored and summed in the same pass, then one scaling pass.
 * Memory is streamed once per row; one exp per element.
 */
export function softmaxRowsF64(x: Float64Array, rows: number, cols: number, out: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const end = base + cols;
    let m = -Infinity;
    for (let i = base; i < end; i++) {
      const v = x[i];
      if (v > m) m = v;
    }
    let s = 0;
    for (let i = base; i < end; i++) {
      const e = Math.exp(x[i] - m);
      out[i] = e;
      s += e;
    }
    const inv = 1 / s;
    for (let i = base; i < end; i++) out[i] *= inv;
  }
}

export function softmaxRowsF32(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const end = base + cols;
    let m = -Infinity;
    for (let i = base; i < end; i++) {
      const v = x[i];
      if (v > m) m = v;
    }
    // Sum the unrounded exponentials (as xent does), store float32.
    let s = 0;
    for (let i = base; i < end; i++) {
      const e = Math.exp(x[i] - m);
      out[i] = e;
      s += e;
    }
    const inv = 1 / s;
    for (let i = base; i < end; i++) out[i] *= inv;
  }
}

/**
 * Online softmax (Milakov & Gimelshein 2018): the max and the sum in one read
 * pass, rescaling the sum when the max grows, then one write pass. Fewer
 * passes, but two exps per element; in JS the exps dominate.
 */
export function onlineSoftmaxRowsF64(x: Float64Array, rows: number, cols: number, out: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const end = base + cols;
    let m = -Infinity;
    let s = 0;
    for (let i = base; i < end; i++) {
      const v = x[i];
      if (v > m) {
        s = s * Math.exp(m - v) + 1;
        m = v;
      } else {
        s += Math.exp(v - m);
      }
    }
    const inv = 1 / s;
    for (let i = base; i < end; i++) out[i] = Math.exp(x[i] - m) * inv;
  }
}

export function onlineSoftmaxRowsF32(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const end = base + cols;
    let m = -Infinity;
    let s = 0;
    for (let i = base; i < end; i++) {
      const v = x[i];
      if (v > m) {
        s = s * Math.exp(m - v) + 1;
        m = v;
      } else {
        s += Math.exp(v - m);
      }
    }
    const inv = 1 / s;
    for (let i = base; i < end; i++) out[i] = Math.exp(x[i] - m) * inv;
  }
}

// ---------------------------------------------------------------- the workload

export interface SoftmaxOptions {
  dtype: FloatDType;
  rows?: number;
  cols?: number;
  seed?: number;
}

export function softmaxWorkload({ dtype, rows = 512, cols = 1000, seed = 20261126 }: SoftmaxOptions): Workload {
  const name = `softmax-${dtype === 'float64' ? 'f64' : 'f32'}`;
  const fused = 'loop: fused rows';
  return {
    name,
    description: `Row-wise softmax (last axis) of [${rows}, ${cols}] logits drawn from N(0, 3²), ${dtype}.`,
    dtype,
    throughput: { perRun: rows * cols, unit: 'Melem/s', scale: 1e6 },
    goals: [{ baseline: fused, maxRatio: 1.3 }],
    async setup(): Promise<Prepared> {
      const X64 = normal(rows * cols, seed, 0, 3);
      const X = inDType(X64, dtype);

      const x = fromFlat(X, [rows, cols]);
      let out: Tensor | null = null;
      const xent: Impl = {
        name: 'xent',
        kind: 'xent',
        run: () => {
          out = softmax(x, -1);
        },
        result: () => readFlat(out!),
      };

      await tfCpu();
      const scope = new TfScope(name);
      const tx = scope.keep(tf.tensor2d(Float32Array.from(X64), [rows, cols], 'float32'));
      const tfjs = scope.impl(
        'tfjs',
        () => tf.softmax(tx),
        dtype === 'float64'
          ? {
              dtype: 'float32',
              note: 'TensorFlow.js has no float64: this row computes on the same logits rounded to float32 and is checked with the float32 tolerance.',
            }
          : {},
      );

      let loops: Impl[];
      if (X instanceof Float64Array) {
        const o1 = new Float64Array(rows * cols);
        const o2 = new Float64Array(rows * cols);
        loops = [
          { name: fused, kind: 'loop', run: () => softmaxRowsF64(X, rows, cols, o1), result: () => o1 },
          { name: 'loop: online', kind: 'loop', run: () => onlineSoftmaxRowsF64(X, rows, cols, o2), result: () => o2 },
        ];
      } else {
        const o1 = new Float32Array(rows * cols);
        const o2 = new Float32Array(rows * cols);
        loops = [
          { name: fused, kind: 'loop', run: () => softmaxRowsF32(X, rows, cols, o1), result: () => o1 },
          { name: 'loop: online', kind: 'loop', run: () => onlineSoftmaxRowsF32(X, rows, cols, o2), result: () => o2 },
        ];
      }
      return { impls: [xent, tfjs, ...loops], dispose: () => scope.dispose() };
    },
    notes: [
      `'${fused}' is the single-pass-style loop: each row is read from memory once and worked on in cache (max; exp, store and sum; scale). ` +
        `'loop: online' folds the max into the sum's pass but needs two exps per element. Both write into an output allocated once; xent allocates its result tensor on every call.`,
    ],
  };
}

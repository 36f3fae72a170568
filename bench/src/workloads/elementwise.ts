// The elementwise steps of a dense ReLU layer, forward and backward, as the MLP example's
// hidden layer runs them every step, in float64 or float32: xent's kernels on the wasm
// backend (elementwise.wat, SIMD) against the same kernels on the JS backend, TensorFlow.js's
// wasm backend, and one hand-written fused loop.
//
//   a = z + b        z [R, C], bias b [C] broadcast over the rows
//   h = relu(a)
//   dA = dh · [a > 0]
//   db = Σ_rows dA   (the bias gradient: sumTo(dA, [C]))
import { add, fromFlat, getBackend, greater, mul, readFlat, relu, setBackend, sumTo, type Tensor } from '@xent/tensor';
import { inDType, normal } from '../data.js';
import type { FloatDType, Impl, Prepared, Workload } from '../runner.js';
import { TfScope, tf, tfWasm } from '../tfjs.js';

/** h, dA and db one after another (what result() compares). */
function joined(parts: readonly ArrayLike<number>[]): Float64Array {
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let k = 0;
  for (const p of parts) for (let i = 0; i < p.length; i++) out[k++] = p[i];
  return out;
}

/** The layer's four steps in two passes over typed arrays allocated once (forward, then backward with the bias sums). */
function fusedLoop(
  z: Float64Array | Float32Array,
  b: Float64Array | Float32Array,
  dh: Float64Array | Float32Array,
  rows: number,
  cols: number,
  out: { a: Float64Array | Float32Array; h: Float64Array | Float32Array; dA: Float64Array | Float32Array; db: Float64Array | Float32Array },
): void {
  const { a, h, dA, db } = out;
  db.fill(0);
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++, i++) {
      const v = z[i] + b[c];
      a[i] = v;
      h[i] = v <= 0 ? 0 : v;
    }
  }
  for (let r = 0, i = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++, i++) {
      const g = dh[i] * (a[i] > 0 ? 1 : 0);
      dA[i] = g;
      db[c] += g;
    }
  }
}

export interface ElementwiseOptions {
  dtype: FloatDType;
  rows?: number;
  cols?: number;
  seed?: number;
}

export function elementwiseWorkload({ dtype, rows = 64, cols = 128, seed = 20261130 }: ElementwiseOptions): Workload {
  const name = `elementwise-${dtype === 'float64' ? 'f64' : 'f32'}`;
  const jsName = 'xent: JS kernels';
  return {
    name,
    description:
      `The elementwise steps of a dense ReLU layer at the MLP example's hidden size, [${rows}, ${cols}], ${dtype}: ` +
      `a = z + b (bias row broadcast), h = relu(a), dA = dh·[a > 0], db = Σ over rows of dA — six kernel calls.`,
    dtype,
    throughput: { perRun: rows * cols, unit: 'Melem/s', scale: 1e6 },
    goals: [{ baseline: jsName, maxRatio: 1, text: 'xent on the wasm backend no slower than on the JS backend' }],
    notes: [
      `'xent' runs the public kernels (add, relu, greater, mul, sumTo) on the active backend, WebAssembly SIMD unless XENT_BACKEND=js; ` +
        `'${jsName}' runs the same calls with setBackend('js'): the ratio between them is what the SIMD kernels (elementwise.wat) save, ` +
        `copies into and out of wasm memory included. Each call allocates its result, as in training.`,
    ],
    async setup(): Promise<Prepared> {
      const n = rows * cols;
      const Z = inDType(normal(n, seed), dtype);
      const B = inDType(normal(cols, seed + 1), dtype);
      const DH = inDType(normal(n, seed + 2), dtype);
      const z = fromFlat(Z, [rows, cols]);
      const b = fromFlat(B, [cols]);
      const dh = fromFlat(DH, [rows, cols]);

      const layer = (): Tensor[] => {
        const a = add(z, b);
        const h = relu(a);
        const dA = mul(dh, greater(a, 0));
        return [h, dA, sumTo(dA, [cols])];
      };
      const xentImpl = (implName: string, backend: 'js' | null): Impl => {
        let out: Tensor[] = [];
        return {
          name: implName,
          kind: backend === null ? 'xent' : 'variant',
          run() {
            if (backend === null) {
              out = layer();
              return;
            }
            const before = getBackend();
            setBackend(backend);
            try {
              out = layer();
            } finally {
              setBackend(before);
            }
          },
          result: () => joined(out.map((t) => readFlat(t))),
        };
      };

      await tfWasm();
      const scope = new TfScope(name);
      const tz = scope.keep(tf.tensor2d(Float32Array.from(Z), [rows, cols], 'float32'));
      const tb = scope.keep(tf.tensor1d(Float32Array.from(B), 'float32'));
      const tdh = scope.keep(tf.tensor2d(Float32Array.from(DH), [rows, cols], 'float32'));
      const tfjsWasm = scope.impl(
        'tfjs-wasm',
        () => {
          const a = tf.add(tz, tb);
          const dA = tf.mul(tdh, tf.cast(tf.greater(a, 0), 'float32'));
          return [tf.relu(a), dA, tf.sum(dA, 0)];
        },
        {
          backend: 'wasm',
          ...(dtype === 'float64'
            ? {
                dtype: 'float32',
                note: 'TensorFlow.js has no float64: this row computes in float32 and is checked with the float32 tolerance.',
              }
            : {}),
        },
      );

      const bufs = () => {
        const make = () => (dtype === 'float64' ? new Float64Array(n) : new Float32Array(n));
        return { a: make(), h: make(), dA: make(), db: dtype === 'float64' ? new Float64Array(cols) : new Float32Array(cols) };
      };
      const o = bufs();
      const loop: Impl = {
        name: 'loop: fused',
        kind: 'loop',
        note: 'Two passes over arrays allocated once: a and relu(a) in the first, dA and the bias sums in the second.',
        run: () => fusedLoop(Z, B, DH, rows, cols, o),
        result: () => joined([o.h, o.dA, o.db]),
      };

      return { impls: [xentImpl('xent', null), xentImpl(jsName, 'js'), tfjsWasm, loop], dispose: () => scope.dispose() };
    },
  };
}

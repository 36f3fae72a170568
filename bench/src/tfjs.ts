// TensorFlow.js on its pure-JS CPU backend (the umbrella package, not tfjs-node) and
// on its WebAssembly backend (@tensorflow/tfjs-backend-wasm: XNNPACK, SIMD, one thread
// in Node), and the one way workloads wrap a tfjs computation as an Impl.
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { Impl, Values } from './runner.js';

export { tf };

/** The two TensorFlow.js backends the bench runs. */
export type TfBackend = 'cpu' | 'wasm';

let ready: Promise<void> | null = null;
let wasmReady: Promise<void> | null = null;

/**
 * Makes 'wasm' the active backend, initialising it once: in Node its .wasm files are
 * read from the package's dist folder (setWasmPaths), and SIMD must be on.
 * Tensors a workload creates after this live in WASM memory; each Impl switches to
 * its own backend before it runs (switching between initialised backends is synchronous).
 */
export function tfWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const dist = path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm'));
    setWasmPaths(dist + path.sep);
    const ok = await tf.setBackend('wasm');
    await tf.ready();
    if (!ok || tf.getBackend() !== 'wasm') throw new Error(`TensorFlow.js: could not select the wasm backend (got '${tf.getBackend()}')`);
    if (!tf.env().getBool('WASM_HAS_SIMD_SUPPORT')) throw new Error('TensorFlow.js wasm backend: no SIMD support in this engine');
  })();
  return wasmReady.then(() => switchTo('wasm'));
}

/** Switches the active backend synchronously (both are initialised by then). */
function switchTo(backend: TfBackend): void {
  if (tf.getBackend() === backend) return;
  void tf.setBackend(backend);
  if (tf.getBackend() !== backend) throw new Error(`TensorFlow.js: switching to '${backend}' did not take effect synchronously`);
}

/** Selects the 'cpu' backend once; every workload using tfjs awaits this in setup(). */
export function tfCpu(): Promise<void> {
  ready ??= (async () => {
    const ok = await tf.setBackend('cpu');
    await tf.ready();
    if (!ok || tf.getBackend() !== 'cpu') throw new Error(`TensorFlow.js: could not select the cpu backend (got '${tf.getBackend()}')`);
  })();
  return ready.then(() => switchTo('cpu'));
}

export function tfVersion(): string {
  return tf.version.tfjs;
}

/**
 * Tracks the tensors a workload's setup() makes, and checks on dispose() that
 * the timed runs left none behind.
 */
export class TfScope {
  private readonly before = tf.memory().numTensors;
  private readonly inputs: tf.Tensor[] = [];

  constructor(private readonly workload: string) {}

  /** Registers an input tensor to dispose at the end. */
  keep<T extends tf.Tensor>(t: T): T {
    this.inputs.push(t);
    return t;
  }

  /**
   * An Impl that runs `compute` under tf.tidy and reads the result with
   * dataSync() inside the timed region, so the work is really done; the
   * output tensor is disposed straight away. `compute` may return several
   * tensors (a gradient and a loss): each is read and disposed, and result()
   * is their values one after another (concatenated outside the timed region).
   * `backend` (default 'cpu') is made active before each run: the inputs must live there.
   */
  impl(name: string, compute: () => tf.Tensor | tf.Tensor[], extra: Pick<Impl, 'dtype' | 'note'> & { backend?: TfBackend } = {}): Impl {
    let last: Values[] = [];
    let joined: Values | null = new Float32Array(0);
    const { backend = 'cpu', ...shown } = extra;
    return {
      name,
      kind: 'tfjs',
      ...shown,
      run() {
        switchTo(backend);
        const out = tf.tidy(compute);
        const outs = Array.isArray(out) ? out : [out];
        last = outs.map((t) => t.dataSync());
        for (const t of outs) t.dispose();
        joined = null;
      },
      result() {
        if (joined === null) {
          if (last.length === 1) joined = last[0];
          else {
            const all = new Float64Array(last.reduce((n, v) => n + v.length, 0));
            let k = 0;
            for (const v of last) for (let i = 0; i < v.length; i++) all[k++] = v[i];
            joined = all;
          }
        }
        return joined;
      },
    };
  }

  dispose(): void {
    for (const t of this.inputs) t.dispose();
    const leaked = tf.memory().numTensors - this.before;
    if (leaked !== 0) throw new Error(`${this.workload}: TensorFlow.js leaked ${leaked} tensor(s) during the runs`);
  }
}

// TensorFlow.js on its pure-JS CPU backend (the umbrella package, not tfjs-node),
// and the one way workloads wrap a tfjs computation as an Impl.
import * as tf from '@tensorflow/tfjs';
import type { Impl, Values } from './runner.js';

export { tf };

let ready: Promise<void> | null = null;

/** Selects the 'cpu' backend once; every workload using tfjs awaits this in setup(). */
export function tfCpu(): Promise<void> {
  ready ??= (async () => {
    const ok = await tf.setBackend('cpu');
    await tf.ready();
    if (!ok || tf.getBackend() !== 'cpu') throw new Error(`TensorFlow.js: could not select the cpu backend (got '${tf.getBackend()}')`);
  })();
  return ready;
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
   */
  impl(name: string, compute: () => tf.Tensor | tf.Tensor[], extra: Pick<Impl, 'dtype' | 'note'> = {}): Impl {
    let last: Values[] = [];
    let joined: Values | null = new Float32Array(0);
    return {
      name,
      kind: 'tfjs',
      ...extra,
      run() {
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

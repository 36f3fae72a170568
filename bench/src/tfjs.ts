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
   * output tensor is disposed straight away.
   */
  impl(name: string, compute: () => tf.Tensor, extra: Pick<Impl, 'dtype' | 'note'> = {}): Impl {
    let last: Values = new Float32Array(0);
    return {
      name,
      kind: 'tfjs',
      ...extra,
      run() {
        const out = tf.tidy(compute);
        last = out.dataSync();
        out.dispose();
      },
      result: () => last,
    };
  }

  dispose(): void {
    for (const t of this.inputs) t.dispose();
    const leaked = tf.memory().numTensors - this.before;
    if (leaked !== 0) throw new Error(`${this.workload}: TensorFlow.js leaked ${leaked} tensor(s) during the runs`);
  }
}

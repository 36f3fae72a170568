// What the browser page and Node both compute from the installed packages: a softmax cross entropy with its
// gradient softmax(z) − P, a sparse and a sigmoid cross entropy, one SGD step, and which kernels ran (WebAssembly or
// JavaScript). Plain data out, to compare.
import { getBackend, tensor } from '@xent/tensor';
import { param } from '@xent/autograd';
import { sigmoidCrossEntropyWithLogits, softmaxCrossEntropyWithLogits, sparseSoftmaxCrossEntropyWithLogits } from '@xent/losses';
import { SGD } from '@xent/optim';

/** The numbers the consumer test compares between Node and Chromium. */
export interface Computed {
  loss: number;
  grad: number[][];
  sparse: number;
  sigmoid: number;
  stepped: number[][];
  /** Which kernels ran: 'wasm' (WebAssembly SIMD, embedded in @xent/tensor) or 'js'. */
  backend: string;
}

/** Loss and gradient of a [2, 3] softmax cross entropy, two more losses, and the weights after one SGD step. */
export function compute(): Computed {
  const logits = param(
    tensor([
      [2, 0, 0],
      [0.5, -1, 3],
    ]),
  );
  const loss = softmaxCrossEntropyWithLogits(
    [
      [0, 1, 0],
      [0.2, 0.3, 0.5],
    ],
    logits,
  );
  loss.backward(); // d loss / d logits = (softmax(z) − P) / 2
  const grad = logits.grad!.toArray() as number[][];
  const sparse = sparseSoftmaxCrossEntropyWithLogits(tensor([2, 0], { dtype: 'int32' }), logits).item();
  const sigmoid = sigmoidCrossEntropyWithLogits([[1], [0]], [[1e4], [-3]]).item();
  new SGD([logits], { lr: 0.5 }).step();
  return { loss: loss.item(), grad, sparse, sigmoid, stepped: logits.toArray() as number[][], backend: getBackend() };
}

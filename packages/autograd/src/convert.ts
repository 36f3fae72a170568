import { Tensor, allocate, fromFlat, tensor, type DType, type TensorLike } from '@xent/tensor';

/** Anything an op takes where a Tensor goes: a Tensor, a number or a nested array (a constant). */
export type Input = TensorLike;

/**
 * Turns constants into tensors. A plain number or array takes the float dtype
 * of the tensors beside it (mul(2, x) stays float32 when x is), else float64.
 */
export function toTensors(inputs: readonly Input[]): Tensor[] {
  let like: DType = 'float64';
  for (const x of inputs) {
    if (x instanceof Tensor && x.dtype !== 'int32') {
      like = x.dtype;
      if (like === 'float64') break;
    }
  }
  const out = new Array<Tensor>(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i];
    out[i] = x instanceof Tensor ? x : typeof x === 'number' ? scalar(x, like) : tensor(x, { dtype: like });
  }
  return out;
}

export function toTensor(x: Input): Tensor {
  return x instanceof Tensor ? x : tensor(x);
}

// Number constants are immutable rank-0 tensors, so the same number can share
// one: training loops write mul(x, 2) or add(y, 1e-3) at every step.
const constants = { float64: new Map<number, Tensor>(), float32: new Map<number, Tensor>(), int32: new Map<number, Tensor>() };
const MAX_CONSTANTS = 1024;

/** A rank-0 constant (shared per value and dtype; never a parameter, never written). */
function scalar(x: number, dtype: DType): Tensor {
  const cache = constants[dtype];
  let t = cache.get(x);
  if (t === undefined || Object.is(x, -0)) {
    const data = allocate(dtype, 1);
    data[0] = x;
    t = fromFlat(data, []);
    if (cache.size >= MAX_CONSTANTS) cache.clear();
    if (!Object.is(x, -0)) cache.set(x, t);
  }
  return t;
}

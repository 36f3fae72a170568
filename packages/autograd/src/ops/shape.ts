// Shape ops: views forward, and the inverse view (or a scatter) backward.
import * as K from '@xent/tensor';
import { invertPermutation, normalizeAxis, toTensorArg } from '@xent/tensor/internal';
import { XentError, type Tensor } from '@xent/tensor';
import type { Input } from '../convert.js';
import { builtin, type BuiltinOp } from '../defineOp.js';
import type { OpDef } from '../opDef.js';

const reshapeOp: OpDef<{ shape: readonly number[] }> = {
  name: 'reshape',
  inputs: ['x'],
  forward: ([x], { shape }) => ({ out: K.reshape(x, shape), saved: undefined }),
  backward: (dy, _s, { inputs: [x] }) => [K.reshape(dy, x.shape)], // reshape back
};

const transposeOp: OpDef<{ perm: readonly number[] | undefined }> = {
  name: 'transpose',
  inputs: ['x'],
  forward: ([x], { perm }) => ({ out: K.transpose(x, perm), saved: undefined }),
  // transpose back with the inverse permutation
  backward: (dy, _s, { inputs: [x], attrs: { perm } }) => {
    const p = perm ? perm.map((a) => normalizeAxis(a, x.rank, 'transpose')) : Array.from({ length: x.rank }, (_, k) => x.rank - 1 - k);
    return [K.transpose(dy, invertPermutation(p))];
  },
};

const broadcastToOp: OpDef<{ shape: readonly number[] }> = {
  name: 'broadcastTo',
  inputs: ['x'],
  broadcast: true, // the engine sums dy back to x's shape
  forward: ([x], { shape }) => ({ out: K.broadcastTo(x, shape), saved: undefined }),
  backward: (dy) => [dy],
};

const expandDimsOp: OpDef<{ axis: number }> = {
  name: 'expandDims',
  inputs: ['x'],
  forward: ([x], { axis }) => ({ out: K.expandDims(x, axis), saved: undefined }),
  backward: (dy, _s, { inputs: [x] }) => [K.reshape(dy, x.shape)],
};

const squeezeOp: OpDef<{ axes: number | readonly number[] | undefined }> = {
  name: 'squeeze',
  inputs: ['x'],
  forward: ([x], { axes }) => ({ out: K.squeeze(x, axes), saved: undefined }),
  backward: (dy, _s, { inputs: [x] }) => [K.reshape(dy, x.shape)],
};

const gatherOp: OpDef<{ indices: Tensor; axis: number }> = {
  name: 'gather',
  inputs: ['x'],
  forward: ([x], { indices, axis }) => ({ out: K.gather(x, indices, axis), saved: undefined }),
  // scatter-add: each picked entry sends its dy back to where it came from (repeats add up)
  backward: (dy, _s, { inputs: [x], attrs: { indices, axis } }) => {
    const shape = x.shape;
    const a = normalizeAxis(axis, shape.length, 'gather');
    const n = shape[a];
    const outer = shape.slice(0, a).reduce((p, d) => p * d, 1);
    const inner = shape.slice(a + 1).reduce((p, d) => p * d, 1);
    const idx = K.readFlat(indices);
    const g = K.readFlat(dy);
    const out = K.zeros(shape, dy.dtype);
    const d = out.view.data;
    const m = idx.length;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < m; i++) {
        const j = idx[i] < 0 ? idx[i] + n : idx[i];
        const to = (o * n + j) * inner;
        const from = (o * m + i) * inner;
        for (let t = 0; t < inner; t++) d[to + t] += g[from + t];
      }
    }
    return [out];
  },
};

const concatOp: OpDef<{ axis: number }> = {
  name: 'concat',
  inputs: ['tensors'],
  variadic: true,
  forward: (xs, { axis }) => ({ out: K.concat(xs, axis), saved: undefined }),
  // each input gets back its own slice of dy
  backward: (dy, _s, { inputs, attrs: { axis } }) => {
    const a = normalizeAxis(axis, dy.rank, 'concat');
    let at = 0;
    return inputs.map((x) => {
      const ranges = dy.shape.map((d, k): [number, number] => (k === a ? [at, at + x.shape[a]] : [0, d]));
      at += x.shape[a];
      return K.slice(dy, ranges);
    });
  },
};

/** The same values in another shape (a view when possible); the gradient is reshaped back. */
export const reshape: BuiltinOp<[x: Input, shape: readonly number[]]> = builtin(
  reshapeOp,
  (apply) => (x: Input, shape: readonly number[]) => apply([x], { shape }),
  2,
);
/** Permutes axes; without perm, reverses them. The gradient is transposed back. */
export const transpose: BuiltinOp<[x: Input, perm?: readonly number[]]> = builtin(
  transposeOp,
  (apply) => (x: Input, perm?: readonly number[]) => apply([x], { perm }),
  2,
);
/** A zero-stride view of x with that shape (NumPy rule); the gradient is summed back. */
export const broadcastTo: BuiltinOp<[x: Input, shape: readonly number[]]> = builtin(
  broadcastToOp,
  (apply) => (x: Input, shape: readonly number[]) => apply([x], { shape }),
  2,
);
/** Inserts an axis of size 1 at `axis`. */
export const expandDims: BuiltinOp<[x: Input, axis: number]> = builtin(
  expandDimsOp,
  (apply) => (x: Input, axis: number) => apply([x], { axis }),
  2,
);
/** Removes axes of size 1 (all of them by default). */
export const squeeze: BuiltinOp<[x: Input, axes?: number | readonly number[]]> = builtin(
  squeezeOp,
  (apply) => (x: Input, axes?: number | readonly number[]) => apply([x], { axes }),
  2,
);
/**
 * Picks entries along an axis by integer indices (int32, or floats holding whole numbers);
 * the indices get no gradient, x gets a scatter-add of dy. Non-integer indices are LABEL_OUT_OF_RANGE.
 */
export const gather: BuiltinOp<[x: Input, indices: Input, axis?: number]> = builtin(
  gatherOp,
  (apply) =>
    (x: Input, indices: Input, axis = 0) => {
      const given = toTensorArg(indices, 'gather', 'indices');
      if (given.dtype !== 'int32') {
        // Casting to int32 would truncate 1.7 to 1 and pick the wrong entry without a word.
        const v = K.readFlat(given);
        for (let i = 0; i < v.length; i++) {
          if (!Number.isInteger(v[i]) || Math.abs(v[i]) > 0x7fffffff) {
            throw new XentError(
              'LABEL_OUT_OF_RANGE',
              `gather: indices[${i}] is ${v[i]}; indices must be whole numbers within the axis (int32, or floats holding whole numbers).`,
            );
          }
        }
      }
      return apply([x], { indices: K.tensor(given, { dtype: 'int32' }), axis });
    },
  3,
);
/** Joins tensors along an axis (default 0); each gets back its own slice of dy. Needs at least one tensor. */
export const concat: BuiltinOp<[xs: readonly Input[], axis?: number]> = builtin(
  concatOp,
  (apply) =>
    (xs: readonly Input[], axis = 0) => {
      if (!Array.isArray(xs) || xs.length === 0) throw new XentError('INVALID_ARGUMENT', 'concat: needs a non-empty array of tensors.');
      return apply(xs, { axis });
    },
  2,
);

// The fused cross-entropy ops compute their unit gradient (the gradient for
// dy = 1) in the forward pass, while each row is still in cache; backward only
// scales it by dy. The sum that usually follows sends dy as one value broadcast
// (a zero-stride view): then it is read as a number, and when it is 1 the saved
// gradient is the answer (tensors are never written in place, so sharing it is safe).
import { allocate, fromFlat, readFlat, type DType, type Tensor, type TypedArray } from '@xent/tensor';

/** The single value of dy when every element is the same view of one number, else null. */
export function uniformValue(dy: Tensor): number | null {
  const v = dy.view;
  for (let k = 0; k < v.stride.length; k++) if (v.stride[k] !== 0 && v.shape[k] !== 1) return null;
  return v.data[v.offset];
}

/**
 * dz[r, c] = G[r, c] · dy[r], with G the unit gradient of shape `shape`
 * (rows × cols) and dy one value per row (cols = 1 for elementwise ops).
 */
export function scaleByRows(G: TypedArray, dy: Tensor, shape: readonly number[], cols: number, dtype: DType): Tensor {
  const u = uniformValue(dy);
  if (u === 1 && G instanceof (dtype === 'float32' ? Float32Array : Float64Array)) return fromFlat(G, shape);
  const dz = allocate(dtype, G.length);
  // "+ 0" turns the −0 of a zero gradient times a negative dy into +0 (ignored rows stay exactly 0).
  if (u !== null) {
    for (let i = 0; i < G.length; i++) dz[i] = G[i] * u + 0;
  } else {
    const g = readFlat(dy);
    for (let r = 0, base = 0; r < g.length; r++, base += cols) {
      const gr = g[r];
      for (let c = 0; c < cols; c++) dz[base + c] = G[base + c] * gr + 0;
    }
  }
  return fromFlat(dz, shape);
}

// Shape and flat-index arithmetic shared by checks and messages: the one place
// that compares shapes and the one place that turns a flat position into [i, j, …].
import { fmtShape } from './errors.js';

/** True when two shapes have the same rank and the same size on every axis. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** True when `shape` broadcasts to `target` (NumPy's rule: aligned from the last axis, each size equal or 1, rank ≤ target's). */
export function broadcastsTo(shape: readonly number[], target: readonly number[]): boolean {
  const off = target.length - shape.length;
  return off >= 0 && shape.every((d, k) => d === 1 || d === target[off + k]);
}

/** The multi-index of row-major flat position i in a tensor of this shape: 5 in [2, 3] → [1, 2]. */
export function unravelIndex(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let k = shape.length - 1; k >= 0; k--) {
    idx[k] = i % shape[k];
    i = Math.floor(i / shape[k]);
  }
  return idx;
}

/** The multi-index of flat position i, formatted for messages: fmtIndex(5, [2, 3]) → '[1, 2]'. */
export function fmtIndex(i: number, shape: readonly number[]): string {
  return fmtShape(unravelIndex(i, shape));
}

/** The data position of every element of a strided view, in row-major order: offset + Σ idx·stride for each multi-index. */
export function elementPositions(shape: readonly number[], stride: readonly number[], offset: number): Int32Array {
  const out = new Int32Array(shape.reduce((n, d) => n * d, 1));
  const idx = new Array<number>(shape.length).fill(0);
  let pos = offset;
  for (let i = 0; i < out.length; i++) {
    out[i] = pos;
    // Odometer increment of the multi-index, keeping pos = offset + Σ idx·stride.
    for (let k = shape.length - 1; k >= 0; k--) {
      if (++idx[k] < shape[k]) {
        pos += stride[k];
        break;
      }
      pos -= stride[k] * (shape[k] - 1);
      idx[k] = 0;
    }
  }
  return out;
}

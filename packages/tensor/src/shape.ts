import { allocate, promoteAll } from './dtype.js';
import { XentError, fmtShape } from './errors.js';
import { toTensorArg } from './create.js';
import { checkShape, describe } from './input.js';
import { sameShape } from './layout.js';
import { accumulate, assign } from './strided.js';
import { Tensor, checkHasData, fromFlat, isContiguous, makeView, readFlat } from './tensor.js';
import { simdKernels, wasmColumnSums, type FloatOut } from './wasm/elementwise.js';

/**
 * Resolves a possibly negative axis against a rank; throws AXIS_OUT_OF_RANGE naming the function.
 * As in PyTorch, a scalar (rank 0) accepts axis 0 and -1 (both give 0) as if it had one axis of size 1.
 */
export function normalizeAxis(axis: number, rank: number, where: string): number {
  const r = Math.max(rank, 1);
  if (!Number.isInteger(axis) || axis < -r || axis >= r) {
    throw new XentError(
      'AXIS_OUT_OF_RANGE',
      `${where}: axis ${typeof axis === 'number' ? axis : `is ${describe(axis)}, which`} is out of range for a tensor of rank ${rank}; use an axis in [${-r}, ${r - 1}].`,
    );
  }
  return axis < 0 ? axis + r : axis;
}

/**
 * Normalises an axis list (undefined = all axes), sorted; an axis named twice is INVALID_ARGUMENT.
 * A scalar has no axes to reduce: for rank 0 the (valid) axes 0 / -1 give [].
 */
export function normalizeAxes(axes: number | readonly number[] | undefined, rank: number, where: string): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, k) => k);
  if (typeof axes !== 'number' && !Array.isArray(axes)) {
    throw new XentError(
      'AXIS_OUT_OF_RANGE',
      `${where}: axes is ${describe(axes)}; pass an axis (a whole number), an array of axes, or nothing for all axes.`,
    );
  }
  const list = typeof axes === 'number' ? [axes] : axes;
  const out = list.map((a) => normalizeAxis(a, rank, where));
  const twice = out.find((a, i) => out.indexOf(a) !== i);
  if (twice !== undefined) {
    // NumPy and PyTorch refuse it too: summing an axis "twice" has no meaning of its own.
    throw new XentError('INVALID_ARGUMENT', `${where}: axes ${fmtShape(list)} name axis ${twice} twice; list each axis once.`);
  }
  if (rank === 0) return [];
  return out.sort((a, b) => a - b);
}

/** NumPy broadcasting: right-align the shapes; each pair of sizes must be equal or one of them 1. */
export function broadcastShapes(a: readonly number[], b: readonly number[], where = 'broadcast'): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let k = 0; k < n; k++) {
    const da = a[a.length - n + k] ?? 1;
    const db = b[b.length - n + k] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new XentError(
        'SHAPE_MISMATCH',
        `${where}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot broadcast (axis ${k - n}: ${da} vs ${db}); sizes must match or be 1 — reshape or expandDims one of them.`,
      );
    }
    out[k] = da === 1 ? db : da;
  }
  return out;
}

/** A zero-stride view of t with shape `shape` (no copy). */
export function broadcastTo(t: Tensor, shape: readonly number[], where = 'broadcastTo'): Tensor {
  if (!Array.isArray(shape))
    throw new XentError('SHAPE_MISMATCH', `${where}: shape is ${describe(shape)}; pass an array of sizes such as [2, 3].`);
  checkShape(shape, where);
  const src = t.view;
  const r = shape.length;
  const off = r - src.shape.length;
  if (off < 0) {
    throw new XentError(
      'SHAPE_MISMATCH',
      `${where}: cannot broadcast shape ${fmtShape(src.shape)} to the lower-rank shape ${fmtShape(shape)}.`,
    );
  }
  const stride = new Array<number>(r);
  let same = off === 0;
  for (let k = 0; k < r; k++) {
    if (k < off) {
      stride[k] = 0;
      continue;
    }
    const d = src.shape[k - off];
    if (d === shape[k]) stride[k] = src.stride[k - off];
    else if (d === 1) {
      stride[k] = 0;
      same = false;
    } else {
      throw new XentError(
        'SHAPE_MISMATCH',
        `${where}: shape ${fmtShape(src.shape)} cannot broadcast to ${fmtShape(shape)} (axis ${k}: ${d} vs ${shape[k]}); sizes must match or be 1.`,
      );
    }
  }
  if (same) return t;
  return new Tensor(makeView(src.data, shape, stride, src.offset));
}

/**
 * sumTo(g, shape): the adjoint of broadcasting (PyTorch's at::sum_to). Sums g
 * over the axes that broadcasting expanded, by accumulating into a zero-stride
 * view of the result (one strided accumulate, see strided.ts).
 */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  const gs = g.view.shape;
  if (Array.isArray(shape) && sameShape(gs, shape)) return g;
  checkShape(shape, 'sumTo'); // sizes that are whole numbers ≥ 0 ([1.5] and [NaN, 2] reached fromFlat and allocate)
  const outDtype = g.dtype === 'int32' ? 'float64' : g.dtype;
  const out = fromFlat(
    allocate(
      outDtype,
      shape.reduce((a, b) => a * b, 1),
    ),
    shape,
  );
  // g = [rows, …shape] contiguous (the bias gradient): column sums on the SIMD kernels, the same sums in the same order.
  const cols = trailingBlock(gs, shape);
  const kv = cols > 0 && isContiguous(g) ? simdKernels(g.size, outDtype, g.dtype) : null;
  if (kv !== null) wasmColumnSums(kv, readFlat(g), g.size / cols, cols, out.view.data as FloatOut);
  else accumulate('sum', broadcastTo(out, gs, 'sumTo').view, g.view);
  return out;
}

/**
 * The size of `small` when it is a trailing block of `big` (small's shape, leading 1s dropped, ends big's shape,
 * and small is no longer than big): big ∘ small then repeats small along big's leading axes. 0 otherwise.
 */
export function trailingBlock(big: readonly number[], small: readonly number[]): number {
  let k = 0;
  while (k < small.length && small[k] === 1) k++;
  const rest = small.length - k;
  if (rest === 0 || small.length > big.length) return 0;
  let size = 1;
  for (let j = 1; j <= rest; j++) {
    if (small[small.length - j] !== big[big.length - j]) return 0;
    size *= small[small.length - j];
  }
  return size;
}

/** Reshape: a view when the data is contiguous, else a copy. One entry may be -1. */
export function reshape(t: Tensor, shape: readonly number[]): Tensor {
  const size = t.size;
  if (!Array.isArray(shape)) {
    throw new XentError('SHAPE_MISMATCH', `reshape: shape is ${describe(shape)}; pass an array of sizes such as [2, -1].`);
  }
  shape.forEach((d: unknown, k) => {
    if (typeof d !== 'number' || !(Number.isInteger(d) && d >= -1)) {
      throw new XentError(
        'SHAPE_MISMATCH',
        `reshape: cannot reshape ${fmtShape(t.shape)} to ${fmtShape(shape)}: the size at axis ${k} is ${typeof d === 'number' ? d : describe(d)}; ` +
          `every size must be a whole number ≥ 0, or one -1 for "the rest".`,
      );
    }
  });
  const s = shape.slice();
  const unknown = s.indexOf(-1);
  if (unknown >= 0) {
    const known = s.reduce((a, d, k) => (k === unknown ? a : a * d), 1);
    if (known === 0 || size % known !== 0 || s.lastIndexOf(-1) !== unknown) {
      throw new XentError(
        'SHAPE_MISMATCH',
        `reshape: cannot reshape ${fmtShape(t.shape)} (${size} elements) to ${fmtShape(shape)}; at most one -1 and the known sizes must divide ${size}.`,
      );
    }
    s[unknown] = size / known;
  }
  const newSize = s.reduce((a, b) => a * b, 1);
  if (newSize !== size || s.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new XentError(
      'SHAPE_MISMATCH',
      `reshape: cannot reshape ${fmtShape(t.shape)} (${size} elements) to ${fmtShape(shape)} (${newSize} elements); the sizes must hold the same number of elements.`,
    );
  }
  if (isContiguous(t)) return new Tensor(makeView(t.view.data, s, undefined, t.view.offset));
  return fromFlat(readFlat(t), s);
}

/** Permutes axes (a view). Without `perm`, reverses them (a matrix transpose). */
export function transpose(t: Tensor, perm?: readonly number[]): Tensor {
  const r = t.rank;
  if (perm !== undefined && perm !== null && !Array.isArray(perm)) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `transpose: perm is ${describe(perm)}; pass an array of axes such as [1, 0], or nothing to reverse them.`,
    );
  }
  const p = perm ? perm.map((a) => normalizeAxis(a, r, 'transpose')) : Array.from({ length: r }, (_, k) => r - 1 - k);
  if (p.length !== r || new Set(p).size !== r) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `transpose: perm [${perm?.join(', ')}] is not a permutation of the ${r} axes of shape ${fmtShape(t.shape)}; ` +
        `pass each axis 0…${r - 1} once (negative axes count from the end).`,
    );
  }
  return new Tensor(t.view.transpose(...p));
}
export const permute = transpose;

/** The inverse of a permutation. */
export function invertPermutation(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, k) => (inv[p] = k));
  return inv;
}

/** Inserts an axis of size 1 at `axis` (a view). */
export function expandDims(t: Tensor, axis: number): Tensor {
  const a = normalizeAxis(axis, t.rank + 1, 'expandDims');
  const shape = t.shape;
  const stride = t.view.stride.slice();
  shape.splice(a, 0, 1);
  stride.splice(a, 0, 0);
  return new Tensor(makeView(t.view.data, shape, stride, t.view.offset));
}

/** Removes axes of size 1 (all of them, or those named). A view. */
export function squeeze(t: Tensor, axes?: number | readonly number[]): Tensor {
  const shape = t.shape;
  const drop = axes === undefined ? shape.map((d, k) => (d === 1 ? k : -1)).filter((k) => k >= 0) : normalizeAxes(axes, t.rank, 'squeeze');
  for (const k of drop) {
    if (shape[k] !== 1) {
      throw new XentError(
        'SHAPE_MISMATCH',
        `squeeze: axis ${k} of shape ${fmtShape(shape)} has size ${shape[k]}, not 1; only axes of size 1 can be squeezed.`,
      );
    }
  }
  const keep = shape.map((_, k) => k).filter((k) => !drop.includes(k));
  return new Tensor(
    makeView(
      t.view.data,
      keep.map((k) => shape[k]),
      keep.map((k) => t.view.stride[k]),
      t.view.offset,
    ),
  );
}

/**
 * One bound of a slice range: a whole number, or undefined/null for the default (`whenMissing`: 0 for a start,
 * the axis length for an end). NaN, 1.5 or '1' would otherwise be read as some other index (ndarray skips
 * NaN and truncates fractions), so they are refused.
 */
function sliceBound(v: unknown, k: number, which: 'start' | 'end', whenMissing: number): number {
  if (v === undefined || v === null) return whenMissing;
  if (typeof v === 'number' && (Number.isInteger(v) || v === Infinity || v === -Infinity)) return v;
  throw new XentError(
    'INVALID_ARGUMENT',
    `slice: the ${which} for axis ${k} is ${describe(v)}; pass whole numbers (negative: from the end).`,
  );
}

/** Slices leading axes: slice(t, [start, end] per axis). Negative indices count from the end. A view. */
export function slice(t: Tensor, ranges: readonly (readonly [number, number?])[]): Tensor {
  const shape = t.shape;
  if (!Array.isArray(ranges) || !ranges.every(Array.isArray)) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `slice: ranges is ${describe(ranges)}; pass [start, end] pairs, e.g. slice(t, [[0, 2], [1, 3]]).`,
    );
  }
  if (ranges.length > shape.length) {
    throw new XentError('INVALID_ARGUMENT', `slice: ${ranges.length} ranges for a tensor of rank ${shape.length}.`);
  }
  let v = t.view;
  const lo: number[] = [];
  const hi: number[] = [];
  ranges.forEach(([from, to], k) => {
    const n = shape[k];
    const s = sliceBound(from, k, 'start', 0);
    const e = sliceBound(to, k, 'end', n);
    const start = Math.min(n, Math.max(0, s < 0 ? s + n : s));
    const end = Math.min(n, Math.max(start, e < 0 ? e + n : e));
    lo.push(start);
    hi.push(end - start);
  });
  v = v.lo(...lo).hi(...hi);
  return new Tensor(v);
}

/** Picks entries along `axis` by integer indices: out.shape = shape with shape[axis] replaced by indices.shape. */
export function gather(t: Tensor, indices: Tensor | readonly number[], axis = 0): Tensor {
  if (t.rank === 0) throw new XentError('INVALID_ARGUMENT', 'gather: cannot index a scalar (rank 0); pass a tensor of rank ≥ 1.');
  const a = normalizeAxis(axis, t.rank, 'gather');
  // Arrays become float64 and are checked below (an Int32Array would silently truncate 1.5 to 1 and NaN to 0).
  const idx = toTensorArg(indices, 'gather', 'indices');
  const flatIdx = readFlat(idx);
  const shape = t.shape;
  const n = shape[a];
  for (let i = 0; i < flatIdx.length; i++) {
    const j = flatIdx[i];
    if (!Number.isInteger(j) || j < -n || j >= n) {
      throw new XentError(
        'LABEL_OUT_OF_RANGE',
        `gather: indices[${i}] is ${j}, out of range for axis ${a} of size ${n}; indices must be whole numbers in [${-n}, ${n}).`,
      );
    }
  }
  const src = readFlat(t);
  const outer = shape.slice(0, a).reduce((x, y) => x * y, 1);
  const inner = shape.slice(a + 1).reduce((x, y) => x * y, 1);
  const m = flatIdx.length;
  const out = allocate(t.dtype, outer * m * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < m; i++) {
      const j = flatIdx[i] < 0 ? flatIdx[i] + n : flatIdx[i];
      const from = (o * n + j) * inner;
      out.set(src.subarray(from, from + inner), (o * m + i) * inner);
    }
  }
  return fromFlat(out, [...shape.slice(0, a), ...idx.shape, ...shape.slice(a + 1)]);
}

/** Joins tensors along an existing axis. */
export function concat(ts: readonly Tensor[], axis = 0): Tensor {
  if (!Array.isArray(ts) || !ts.every((t) => t instanceof Tensor)) {
    throw new XentError('INVALID_ARGUMENT', `concat: found ${describe(ts)}; pass an array of Tensors.`);
  }
  if (ts.length === 0) throw new XentError('INVALID_ARGUMENT', 'concat: needs at least one tensor.');
  const first = ts[0];
  if (first.rank === 0) throw new XentError('INVALID_ARGUMENT', 'concat: scalars (rank 0) cannot be concatenated; expandDims them first.');
  const a = normalizeAxis(axis, first.rank, 'concat');
  const base = first.shape;
  let total = 0;
  for (const t of ts) {
    checkHasData(t);
    const s = t.shape;
    if (s.length !== base.length || s.some((d, k) => k !== a && d !== base[k])) {
      throw new XentError(
        'SHAPE_MISMATCH',
        `concat: shapes ${fmtShape(base)} and ${fmtShape(s)} differ outside axis ${a}; all other axes must match.`,
      );
    }
    total += s[a];
  }
  // Same dtype: kept (int32 too). Mixed: the float rule (float32 stays float32 unless a float64 joins; int32 does not vote).
  const dtype = ts.every((t) => t.dtype === first.dtype) ? first.dtype : promoteAll(ts.map((t) => t.dtype));
  const outShape = base.slice();
  outShape[a] = total;
  const out = fromFlat(
    allocate(
      dtype,
      outShape.reduce((x, y) => x * y, 1),
    ),
    outShape,
  );
  let at = 0;
  for (const t of ts) {
    const lo = outShape.map((_, k) => (k === a ? at : 0));
    const dst = out.view.lo(...lo).hi(...t.shape);
    assign(dst, t.view);
    at += t.shape[a];
  }
  return out;
}

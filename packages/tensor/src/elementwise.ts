import { allocate, promote, type DType } from './dtype.js';
import { XentError, checkArgCount } from './errors.js';
import { describe } from './input.js';
import { broadcastShapes, broadcastTo, trailingBlock } from './shape.js';
import { pooledScalar } from './scalarPool.js';
import { forEachRow, rowLength, rowStep } from './strided.js';
import { Tensor, checkHasData, fromFlat, isContiguous, readFlat } from './tensor.js';
import { SIMD_SIZES, simdKernels, wasmBinary, wasmRelu, type WasmBinaryOp } from './wasm/elementwise.js';

/** A Tensor or a plain number (a constant that takes the other operand's float dtype). */
export type Operand = Tensor | number;

function asTensor(x: Operand, dtype: DType, where = 'elementwise op'): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x !== 'number') throw notTensor(x, where, true);
  const d = allocate(dtype === 'int32' ? 'float64' : dtype, 1);
  d[0] = x;
  return fromFlat(d, []);
}

/** The refusal for an operand that is not a Tensor (nor, where allowed, a number): nothing is coerced. */
function notTensor(x: unknown, where: string, numbers: boolean): XentError {
  return new XentError(
    'INVALID_ARGUMENT',
    `${where}: an operand is ${describe(x)}; pass a Tensor${numbers ? ' or a number' : ''} (make one with tensor(values)).`,
  );
}

// ---------------------------------------------------------------- unary

type Values = ArrayLike<number>;
type Out = { [i: number]: number; readonly length: number };

const scratchIn = new Float64Array(1);
const scratchOut = new Float64Array(1);

/**
 * Builds a unary op from its loop. Each op passes its own loop (a separate
 * function literal), so V8 sees one callee per call site and inlines the math;
 * a shared loop calling `f(x)` per element is megamorphic and ~2× slower.
 */
function unary(name: string, loop: (src: Values, out: Out, n: number) => void, simd?: 'relu'): (x: Tensor) => Tensor {
  return (x: Tensor): Tensor => {
    if (!(x instanceof Tensor)) throw notTensor(x, name, false);
    if (x.view.dimension === 0) {
      // One value (micrograd-style graphs): through one-slot scratch arrays into a slot of the scalar pool.
      checkHasData(x); // a transferred typed array would read as NaN
      scratchIn[0] = x.view.data[x.view.offset];
      loop(scratchIn, scratchOut, 1);
      const out = pooledScalar(promote(x.dtype));
      out.view.data[out.view.offset] = scratchOut[0];
      return out;
    }
    const src = readFlat(x);
    const dtype = promote(x.dtype);
    const kv = simd === undefined ? null : simdKernels(src.length, dtype, x.dtype);
    if (kv !== null) return fromFlat(wasmRelu(kv, src, src.length, dtype === 'float32'), x.view.shape);
    const out = allocate(dtype, src.length);
    loop(src, out, src.length);
    return fromFlat(out, x.view.shape);
  };
}

export const neg = /* @__PURE__ */ unary('neg', (s, o, n) => {
  for (let i = 0; i < n; i++) o[i] = -s[i];
});
export const exp = /* @__PURE__ */ unary('exp', (s, o, n) => {
  for (let i = 0; i < n; i++) o[i] = Math.exp(s[i]);
});
export const log = /* @__PURE__ */ unary('log', (s, o, n) => {
  for (let i = 0; i < n; i++) o[i] = Math.log(s[i]);
});
export const log1p = /* @__PURE__ */ unary('log1p', (s, o, n) => {
  for (let i = 0; i < n; i++) o[i] = Math.log1p(s[i]);
});
export const expm1 = /* @__PURE__ */ unary('expm1', (s, o, n) => {
  for (let i = 0; i < n; i++) o[i] = Math.expm1(s[i]);
});
export const abs = /* @__PURE__ */ unary('abs', (s, o, n) => {
  for (let i = 0; i < n; i++) o[i] = Math.abs(s[i]);
});
export const sqrt = /* @__PURE__ */ unary('sqrt', (s, o, n) => {
  for (let i = 0; i < n; i++) o[i] = Math.sqrt(s[i]);
});
export const square = /* @__PURE__ */ unary('square', (s, o, n) => {
  for (let i = 0; i < n; i++) o[i] = s[i] * s[i];
});
export const reciprocal = /* @__PURE__ */ unary('reciprocal', (s, o, n) => {
  for (let i = 0; i < n; i++) o[i] = 1 / s[i];
});
export const sign = /* @__PURE__ */ unary('sign', (s, o, n) => {
  for (let i = 0; i < n; i++) o[i] = Math.sign(s[i]);
});
export const tanh = /* @__PURE__ */ unary('tanh', (s, o, n) => {
  for (let i = 0; i < n; i++) o[i] = Math.tanh(s[i]);
});
export const relu = /* @__PURE__ */ unary(
  'relu',
  (s, o, n) => {
    for (let i = 0; i < n; i++) o[i] = s[i] <= 0 ? 0 : s[i]; // NaN stays NaN (NumPy, PyTorch)
  },
  'relu',
);
/** σ(x) = 1/(1+e^−x), evaluated as e/(1+e) with e = e^{−|x|} ≤ 1: never overflows, exact at ±1e4. */
export const sigmoid = /* @__PURE__ */ unary('sigmoid', (s, o, n) => {
  for (let i = 0; i < n; i++) {
    const x = s[i];
    const e = Math.exp(-Math.abs(x));
    o[i] = x >= 0 ? 1 / (1 + e) : e / (1 + e);
  }
});
/** softplus(x) = log(1+e^x) = max(x,0) + log1p(e^−|x|): no overflow for large x. */
export const softplus = /* @__PURE__ */ unary('softplus', (s, o, n) => {
  for (let i = 0; i < n; i++) o[i] = (s[i] > 0 ? s[i] : 0) + Math.log1p(Math.exp(-Math.abs(s[i])));
});
/** log σ(x) = −softplus(−x) = min(x,0) − log1p(e^−|x|), stable for both signs (and +0, not −0, for large x). */
export const logSigmoid = /* @__PURE__ */ unary('logSigmoid', (s, o, n) => {
  for (let i = 0; i < n; i++) o[i] = (s[i] < 0 ? s[i] : 0) - Math.log1p(Math.exp(-Math.abs(s[i])));
});

/** Clips values to [lo, hi]. */
export function clip(x: Tensor, lo: number, hi: number): Tensor {
  if (!(x instanceof Tensor)) throw notTensor(x, 'clip', false);
  if (typeof lo !== 'number' || typeof hi !== 'number') {
    throw new XentError('INVALID_ARGUMENT', `clip: lo is ${describe(lo)} and hi is ${describe(hi)}; pass two numbers with lo ≤ hi.`);
  }
  if (!(lo <= hi)) throw new XentError('INVALID_ARGUMENT', `clip: lo (${lo}) must not exceed hi (${hi}).`);
  const src = readFlat(x);
  const out = allocate(promote(x.dtype), src.length);
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    out[i] = v < lo ? lo : v > hi ? hi : v;
  }
  return fromFlat(out, x.shape);
}

// ---------------------------------------------------------------- binary

/**
 * o[io + i] = f(x[ix + i·sx], y[iy + i·sy]) for i < n: over flat data (offsets 0; sx, sy are 1, or 0 for a single
 * value broadcast against the other), or along one row of strided views (a zero stride where an axis broadcasts).
 */
type FlatBinary = (x: Values, y: Values, o: Out, n: number, sx: number, sy: number, ix: number, iy: number, io: number) => void;

/**
 * Builds a broadcasting binary op. Contiguous data of equal shapes, or against
 * a single value (a scalar constant, a [1] bias), runs the op's own flat loop;
 * anything else runs the same loop row by row over zero-stride views (no copies).
 */
function binary(name: string, loop: FlatBinary, simd?: WasmBinaryOp) {
  // The comparison pays at every size (the JS loop's branch mispredicts); + and × in float64 up to a bound.
  const maxFloat64 = simd === 'gt' ? Infinity : SIMD_SIZES.maxFloat64Binary;
  return (a: Operand, b: Operand): Tensor => {
    const ta = asTensor(a, b instanceof Tensor ? b.dtype : 'float64', name);
    const tb = asTensor(b, ta.dtype, name);
    const dtype = promote(ta.dtype, tb.dtype);
    const va = ta.view;
    const vb = tb.view;
    if (va.dimension === 0 && vb.dimension === 0) {
      // Scalar ⊙ scalar (micrograd-style graphs): no shape or layout work, a slot of the scalar pool.
      checkHasData(ta); // a transferred typed array would read as NaN
      checkHasData(tb);
      const out = pooledScalar(dtype);
      loop(va.data, vb.data, out.view.data, 1, 0, 0, va.offset, vb.offset, out.view.offset);
      return out;
    }
    const sa = va.shape;
    const sb = vb.shape;
    let same = sa.length === sb.length;
    for (let k = 0; same && k < sa.length; k++) same = sa[k] === sb[k];
    const na = ta.size;
    const nb = tb.size;
    if (isContiguous(ta) && isContiguous(tb)) {
      let shape: readonly number[] | null = null;
      if (same) shape = sa;
      else if (nb === 1 && sa.length >= sb.length) shape = sa;
      else if (na === 1 && sb.length >= sa.length) shape = sb;
      if (shape !== null) {
        const n = shape === sa ? na : nb;
        const kv = simd === undefined ? null : simdKernels(n, dtype, ta.dtype, tb.dtype, maxFloat64);
        if (kv !== null && simd !== undefined)
          return fromFlat(wasmBinary(kv, simd, readFlat(ta), na, readFlat(tb), nb, n, dtype === 'float32'), shape);
        const out = allocate(dtype, n);
        loop(readFlat(ta), readFlat(tb), out, n, same || shape === sa ? 1 : 0, same || shape === sb ? 1 : 0, 0, 0, 0);
        return fromFlat(out, shape);
      }
      // One operand a trailing block of the other's shape ([R, C] ∘ [C], the bias of x·W + b): rows on the SIMD kernels.
      const m = simd === undefined ? 0 : na > nb ? trailingBlock(sa, sb) : trailingBlock(sb, sa);
      const kv = m > 0 ? simdKernels(Math.max(na, nb), dtype, ta.dtype, tb.dtype, maxFloat64) : null;
      if (kv !== null && simd !== undefined) {
        return fromFlat(wasmBinary(kv, simd, readFlat(ta), na, readFlat(tb), nb, Math.max(na, nb), dtype === 'float32'), na > nb ? sa : sb);
      }
    }
    const shape = same ? sa.slice() : broadcastShapes(sa, sb, name);
    const out = fromFlat(
      allocate(
        dtype,
        shape.reduce((p, d) => p * d, 1),
      ),
      shape,
    );
    if (out.size > 0) {
      const o = out.view;
      const wa = broadcastTo(ta, shape, name).view;
      const wb = broadcastTo(tb, shape, name).view;
      const n = rowLength(shape);
      const sx = rowStep(wa);
      const sy = rowStep(wb);
      // The output is contiguous: each row's loop writes o[io], …, o[io + n − 1].
      forEachRow(shape, wa, wb, o, (ia, ib, io) => loop(wa.data, wb.data, o.data, n, sx, sy, ia, ib, io));
    }
    return out;
  };
}

export const add = /* @__PURE__ */ binary(
  'add',
  (x, y, o, n, sx, sy, ix, iy, io) => {
    for (let i = 0; i < n; i++) o[io + i] = x[ix + i * sx] + y[iy + i * sy];
  },
  'add',
);
export const sub = /* @__PURE__ */ binary('sub', (x, y, o, n, sx, sy, ix, iy, io) => {
  for (let i = 0; i < n; i++) o[io + i] = x[ix + i * sx] - y[iy + i * sy];
});
export const mul = /* @__PURE__ */ binary(
  'mul',
  (x, y, o, n, sx, sy, ix, iy, io) => {
    for (let i = 0; i < n; i++) o[io + i] = x[ix + i * sx] * y[iy + i * sy];
  },
  'mul',
);
export const div = /* @__PURE__ */ binary('div', (x, y, o, n, sx, sy, ix, iy, io) => {
  for (let i = 0; i < n; i++) o[io + i] = x[ix + i * sx] / y[iy + i * sy];
});
export const pow = /* @__PURE__ */ binary('pow', (x, y, o, n, sx, sy, ix, iy, io) => {
  for (let i = 0; i < n; i++) o[io + i] = Math.pow(x[ix + i * sx], y[iy + i * sy]);
});
export const maximum = /* @__PURE__ */ binary('maximum', (x, y, o, n, sx, sy, ix, iy, io) => {
  for (let i = 0; i < n; i++) o[io + i] = Math.max(x[ix + i * sx], y[iy + i * sy]);
});
export const minimum = /* @__PURE__ */ binary('minimum', (x, y, o, n, sx, sy, ix, iy, io) => {
  for (let i = 0; i < n; i++) o[io + i] = Math.min(x[ix + i * sx], y[iy + i * sy]);
});
// Comparisons give 1 where true and 0 where false, in the float dtype.
/** A comparison op: binary(…) refusing a third argument (NumPy's out: less(a, b, out) left out unwritten). Off add's hot path. */
function comparison(name: string, loop: FlatBinary, simd?: WasmBinaryOp) {
  const op = binary(name, loop, simd);
  return function (a: Operand, b: Operand): Tensor {
    checkArgCount(name, arguments.length, 2, 'it returns its result (there is no out argument)');
    return op(a, b);
  };
}
/** less(a, b): 1 where a < b, else 0, in the float dtype; a and b broadcast (NumPy rules). */
export const less = /* @__PURE__ */ comparison('less', (x, y, o, n, sx, sy, ix, iy, io) => {
  for (let i = 0; i < n; i++) o[io + i] = x[ix + i * sx] < y[iy + i * sy] ? 1 : 0;
});
/** greater(a, b): 1 where a > b, else 0, in the float dtype; a and b broadcast (NumPy rules). */
export const greater = /* @__PURE__ */ comparison(
  'greater',
  (x, y, o, n, sx, sy, ix, iy, io) => {
    for (let i = 0; i < n; i++) o[io + i] = x[ix + i * sx] > y[iy + i * sy] ? 1 : 0;
  },
  'gt',
);
/** lessEqual(a, b): 1 where a ≤ b, else 0, in the float dtype; a and b broadcast (NumPy rules). */
export const lessEqual = /* @__PURE__ */ comparison('lessEqual', (x, y, o, n, sx, sy, ix, iy, io) => {
  for (let i = 0; i < n; i++) o[io + i] = x[ix + i * sx] <= y[iy + i * sy] ? 1 : 0;
});
/** greaterEqual(a, b): 1 where a ≥ b, else 0, in the float dtype; a and b broadcast (NumPy rules). */
export const greaterEqual = /* @__PURE__ */ comparison('greaterEqual', (x, y, o, n, sx, sy, ix, iy, io) => {
  for (let i = 0; i < n; i++) o[io + i] = x[ix + i * sx] >= y[iy + i * sy] ? 1 : 0;
});
/** equal(a, b): 1 where a = b (exactly; NaN ≠ NaN), else 0, in the float dtype; a and b broadcast (NumPy rules). */
export const equal = /* @__PURE__ */ comparison('equal', (x, y, o, n, sx, sy, ix, iy, io) => {
  for (let i = 0; i < n; i++) o[io + i] = x[ix + i * sx] === y[iy + i * sy] ? 1 : 0;
});
/** notEqual(a, b): 1 where a ≠ b (NaN ≠ NaN is 1), else 0, in the float dtype; a and b broadcast (NumPy rules). */
export const notEqual = /* @__PURE__ */ comparison('notEqual', (x, y, o, n, sx, sy, ix, iy, io) => {
  for (let i = 0; i < n; i++) o[io + i] = x[ix + i * sx] !== y[iy + i * sy] ? 1 : 0;
});

/** where(cond, a, b): a where cond ≠ 0, else b; all three broadcast together. */
export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  const ta = asTensor(a, b instanceof Tensor ? b.dtype : 'float64');
  const tb = asTensor(b, ta.dtype);
  const shape = broadcastShapes(broadcastShapes(cond.shape, ta.shape, 'where'), tb.shape, 'where');
  const c = readFlat(broadcastTo(cond, shape, 'where'));
  const x = readFlat(broadcastTo(ta, shape, 'where'));
  const y = readFlat(broadcastTo(tb, shape, 'where'));
  const out = allocate(promote(ta.dtype, tb.dtype), c.length);
  for (let i = 0; i < c.length; i++) out[i] = c[i] !== 0 ? x[i] : y[i];
  return fromFlat(out, shape);
}

import { DTYPES, Tensor, XentError, fromFlat, type DType, type TensorLike } from '@xent/tensor';
import { allocate, checkArgCount, describe, formatValue, toTensorArg } from '@xent/tensor/internal';

/** Anything an op takes where a Tensor goes: a Tensor, a number or a nested array (a constant). */
export type Input = TensorLike;

/** What a conversion error names: the op and its inputs (an OpDef fits). */
export interface InputNames {
  readonly name: string;
  readonly inputs: readonly string[];
  readonly variadic?: boolean;
}

/** The name of input i, for messages: 'b', or 'tensors[2]' for a variadic op. */
function argName(names: InputNames | undefined, i: number): string {
  if (names === undefined) return `inputs[${i}]`;
  return names.variadic ? `${names.inputs[0]}[${i}]` : (names.inputs[i] ?? `inputs[${i}]`);
}

/**
 * Turns constants into tensors. A plain number or array takes the float dtype
 * of the tensors beside it (mul(2, x) stays float32 when x is), else float64.
 * Anything else (undefined, null, a string, a boolean, a Date, …) is an
 * INVALID_ARGUMENT naming the op, the input and the value's type: nothing is
 * coerced (null would be 0, '2' would be 2).
 */
export function toTensors(inputs: readonly Input[], names?: InputNames): Tensor[] {
  let like: DType = 'float64';
  for (const x of inputs) {
    if (x instanceof Tensor && x.dtype !== 'int32') {
      like = x.dtype;
      if (like === 'float64') break;
    }
  }
  const out = new Array<Tensor>(inputs.length);
  for (let i = 0; i < inputs.length; i++) {
    const x: unknown = inputs[i];
    if (x instanceof Tensor) out[i] = x;
    else if (typeof x === 'number') out[i] = scalar(x, like);
    else if (Array.isArray(x) || ArrayBuffer.isView(x)) out[i] = toTensorArg(x, names?.name ?? 'op', argName(names, i), { dtype: like });
    else throw notAnInput(x, names?.name ?? 'op', argName(names, i));
  }
  return out;
}

/**
 * One argument as a tensor (a Tensor as is, a number or nested array as a new
 * float64 tensor). `where`/`name` name the function and argument in errors.
 */
export function toTensor(x: Input, where = 'toTensor', name = 'x'): Tensor {
  if (x instanceof Tensor) return x;
  const v: unknown = x;
  if (typeof v === 'number' || Array.isArray(v) || ArrayBuffer.isView(v)) return toTensorArg(v, where, name);
  throw notAnInput(v, where, name);
}

/**
 * toTensor(x, where?, name?): x as a tensor — a Tensor as is, a number or nested array as a new float64 tensor;
 * `where` and `name` name the function and the argument in its errors. For another dtype, tensor(x, { dtype }).
 * INVALID_ARGUMENT for a fourth argument, or a `where`/`name` that is not a string or is a dtype's name
 * (toTensor(x, 'float32') gave float64).
 */
export function checkedToTensor(x: Input, where = 'toTensor', name = 'x'): Tensor {
  checkArgCount('toTensor', arguments.length, 3, 'pass (x, where, name)');
  for (const s of [where, name]) {
    if (typeof s !== 'string' || DTYPES.includes(s as DType)) {
      throw new XentError(
        'INVALID_ARGUMENT',
        `toTensor: where/name is ${formatValue(s)}, but they are the function and argument its errors name; toTensor keeps x's dtype (arrays become float64) — tensor(x, { dtype }) converts.`,
      );
    }
  }
  return toTensor(x, where, name);
}

function notAnInput(x: unknown, where: string, name: string): XentError {
  const hint = typeof x === 'string' || typeof x === 'boolean' ? ` — xent does not convert it; write the number itself` : '';
  return new XentError(
    'INVALID_ARGUMENT',
    `${where}: ${name} is ${describe(x)}; pass a Tensor, a number or a nested array of numbers${hint}.`,
  );
}

// Number constants are immutable rank-0 tensors, so the same number can share
// one: training loops write mul(x, 2) or add(y, 1e-3) at every step (kept: ≥ 30 % of the
// autograd-overhead bench). Their storage is recorded so that param() never adopts it.
const constants = { float64: new Map<number, Tensor>(), float32: new Map<number, Tensor>(), int32: new Map<number, Tensor>() };
const constantStorage = new WeakSet<object>();

/** True when t's data is that of a shared number constant (views included): it must never be written. */
export function isSharedConstant(t: Tensor): boolean {
  return constantStorage.has(t.view.data);
}
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
    if (!Object.is(x, -0)) {
      cache.set(x, t);
      constantStorage.add(data);
    }
  }
  return t;
}

/** Throws INVALID_ARGUMENT unless f is a function (grad(3), noGrad(3) would fail later with a TypeError). */
export function checkFunction(f: unknown, where: string, name = 'f'): void {
  if (typeof f !== 'function') {
    throw new XentError('INVALID_ARGUMENT', `${where}: ${name} is ${describe(f)}; pass a function, e.g. ${where}((x) => sum(mul(x, x))).`);
  }
}

/** Throws INVALID_ARGUMENT unless xs is an array (a list of inputs or parameters). */
export function checkList(xs: unknown, where: string, name: string): void {
  if (!Array.isArray(xs)) {
    throw new XentError('INVALID_ARGUMENT', `${where}: ${name} is ${describe(xs)}; pass an array, e.g. [x] for one.`);
  }
}

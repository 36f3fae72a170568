// Gradient checking by central differences, in float64 (PyTorch's gradcheck
// semantics): for a seeded random dy, L(x) = ⟨dy, f(x)⟩ and
//   numeric_i = (L(x + ε·e_i) − L(x − ε·e_i)) / 2ε   versus   analytic_i = ∂L/∂x_i from backward.
// A random dy (not ones) catches a backward that forgot to multiply by dy.
import { Rng, Tensor, XentError, readFlat, zeros } from '@xent/tensor';
import {
  booleanOption,
  checkArgCount,
  customOption,
  describe,
  fmtIndex,
  fmtShape,
  numberOption,
  parseOptions,
  type OptionsOf,
  cast,
  clone,
} from '@xent/tensor/internal';
import { checkFunction, checkList, toTensor, type Input } from './convert.js';
import { gradients, nextId, type Node } from './engine.js';
import { enableGrad, noGrad } from './gradMode.js';

/**
 * What a passing gradCheck returns (a failing one throws XentError GRADCHECK_FAILED naming the op, the input,
 * the worst index and the analytic and numeric values).
 */
export interface GradCheckResult {
  ok: true;
  /** Largest |analytic − numeric| over all checked elements. */
  maxAbsError: number;
  /** Number of input elements (or directions) checked. */
  checked: number;
}

/** Options of gradCheck and directionalGradCheck: the finite-difference step, tolerances, seed, inputs checked. */
export type GradCheckOptions = OptionsOf<typeof GRADCHECK_SCHEMA>;

interface Prepared {
  where: string;
  name: string | undefined;
  xs: Tensor[];
  wrt: number[];
  eps: number;
  atol: number;
  rtol: number;
  rng: Rng;
}

const GRADCHECK_SCHEMA = {
  /** Finite-difference step (default 1e-6; 1e-5 in tight mode). */
  eps: numberOption(undefined, '(0, ∞)', 'the finite-difference step, e.g. eps: 1e-6'),
  /** Pass when |analytic − numeric| ≤ atol + rtol·|numeric| (defaults 1e-5 and 1e-3). */
  atol: numberOption(undefined, '[0, ∞)'),
  rtol: numberOption(undefined, '[0, ∞)'),
  /** Tight mode for smooth ops: eps 1e-5, atol 1e-7, rtol 1e-5. */
  tight: booleanOption(false),
  /** Seed of the random dy (and of the direction in directionalGradCheck). */
  seed: customOption<number, number>(0, (v, fail) =>
    Number.isSafeInteger(v) ? (v as number) : fail('a whole number within ±2⁵³, e.g. seed: 0'),
  ),
  /** Indices of the inputs to check (default: every float input). */
  wrt: customOption<readonly number[], number[] | undefined>(undefined, (v, fail) =>
    Array.isArray(v) && v.every((i) => Number.isInteger(i) && i >= 0) ? [...v] : fail('an array of input indices, e.g. wrt: [0]'),
  ),
  /** Name used in failure messages (default: the op that produced the output). */
  name: customOption<string, string | undefined>(undefined, (v, fail) => (typeof v === 'string' ? v : fail('a string'))),
};

/** How to call gradCheck and directionalGradCheck, for a call with more than three arguments. */
const GRADCHECK_CALL =
  'pass (f, inputs, options): the inputs as one array, every option in one object, e.g. gradCheck(f, [x, y], { wrt: [0] })';

function prepare(where: string, inputs: readonly Input[], options: GradCheckOptions): Prepared {
  checkList(inputs, where, 'inputs');
  const o = parseOptions(where, options, GRADCHECK_SCHEMA);
  const outside = o.wrt?.find((i) => i >= inputs.length);
  if (outside !== undefined) {
    throw new XentError(
      'INVALID_OPTION',
      `${where}: wrt holds ${outside}, but the inputs are indexed 0 to ${inputs.length - 1}; pass indices of inputs in that range.`,
    );
  }
  // Fresh contiguous float64 copies: perturbing one element must not move any alias (no stride-0 views).
  const xs = inputs.map((x, i) => {
    const t = toTensor(x, 'gradCheck', `inputs[${i}]`);
    return t.dtype === 'int32' ? t : clone(cast(t, 'float64'));
  });
  const wrt = o.wrt ?? xs.map((x, i) => (x.dtype === 'int32' ? -1 : i)).filter((i) => i >= 0);
  if (wrt.every((i) => xs[i].size === 0)) {
    // Passing here would say "ok" about a gradient nobody computed.
    const why =
      wrt.length > 0
        ? 'the inputs to check have no elements'
        : o.wrt
          ? 'wrt is empty'
          : xs.length === 0
            ? 'no inputs were given'
            : 'every input is int32 (labels)';
    throw new XentError('INVALID_ARGUMENT', `${where}: nothing to check — ${why}; pass at least one float input to differentiate.`);
  }
  for (const i of wrt) {
    if (xs[i].dtype === 'int32') {
      throw new XentError(
        'INVALID_OPTION',
        `${where}: wrt holds ${i}, but input ${i} is int32 (labels); only float inputs can be checked.`,
      );
    }
  }
  return {
    where,
    name: o.name,
    xs,
    wrt,
    eps: o.eps ?? (o.tight ? 1e-5 : 1e-6),
    atol: o.atol ?? (o.tight ? 1e-7 : 1e-5),
    rtol: o.rtol ?? (o.tight ? 1e-5 : 1e-3),
    rng: new Rng(o.seed),
  };
}

/**
 * What a failure names: the op, when f applied one op to its inputs; else 'f of' the ops f recorded, first
 * recorded first (up to 4): for x => sum(cube(x)), 'f of cube, sum', not sum alone, which is not at fault.
 */
function nameOf(y: Tensor, since: number): string {
  const nodes = new Set<Node>();
  for (const stack = [y]; stack.length > 0;) {
    const node = stack.pop()!.node as Node | null;
    if (node === null || node.id < since || nodes.has(node)) continue; // older nodes are constants f closes over
    nodes.add(node);
    stack.push(...node.inputs);
  }
  const ops = [...new Set([...nodes].sort((a, b) => a.id - b.id).map((node) => node.op.name))];
  if (nodes.size <= 1) return ops[0] ?? 'f';
  return `f of ${ops.slice(0, 4).join(', ')}${ops.length > 4 ? ', …' : ''}`;
}

/** Runs f on leaves for the inputs in wrt; returns the output, the random dy and the analytic gradients. */
function analytic(
  f: (...xs: Tensor[]) => Tensor,
  p: Prepared,
  zeroSeed = false,
): { y: Tensor; dy: Tensor; grads: Tensor[]; leaves: Tensor[]; opName: string; since: number } {
  const since = nextId; // a recorded tensor f closes over is a constant: its graph is not walked
  const leaves = p.xs.map((x, i) => {
    if (!p.wrt.includes(i)) return x;
    const leaf = new Tensor(x.view);
    leaf.requiresGrad = true;
    return leaf;
  });
  const y: unknown = enableGrad(() => f(...leaves));
  if (!(y instanceof Tensor)) {
    throw new XentError('INVALID_ARGUMENT', `${p.where}: f returned ${describe(y)}; it must return a Tensor (e.g. sum(…) of the inputs).`);
  }
  const dy = zeros(y.shape, 'float64');
  if (!zeroSeed) {
    const d = dy.view.data;
    for (let i = 0; i < d.length; i++) d[i] = p.rng.normal();
  }
  const opName = nameOf(y, since);
  const map = y.requiresGrad ? gradients(y, { dy, retainGraph: true }, 'gradCheck', since) : new Map<Tensor, Tensor>();
  const grads = p.wrt.map((i) => map.get(leaves[i]) ?? zeros(p.xs[i].shape, 'float64'));
  return { y, dy, grads, leaves, opName, since };
}

/** L(x) = ⟨dy, f(x)⟩ with recording off. */
function lossAt(f: (...xs: Tensor[]) => Tensor, xs: Tensor[], dy: Tensor): number {
  const y = noGrad(() => f(...xs));
  const a = readFlat(y);
  const b = readFlat(dy);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * gradCheck(f, inputs, options): checks every element of every float input.
 * Also checks that dy = 0 gives zero gradients and that backward is reentrant
 * (two sweeps agree exactly). Throws XentError GRADCHECK_FAILED naming the op,
 * the input, the worst index, and the analytic and numeric values; INVALID_ARGUMENT
 * when there is nothing to check (no float input in wrt) or f returns no Tensor.
 */
export function gradCheck(f: (...xs: Tensor[]) => Tensor, inputs: readonly Input[], options: GradCheckOptions = {}): GradCheckResult {
  checkArgCount('gradCheck', arguments.length, 3, GRADCHECK_CALL);
  checkFunction(f, 'gradCheck');
  const p = prepare('gradCheck', inputs, options);
  const { y, dy, grads, leaves, opName, since } = analytic(f, p);
  const name = p.name ?? opName;
  // 1. Every element against central differences. All of them are computed first,
  //    so that a failure reports the worst element, not merely the first.
  let maxAbsError = 0;
  let checked = 0;
  let worst: { inputIndex: number; i: number; analytic: number; numeric: number; err: number; excess: number } | null = null;
  for (let k = 0; k < p.wrt.length; k++) {
    const inputIndex = p.wrt[k];
    const x = p.xs[inputIndex];
    const data = x.view.data;
    const a = readFlat(grads[k]);
    if (grads[k].size !== x.size) {
      throw new XentError(
        'GRADCHECK_FAILED',
        `gradCheck(${name}): the gradient of input ${inputIndex} has shape ${fmtShape(grads[k].shape)}, its input ${fmtShape(x.shape)}.`,
      );
    }
    for (let i = 0; i < data.length; i++) {
      const orig = data[i];
      data[i] = orig + p.eps;
      const up = lossAt(f, p.xs, dy);
      data[i] = orig - p.eps;
      const down = lossAt(f, p.xs, dy);
      data[i] = orig;
      const numeric = (up - down) / (2 * p.eps);
      const err = Math.abs(a[i] - numeric);
      checked++;
      if (err > maxAbsError || Number.isNaN(err)) maxAbsError = err;
      const tol = p.atol + p.rtol * Math.abs(numeric);
      if (!(err <= tol)) {
        const excess = Number.isNaN(err) ? Infinity : err - tol;
        if (worst === null || excess > worst.excess) worst = { inputIndex, i, analytic: a[i], numeric, err, excess };
      }
    }
  }
  if (worst !== null) {
    const x = p.xs[worst.inputIndex];
    const rel = worst.err / (Math.abs(worst.analytic) + Math.abs(worst.numeric));
    throw new XentError(
      'GRADCHECK_FAILED',
      `gradCheck(${name}): input ${worst.inputIndex} (shape ${fmtShape(x.shape)}) at ${fmtIndex(worst.i, x.shape)}: analytic ${worst.analytic} vs numeric ${worst.numeric} ` +
        `(|diff| ${worst.err.toExponential(3)}, relative ${rel.toExponential(3)}; tolerance atol ${p.atol} + rtol ${p.rtol}·|numeric|, eps ${p.eps}).`,
    );
  }
  // 2. Reentrant: a second sweep over the same graph gives exactly the same numbers.
  if (y.requiresGrad) {
    const again = gradients(y, { dy, retainGraph: true }, 'gradCheck', since);
    p.wrt.forEach((inputIndex, k) => {
      const g2 = again.get(leaves[inputIndex]);
      const a = readFlat(grads[k]);
      const b = g2 ? readFlat(g2) : new Float64Array(a.length);
      for (let i = 0; i < a.length; i++) {
        if (a[i] !== b[i] && !(a[i] !== a[i] && b[i] !== b[i])) {
          throw new XentError(
            'GRADCHECK_FAILED',
            `gradCheck(${name}): backward is not reentrant — a second sweep gave ${b[i]} instead of ${a[i]} for input ${inputIndex} at ${fmtIndex(i, grads[k].shape)}.`,
          );
        }
      }
    });
  }
  // 3. dy = 0 must give exactly zero gradients (the numeric derivative of ⟨0, f⟩ is 0).
  const zero = analytic(f, p, true);
  zero.grads.forEach((g, k) => {
    const v = readFlat(g);
    for (let i = 0; i < v.length; i++) {
      if (v[i] !== 0) {
        throw new XentError(
          'GRADCHECK_FAILED',
          `gradCheck(${name}): with dy = 0, input ${p.wrt[k]} at ${fmtIndex(i, g.shape)}: analytic ${v[i]} vs numeric 0; the backward must multiply by dy.`,
        );
      }
    }
  });
  return { ok: true, maxAbsError, checked };
}

/**
 * directionalGradCheck: one random direction u per input instead of every
 * element (PyTorch's fast_mode, JAX's check_vjp): compares Σ_i ⟨∂L/∂x_i, u_i⟩
 * with (L(x + εu) − L(x − εu)) / 2ε. Two forward passes, whatever the size.
 */
export function directionalGradCheck(
  f: (...xs: Tensor[]) => Tensor,
  inputs: readonly Input[],
  options: GradCheckOptions = {},
): GradCheckResult {
  checkArgCount('directionalGradCheck', arguments.length, 3, GRADCHECK_CALL);
  checkFunction(f, 'directionalGradCheck');
  const p = prepare('directionalGradCheck', inputs, options);
  const { dy, grads, opName } = analytic(f, p);
  const name = p.name ?? opName;
  const dirs = p.wrt.map((i) => {
    const u = new Float64Array(p.xs[i].size);
    for (let j = 0; j < u.length; j++) u[j] = p.rng.normal();
    return u;
  });
  let norm = 0;
  for (const u of dirs) for (const v of u) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  let analyticDot = 0;
  dirs.forEach((u, k) => {
    const g = readFlat(grads[k]);
    for (let j = 0; j < u.length; j++) {
      u[j] /= norm;
      analyticDot += g[j] * u[j];
    }
  });
  const shift = (sign: number) =>
    dirs.forEach((u, k) => {
      const d = p.xs[p.wrt[k]].view.data;
      for (let j = 0; j < u.length; j++) d[j] += sign * p.eps * u[j];
    });
  shift(1);
  const up = lossAt(f, p.xs, dy);
  shift(-2);
  const down = lossAt(f, p.xs, dy);
  shift(1);
  const numeric = (up - down) / (2 * p.eps);
  const err = Math.abs(analyticDot - numeric);
  if (!(err <= p.atol + p.rtol * Math.abs(numeric))) {
    throw new XentError(
      'GRADCHECK_FAILED',
      `directionalGradCheck(${name}): along a random direction the analytic derivative is ${analyticDot} but the numeric one is ${numeric} ` +
        `(|diff| ${err.toExponential(3)}; tolerance atol ${p.atol} + rtol ${p.rtol}·|numeric|, eps ${p.eps}).`,
    );
  }
  return { ok: true, maxAbsError: err, checked: 1 };
}

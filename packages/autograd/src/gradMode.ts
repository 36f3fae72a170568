// Grad mode: whether applying an op records it. The flag itself lives in @xent/tensor
// (its kernels read it to refuse a tensor whose gradient they would lose).
import { XentError, isGradEnabled, setGradEnabled } from '@xent/tensor';
import { checkArgCount } from '@xent/tensor/internal';
import { checkFunction } from './convert.js';

/**
 * fn must be a synchronous function: the mode is restored when fn returns, which for an async fn is at its first
 * await, and for a generator function before its body runs at all (it runs when iterated, in the other mode).
 */
function checkSync(fn: unknown, where: string, n: number): void {
  checkArgCount(where, n, 1, `pass one function, e.g. ${where}(() => f(x, y))`);
  checkFunction(fn, where, 'fn');
  // A plain function's constructor is Function; AsyncFunction, GeneratorFunction and AsyncGeneratorFunction are the others.
  if ((fn as () => unknown).constructor?.name !== 'Function') {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${where}: fn is an async or generator function: the mode holds until fn returns, so what runs after its first await (or when ` +
        `iterated) runs in the other mode; pass synchronous work, e.g. await load(); ${where}(() => evaluate(model, batch)).`,
    );
  }
}

/** Runs fn without recording: nothing inside gets a gradient (optimizer steps, evaluation). fn must not be async or a generator. */
export function noGrad<T>(fn: () => T): T {
  checkSync(fn, 'noGrad', arguments.length);
  const prev = setGradEnabled(false);
  try {
    return fn();
  } finally {
    setGradEnabled(prev);
  }
}

/** Runs fn with recording on (inside a noGrad, or inside an op's backward, for example). fn must not be async or a generator. */
export function enableGrad<T>(fn: () => T): T {
  checkSync(fn, 'enableGrad', arguments.length);
  const prev = setGradEnabled(true);
  try {
    return fn();
  } finally {
    setGradEnabled(prev);
  }
}

export { isGradEnabled, setGradEnabled };

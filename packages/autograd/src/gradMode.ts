// Grad mode: whether applying an op records it. The flag itself lives in @xent/tensor
// (its kernels read it to refuse a tensor whose gradient they would lose).
import { XentError, isGradEnabled, setGradEnabled } from '@xent/tensor';
import { checkFunction } from './convert.js';

const AsyncFunction = (async () => {}).constructor;

/** fn must be a synchronous function: the mode is restored when fn returns, which for an async fn is at its first await. */
function checkSync(fn: unknown, where: string): void {
  checkFunction(fn, where, 'fn');
  if (fn instanceof AsyncFunction) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${where}: fn is an async function, but the mode only holds until fn returns — at its first await — so the code after it ` +
        `would run in the other mode; await outside and pass the synchronous work, e.g. await load(); ${where}(() => evaluate(model, batch)).`,
    );
  }
}

/** Runs fn without recording: nothing inside gets a gradient (optimizer steps, evaluation). fn must not be async. */
export function noGrad<T>(fn: () => T): T {
  checkSync(fn, 'noGrad');
  const prev = setGradEnabled(false);
  try {
    return fn();
  } finally {
    setGradEnabled(prev);
  }
}

/** Runs fn with recording on (inside a noGrad, or inside an op's backward, for example). fn must not be async. */
export function enableGrad<T>(fn: () => T): T {
  checkSync(fn, 'enableGrad');
  const prev = setGradEnabled(true);
  try {
    return fn();
  } finally {
    setGradEnabled(prev);
  }
}

export { isGradEnabled, setGradEnabled };

// Grad mode: whether applying an op records it. The flag itself lives in @xent/tensor
// (its kernels read it to refuse a tensor whose gradient they would lose).
import { isGradEnabled, setGradEnabled } from '@xent/tensor';
import { checkFunction } from './convert.js';

/** Runs fn without recording: nothing inside gets a gradient (optimizer steps, evaluation). */
export function noGrad<T>(fn: () => T): T {
  checkFunction(fn, 'noGrad', 'fn');
  const prev = setGradEnabled(false);
  try {
    return fn();
  } finally {
    setGradEnabled(prev);
  }
}

/** Runs fn with recording on (inside a noGrad, or inside an op's backward, for example). */
export function enableGrad<T>(fn: () => T): T {
  checkFunction(fn, 'enableGrad', 'fn');
  const prev = setGradEnabled(true);
  try {
    return fn();
  } finally {
    setGradEnabled(prev);
  }
}

export { isGradEnabled, setGradEnabled };

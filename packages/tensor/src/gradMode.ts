// Whether gradients are being recorded. @xent/autograd switches it (noGrad,
// enableGrad, and off while an op's own forward and backward run); it lives here so
// that the kernels of this package can refuse a tensor whose gradient they would
// silently lose (see guardKernel in kernelGuard.ts, docs/DESIGN.md "Layers").
import { XentError } from './errors.js';

let enabled = true;

/** True while gradients are recorded (the default; false inside noGrad). */
export function isGradEnabled(): boolean {
  return enabled;
}

/** Sets whether gradients are recorded and returns the previous setting (for @xent/autograd's noGrad/enableGrad). */
export function setGradEnabled(on: boolean): boolean {
  if (typeof on !== 'boolean') {
    // setGradEnabled('no') would be truthy: recording left on while the caller meant off.
    throw new XentError(
      'INVALID_ARGUMENT',
      `setGradEnabled: on is ${typeof on === 'string' ? `'${on}'` : String(on)}; pass true or false.`,
    );
  }
  const prev = enabled;
  enabled = on;
  return prev;
}

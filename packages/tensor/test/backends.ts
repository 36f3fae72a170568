// Shared by the wasm kernel tests: run a function on one backend, and whether the wasm backend exists here.
import { getBackend, setBackend, type Backend } from '@xent/tensor';

/** f() with `backend` active, the previous backend restored after (also when f throws). */
export function on<T>(backend: Backend, f: () => T): T {
  const before = getBackend();
  setBackend(backend);
  try {
    return f();
  } finally {
    setBackend(before);
  }
}

/** Whether this engine runs the kernels at all (WebAssembly SIMD); XENT_BACKEND=js does not turn them off for the tests. */
export const wasmAvailable = ((): boolean => {
  try {
    return on('wasm', () => true);
  } catch {
    return false;
  }
})();

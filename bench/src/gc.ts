import v8 from 'node:v8';
import vm from 'node:vm';

export type Gc = () => void;

/** global.gc when node runs with --expose-gc, else the same function fetched through V8's flag (no restart needed). */
export function getGc(): Gc | null {
  const g = (globalThis as { gc?: Gc }).gc;
  if (typeof g === 'function') return g;
  try {
    v8.setFlagsFromString('--expose-gc');
    const fn = vm.runInNewContext('gc') as unknown;
    return typeof fn === 'function' ? (fn as Gc) : null;
  } catch {
    return null;
  }
}

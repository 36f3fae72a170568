// The containers the package reads by name (state dicts, tensor dicts,
// metadata) must be plain objects: Object.entries sees nothing of a Map's
// entries or of a class's getters, so those would be read as empty — a save
// without the tensors, a load that loads nothing — with no error.
import { XentError } from '@xent/tensor';

/** What kind of non-plain object `value` is, for a message ('a Map', 'an array', 'a Weights'). */
function kindOf(value: object): string {
  if (value instanceof Map) return 'a Map';
  if (Array.isArray(value)) return 'an array';
  return `a ${String((value.constructor as { name?: unknown } | undefined)?.name ?? 'class instance')}`;
}

/**
 * Refuses anything but a plain object (or a null-prototype one) for the
 * argument `what` of `owner`; `fix` says what to pass instead.
 */
export function checkPlainObject(owner: string, what: string, value: unknown, fix: string): asserts value is Record<string, unknown> {
  if (value === null || typeof value !== 'object')
    throw new XentError('INVALID_ARGUMENT', `${owner}: ${what} is ${String(value)}; ${fix}.`);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const fromMap = value instanceof Map ? ' — Object.fromEntries(map) makes one from a Map' : '';
    throw new XentError('INVALID_ARGUMENT', `${owner}: ${what} is ${kindOf(value)}; ${fix}${fromMap}.`);
  }
}

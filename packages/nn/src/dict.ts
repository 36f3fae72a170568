// The containers the package reads by name (state dicts, tensor dicts,
// metadata) must be plain objects: Object.entries sees nothing of a Map's
// entries or of a class's getters, so those would be read as empty — a save
// without the tensors, a load that loads nothing — with no error. For the same
// reason a symbol key is refused (a name is a string), and non-enumerable own
// entries are read (ownEntries), as the losses read their options.
import { XentError } from '@xent/tensor';

/** What kind of non-plain object `value` is, for a message ('a Map', 'an array', 'a Weights'). */
function kindOf(value: object): string {
  if (value instanceof Map) return 'a Map';
  if (Array.isArray(value)) return 'an array';
  return `a ${String((value.constructor as { name?: unknown } | undefined)?.name ?? 'class instance')}`;
}

/**
 * Refuses anything but a plain object (or a null-prototype one) without
 * symbol keys for the argument `what` of `owner`; `fix` says what to pass instead.
 */
export function checkPlainObject(owner: string, what: string, value: unknown, fix: string): asserts value is Record<string, unknown> {
  if (value === null || typeof value !== 'object')
    throw new XentError('INVALID_ARGUMENT', `${owner}: ${what} is ${String(value)}; ${fix}.`);
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const fromMap = value instanceof Map ? ' — Object.fromEntries(map) makes one from a Map' : '';
    throw new XentError('INVALID_ARGUMENT', `${owner}: ${what} is ${kindOf(value)}; ${fix}${fromMap}.`);
  }
  const symbol = Object.getOwnPropertySymbols(value)[0];
  if (symbol !== undefined)
    throw new XentError(
      'INVALID_ARGUMENT',
      `${owner}: ${what} has the symbol key ${String(symbol)}, which would be skipped (names are strings); use a string key.`,
    );
}

/** Every own [name, value] of a checked plain object, non-enumerable ones too (Object.entries would skip them silently). */
export function ownEntries<T>(value: Record<string, T>): [string, T][] {
  return Object.getOwnPropertyNames(value).map((name) => [name, value[name]]);
}

// The op registry: every op, built-in or user-defined, is looked up here by name.
import { XentError } from '@xent/tensor';
import { booleanOption, checkArgCount, parseOptions } from '@xent/tensor/internal';
import type { AnyOpDef, OpDef } from './opDef.js';

const registry = new Map<string, AnyOpDef>();
const builtinNames = new Set<string>();
const REGISTER_OPTIONS = { override: booleanOption(false) };

/**
 * Adds an op to the registry. A duplicate name throws unless { override: true }; the
 * built-in ops cannot be overridden (the library's own functions and losses use them).
 * Throws INVALID_ARGUMENT naming the op for a malformed definition.
 */
export function registerOp<A, S>(def: OpDef<A, S>, options?: { override?: boolean }): OpDef<A, S> {
  checkArgCount('registerOp', arguments.length, 2, 'pass (def, { override })');
  const { override } = parseOptions('registerOp', options, REGISTER_OPTIONS);
  const name = checkOpDef(def, 'registerOp');
  if (builtinNames.has(name)) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `registerOp: '${name}' is a built-in op and cannot be replaced (xent's own functions and losses rely on it); register yours under another name.`,
    );
  }
  if (registry.has(name) && !override) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `registerOp: an op named '${name}' is already registered; pick another name or pass { override: true }.`,
    );
  }
  registry.set(name, def);
  return def;
}

/** Throws INVALID_ARGUMENT naming `where` and the op for a malformed definition; returns its name. */
export function checkOpDef(def: AnyOpDef, where: string): string {
  const name: unknown = def?.name;
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new XentError('INVALID_ARGUMENT', `${where}: name '${String(name)}' is not an identifier; use camelCase letters and digits.`);
  }
  if (!Array.isArray(def.inputs) || def.inputs.length === 0 || def.inputs.some((n) => typeof n !== 'string')) {
    throw new XentError('INVALID_ARGUMENT', `${where}: op '${name}' needs inputs: a non-empty array of input names, e.g. ['x'].`);
  }
  if (typeof def.forward !== 'function' || typeof def.backward !== 'function') {
    throw new XentError('INVALID_ARGUMENT', `${where}: op '${name}' needs forward and backward functions.`);
  }
  if (def.differentiable && def.differentiable.length !== def.inputs.length && !def.variadic) {
    throw new XentError(
      'INVALID_ARGUMENT',
      `${where}: op '${name}' names ${def.inputs.length} inputs but gives ${def.differentiable.length} 'differentiable' flags; give one per input.`,
    );
  }
  return name;
}

/**
 * Registers the built-in ops once (ops/builtins.ts); they can never be overridden afterwards. Not through registerOp:
 * their definitions are known good and their names distinct, and a page then keeps registerOp's checks only if it calls it.
 */
export function registerBuiltins(defs: Iterable<AnyOpDef>): void {
  for (const def of defs) {
    registry.set(def.name, def);
    builtinNames.add(def.name);
  }
}

/** True for the name of a built-in op (add, sum, matmul, …). */
export function isBuiltin(name: string): boolean {
  return builtinNames.has(name);
}

/** The registered op of that name, or undefined. */
export function getOp(name: string): AnyOpDef | undefined {
  checkArgCount('getOp', arguments.length, 1, "pass the op's name only, e.g. getOp('mul')");
  return registry.get(name);
}

/** Names of every registered op, in registration order. */
export function listOps(): string[] {
  checkArgCount('listOps', arguments.length, 0, 'it lists every registered op; getOp(name) gives one');
  return [...registry.keys()];
}

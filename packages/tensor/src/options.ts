// Options, declared once and checked once. A function that takes an options object declares a
// schema next to its code (one spec per name: default, type, range); parseOptions checks a
// caller's object against it before anything is computed and returns the values with their types.
// Every refusal is INVALID_OPTION: an unknown name (with a "did you mean"), a wrong type, a value
// out of range. null and undefined mean "not given" (Keras's None); getters (class instances) are read.
import { XentError } from './errors.js';
import { formatValue } from './input.js';
import { Tensor } from './tensor.js';

/** Refuses the value being read; `expected` says what it must be ("a number in [0, 1]"). */
export type OptionFail = (expected: string) => never;

/** One option: its value when not given, and `read`, which turns a given value into the parsed one or calls `fail`. */
export interface OptionSpec<In, Out> {
  readonly fallback: Out;
  readonly read: (value: unknown, fail: OptionFail) => Out;
  /** Set when the option must be given: how to give it. */
  readonly required?: string;
  /** Set when null is refused (with this hint) instead of meaning "not given". */
  readonly nullHint?: string;
  /** Phantom: the type callers may pass. */
  readonly input?: In;
}

/** A schema: one spec per option name. */
export type OptionSchema = Record<string, OptionSpec<unknown, unknown>>;
/** The parsed options of a schema (defaults filled in). */
export type ParsedOptions<S extends OptionSchema> = { -readonly [K in keyof S]: S[K]['fallback'] };
/** What callers may pass for a schema: the required options, and the others optional with null meaning "not given". */
export type OptionsOf<S extends OptionSchema> = { [K in keyof S as S[K]['required'] extends string ? never : K]?: S[K]['input'] | null } & {
  [K in keyof S as S[K]['required'] extends string ? K : never]: NonNullable<S[K]['input']>;
};
/** Message hints: foreign spellings ({ eps: 'epsilon' }); where other functions' options belong ({ gamma: 'for …' }). */
export type OptionHints = { aliases?: Record<string, string>; elsewhere?: () => Record<string, string> };

/** A spec from a reader; `fallback` is the value when the option is not given. */
export function customOption<In, Out>(fallback: Out, read: OptionSpec<In, Out>['read']): OptionSpec<In, Out> {
  return { fallback, read }; // a function declaration: input.ts calls it while the module cycle is still loading
}

/** true or false. */
export const booleanOption = (fallback: boolean): OptionSpec<boolean, boolean> =>
  customOption(fallback, (v, fail) => (typeof v === 'boolean' ? v : fail('true or false')));

/**
 * A number in an interval written as in math: '[0, 1]', '(0, 0.5)', '[0, ∞)', '(0, ∞]' (∞ allowed),
 * '[1, ∞) whole' (integers only). NaN is never in it. `fix` ends the message ("use e.g. lr: 0.01").
 */
export function numberOption<F extends number | undefined>(fallback: F, interval = '(−∞, ∞)', fix = ''): OptionSpec<number, number | F> {
  const m = /^([[(])(\S+), (\S+)([\])])( whole)?$/.exec(interval);
  if (!m) throw new XentError('INVALID_ARGUMENT', `numberOption: the interval '${interval}' is not like '[0, 1]' or '(0, ∞)'.`);
  const [lo, hi] = [m[2], m[3]].map((t) => Number(t.replace('−', '-').replace('∞', 'Infinity')));
  const inside = (v: number) => (m[1] === '[' ? v >= lo : v > lo) && (m[4] === ']' ? v <= hi : v < hi) && (!m[5] || Number.isInteger(v));
  const expected = `${m[5] ? 'a whole number' : 'a number'} in ${m[0].replace(' whole', '')}${fix && ` — ${fix}`}`;
  return customOption<number, number | F>(fallback, (v, fail) => (typeof v === 'number' && inside(v) ? v : fail(expected)));
}

/** One of the listed strings; `hints` explain values users bring from elsewhere (the key 'null' refuses null). */
export function choiceOption<T extends string>(values: readonly T[], fallback: T, hints: Record<string, string> = {}): OptionSpec<T, T> {
  const hint = (v: unknown) => (typeof v === 'string' && Object.hasOwn(hints, v) ? ` (${hints[v]})` : '');
  const read = (v: unknown, fail: OptionFail) => values.find((x) => x === v) ?? fail(`one of '${values.join("', '")}'${hint(v)}`);
  return { fallback, read, nullHint: hints.null };
}

/** The same spec, but the option must be given; `fix` says how, and also ends its other refusals. */
export const requiredOption = <In, Out>(spec: OptionSpec<In, Out>, fix: string): OptionSpec<In, Out> & { required: string } => ({
  ...spec,
  read: (v, fail) => spec.read(v, (expected) => fail(`${expected} — ${fix}`)),
  required: fix,
});

/**
 * Checks one value against a spec. The message names it `option '${name}'` when `asOption` (as parseOptions
 * does), else as `name` ("lr", "the lr of epoch 3"); the label is built only on refusal.
 */
export function checkOption<Out>(owner: string, name: string, value: unknown, spec: OptionSpec<unknown, Out>, asOption = false): Out {
  if (value !== undefined && value !== null)
    return spec.read(value, (expected) => refuse(owner, name, asOption, `${formatValue(value)}; it must be ${expected}.`));
  if (value === null && spec.nullHint) refuse(owner, name, asOption, `null (${spec.nullHint})`);
  return spec.required ? refuse(owner, name, asOption, `${String(value)}; it must be given — ${spec.required}.`) : spec.fallback;
}
// No closure is named per call: tsx (keepNames) would wrap each one in a call that sets its name, ~0.3 µs apiece.
function refuse(owner: string, name: string, asOption: boolean, found: string): never {
  throw new XentError('INVALID_OPTION', `${owner}: ${asOption ? `option '${name}'` : name} is ${found}`);
}

/** Checks `raw` against `schema` (see the file header) and returns the parsed options. */
export function parseOptions<S extends OptionSchema>(owner: string, raw: unknown, schema: S, hints: OptionHints = {}): ParsedOptions<S> {
  const given = raw === undefined ? {} : raw;
  if (!isOptionsObject(given)) {
    const names = Object.keys(schema).slice(0, 2).join(': …, ');
    throw new XentError('INVALID_OPTION', `${owner}: the options are ${formatValue(raw)}; options are an object, e.g. { ${names}: … }.`);
  }
  const names = optionNames(given);
  for (const key of names) if (!Object.hasOwn(schema, key)) unknownOption(owner, key, given, schema, hints);
  const out: Partial<Record<keyof S, unknown>> = {};
  for (const key in schema) out[key] = checkOption(owner, key, names.includes(key) ? given[key] : undefined, schema[key], true);
  return out as ParsedOptions<S>; // every key of S was just filled from its own spec
}

/** A plain object or a class instance (not an array, typed array, Map, Set or Tensor). */
const isOptionsObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.prototype.toString.call(v) === '[object Object]' && !(v instanceof Tensor);

/** Own names (enumerable or not) and those of a class's getters; never those of Object.prototype (a polluted one is not an option). */
function optionNames(o: object): string[] {
  const names = Object.getOwnPropertyNames(o);
  for (let p: object | null = Object.getPrototypeOf(o); p && p !== Object.prototype; p = Object.getPrototypeOf(p))
    names.push(...Object.getOwnPropertyNames(p).filter((n) => n !== 'constructor'));
  return names;
}

/** A schema's parser: (options?) → the parsed options, or INVALID_OPTION; `schema` is what it takes. */
export type OptionParser<S extends OptionSchema> = ((raw: unknown) => ParsedOptions<S>) & { readonly schema: S };

/**
 * Functions whose options are told apart in messages (the losses; the optimizers): each member
 * registers its schema, and a name that only other members take is refused as "for X and Y" —
 * derived from the schemas, never written down twice. `notFor(owner)` adds owner-specific notes.
 */
export function optionFamily(aliases: Record<string, string>, notFor: (owner: string) => Record<string, string> = () => ({})) {
  const takers: Record<string, string[]> = {};
  const forWhom = (names: string[]) => `for ${names.join(', ').replace(/, (?=[^,]*$)/, ' and ')}`;
  return <S extends OptionSchema>(owner: string, schema: S): OptionParser<S> => {
    for (const k of Object.keys(schema)) (takers[k] ??= []).push(owner);
    const elsewhere = () => ({ ...Object.fromEntries(Object.entries(takers).map(([k, t]) => [k, forWhom(t)])), ...notFor(owner) });
    const hints = { aliases, elsewhere };
    return Object.assign((raw: unknown) => parseOptions(owner, raw, schema, hints), { schema });
  };
}

function unknownOption(owner: string, key: string, given: Record<string, unknown>, schema: OptionSchema, hints: OptionHints): never {
  const [names, other] = [Object.keys(schema), hints.elsewhere?.() ?? {}];
  const guess = suggest(key, [...names, ...Object.keys(other)], hints.aliases ?? {});
  const hint = guess === undefined ? '.' : Object.hasOwn(schema, guess) ? `; did you mean '${guess}'?` : `; '${guess}' is ${other[guess]}.`;
  const message = Object.hasOwn(other, key)
    ? `does not take the option '${key}' (it is ${other[key]}).`
    : `unknown option '${key}' (value ${formatValue(given[key])})${hint}`;
  throw new XentError('INVALID_OPTION', `${owner}: ${message} The options here are ${names.join(', ')}.`);
}

/** The name a misspelt or foreign one most likely means: an alias, the same letters, or at most 2 edits away (Levenshtein). */
function suggest(key: string, names: readonly string[], aliases: Record<string, string>): string | undefined {
  const squash = (s: string) => s.toLowerCase().replace(/[_\-\s]/g, '');
  const k = squash(key);
  if (Object.hasOwn(aliases, k)) return aliases[k];
  const distance = (n: string) => {
    let row = Array.from({ length: n.length + 1 }, (_, j) => j); // distances from k[0, i) to each prefix of n
    for (let i = 1; i <= k.length; i++) {
      const next = [i];
      for (let j = 1; j <= n.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (k[i - 1] === n[j - 1] ? 0 : 1));
      row = next;
    }
    return row[n.length];
  };
  const [best] = names.map((name) => ({ name, d: distance(squash(name)) })).sort((a, b) => a.d - b.d);
  return best && best.d <= Math.min(2, Math.ceil(k.length / 3)) ? best.name : undefined;
}

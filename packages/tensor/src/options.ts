// Options, declared once and checked once. A function that takes an options object
// declares a schema next to its code (one OptionSpec per name: default, type, range);
// parseOptions checks a caller's object against it before anything is computed and
// returns the parsed values with their types. Every refusal is XentError 'INVALID_OPTION':
// an unknown name (with a "did you mean"), a wrong type, a value out of range.
// null and undefined mean "not given" (Keras's None); getters (class instances) are read.
import { XentError } from './errors.js';
import { Tensor } from './tensor.js';

/** Called by a spec with what the value must be; throws "<owner>: option 'k' is <value>; it must be <expected>." */
export type OptionFail = (expected: string) => never;

/** One option: `read` turns a given value (undefined when not given) into the parsed value, or calls `fail`. */
export interface OptionSpec<In, Out> {
  readonly read: (value: unknown, fail: OptionFail) => Out;
  /** When set, null is refused with this hint instead of meaning "not given". */
  readonly nullHint?: string;
  /** Phantom: the type callers may pass. */
  readonly input?: In;
}

/** A schema: one spec per option name. */
export type OptionSchema = Record<string, OptionSpec<unknown, unknown>>;
/** The parsed options of a schema (defaults filled in). */
export type ParsedOptions<S extends OptionSchema> = { -readonly [K in keyof S]: ReturnType<S[K]['read']> };
/** What callers may pass for a schema: every option optional, null meaning "not given". */
export type OptionsOf<S extends OptionSchema> = { [K in keyof S]?: (S[K] extends OptionSpec<infer I, unknown> ? I : never) | null };
/** Message hints: foreign spellings ({ eps: 'epsilon' }); where other functions' options belong ({ gamma: 'for …' }). */
export type OptionHints = { aliases?: Record<string, string>; elsewhere?: () => Record<string, string> };

/** A spec from a reader; `fallback` is the value when the option is not given. */
export function customOption<In, Out>(fallback: Out, read: (v: unknown, fail: OptionFail) => Out): OptionSpec<In, Out> {
  return { read: (v, fail) => (v === undefined ? fallback : read(v, fail)) };
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
  const ok = (v: unknown): v is number =>
    typeof v === 'number' && (m[1] === '[' ? v >= lo : v > lo) && (m[4] === ']' ? v <= hi : v < hi) && (!m[5] || Number.isInteger(v));
  const expected = `${m[5] ? 'a whole number' : 'a number'} in ${m[0].replace(' whole', '')}${fix && ` — ${fix}`}`;
  return customOption<number, number | F>(fallback, (v, fail) => (ok(v) ? v : fail(expected)));
}

/** One of the listed strings; `hints` explain values users bring from elsewhere (the key 'null' refuses null). */
export function choiceOption<T extends string>(values: readonly T[], fallback: T, hints: Record<string, string> = {}): OptionSpec<T, T> {
  const isValue = (v: unknown): v is T => values.some((x) => x === v);
  const hint = (v: unknown) => (typeof v === 'string' && Object.hasOwn(hints, v) ? ` (${hints[v]})` : '');
  const list = values.map((s) => `'${s}'`).join(', ');
  return { ...customOption<T, T>(fallback, (v, fail) => (isValue(v) ? v : fail(`one of ${list}${hint(v)}`))), nullHint: hints.null };
}

/** The same spec, but the option must be given; `fix` says how. */
export const requiredOption = <In, Out>(spec: OptionSpec<In, Out>, fix: string): OptionSpec<In, Out> => ({
  read: (v, fail) => (v === undefined ? fail(`given — ${fix}`) : spec.read(v, fail)),
});

/** Prints a user-supplied value for a message: 0.9, NaN, [0.9, 1], 'abc', a Float32Array, a tensor of shape [2]. */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (Array.isArray(v)) return `[${v.slice(0, 6).map(formatValue).join(', ')}${v.length > 6 ? ', …' : ''}]`;
  if (v instanceof Tensor) return `a tensor of shape [${v.shape.join(', ')}]`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === 'function') return 'a function';
  return v !== null && typeof v === 'object' ? 'an object' : String(v);
}

/** Checks one value against a spec; `what` names it in the message ("lr", "maxNorm"). */
export function checkOption<In, Out>(owner: string, what: string, value: unknown, spec: OptionSpec<In, Out>): Out {
  if (value === null && spec.nullHint) fail(`${owner}: ${what} is null (${spec.nullHint})`);
  return spec.read(value ?? undefined, (expected) => fail(`${owner}: ${what} is ${formatValue(value)}; it must be ${expected}.`));
}

/** Checks `raw` against `schema` (see the file header) and returns the parsed options. */
export function parseOptions<S extends OptionSchema>(owner: string, raw: unknown, schema: S, hints: OptionHints = {}): ParsedOptions<S> {
  const names = Object.keys(schema);
  const notObject = typeof raw !== 'object' || raw === null || Array.isArray(raw) || ArrayBuffer.isView(raw);
  if (raw !== undefined && (notObject || raw instanceof Tensor || raw instanceof Map || raw instanceof Set)) {
    fail(`${owner}: the options are ${formatValue(raw)}; options are an object, e.g. { ${names.slice(0, 2).join(': …, ')}: … }.`);
  }
  const given = raw as Record<string, unknown> | undefined;
  for (const key of given ? allNames(given) : []) {
    if (Object.hasOwn(schema, key)) continue;
    const listed = ` The options here are ${names.join(', ')}.`;
    const other = hints.elsewhere?.() ?? {};
    if (Object.hasOwn(other, key)) fail(`${owner}: does not take the option '${key}' (it is ${other[key]}).${listed}`);
    const guess = suggest(key, [...names, ...Object.keys(other)], hints.aliases ?? {});
    let hint = '.';
    if (guess !== undefined && Object.hasOwn(schema, guess)) hint = `; did you mean '${guess}'?`;
    else if (guess !== undefined) hint = `; '${guess}' is ${other[guess]}.`;
    fail(`${owner}: unknown option '${key}' (value ${formatValue(given?.[key])})${hint}${listed}`);
  }
  const out: Record<string, unknown> = {};
  for (const key of names)
    out[key] = checkOption(owner, `option '${key}'`, given && ownOrClass(given, key) ? given[key] : undefined, schema[key]);
  return out as ParsedOptions<S>;
}

function fail(message: string): never {
  throw new XentError('INVALID_OPTION', message);
}

/** Whether `key` is o's own or comes from a class (a getter): a name found only on Object.prototype (pollution) is not an option. */
function ownOrClass(o: object, key: string): boolean {
  for (let p: object | null = o; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) if (Object.hasOwn(p, key)) return true;
  return false;
}

/** Own names and names inherited from a class (its getters), not those of Object.prototype. */
function allNames(o: object): string[] {
  const names = new Set(Object.keys(o));
  for (let p: object | null = Object.getPrototypeOf(o); p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const n of Object.getOwnPropertyNames(p)) if (n !== 'constructor') names.add(n);
  }
  return [...names];
}

/** The name a misspelt or foreign one most likely means: an alias, the same letters, or a few edits away. */
function suggest(key: string, names: readonly string[], aliases: Record<string, string>): string | undefined {
  const squash = (s: string) => s.toLowerCase().replace(/[_\-\s]/g, '');
  const k = squash(key);
  if (Object.hasOwn(aliases, k)) return aliases[k];
  let best: string | undefined;
  let bestD = Math.min(2, Math.ceil(k.length / 3)) + 1;
  for (const n of names) {
    const d = editDistance(k, squash(n));
    if (d < bestD) [best, bestD] = [n, d];
  }
  return best;
}

/** Levenshtein distance (one row). */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length];
}

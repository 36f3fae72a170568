// Option checking shared by the optimizers and the schedules. Every refusal is
// an XentError 'INVALID_OPTION' whose message names the class, the option, the
// value found and the fix.
import { XentError } from '@xent/tensor';

/** Prints a user-supplied value for an error message: 0.9, NaN, [0.9, 1], 'abc', undefined. */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' || v === undefined || v === null) return String(v);
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (typeof v === 'function') return 'a function';
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return typeof v === 'object' ? 'an object' : String(v);
}

/** Levenshtein distance, for "did you mean" hints on misspelt option names. */
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

/** The closest allowed name to a misspelt one (snake_case and case slips included), if any is close. */
function suggest(key: string, allowed: readonly string[]): string | undefined {
  const norm = (s: string) => s.replace(/_/g, '').toLowerCase();
  const exact = allowed.find((a) => norm(a) === norm(key));
  if (exact !== undefined) return exact;
  let best: string | undefined;
  let bestD = Infinity;
  for (const a of allowed) {
    const d = editDistance(norm(key), norm(a));
    if (d < bestD) {
      best = a;
      bestD = d;
    }
  }
  return bestD <= Math.max(1, Math.floor(key.length / 3)) ? best : undefined;
}

/**
 * Checks that `options` is a plain object whose keys are all in `allowed`,
 * and returns it as a record. `undefined` counts as {}.
 */
export function checkOptionKeys(owner: string, options: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new XentError(
      'INVALID_OPTION',
      `${owner}: the options must be an object like { ${allowed.join(', ')} }, got ${formatValue(options)}.`,
    );
  }
  const record = options as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (allowed.includes(key)) continue;
    const hint = suggest(key, allowed);
    throw new XentError(
      'INVALID_OPTION',
      `${owner}: unknown option '${key}' (value ${formatValue(record[key])}); ` +
        (hint !== undefined ? `did you mean '${hint}'? ` : '') +
        `the options are ${allowed.join(', ')}.`,
    );
  }
  return record;
}

export interface NumberRule {
  /** Smallest allowed value (inclusive). */
  min?: number;
  /** Largest allowed value, exclusive (betas < 1). */
  below?: number;
  /** Only whole numbers. */
  integer?: boolean;
  /** Strictly greater than `min` instead of ≥. */
  minExclusive?: boolean;
  /** What to do instead, appended to the message ("e.g. lr: 0.01"). */
  fix: string;
}

function describeRule(rule: NumberRule): string {
  const parts: string[] = ['a finite number'];
  if (rule.integer) parts[0] = 'a whole number';
  if (rule.min !== undefined) parts.push(`${rule.minExclusive ? '>' : '≥'} ${rule.min}`);
  if (rule.below !== undefined) parts.push(`< ${rule.below}`);
  return parts.join(' ');
}

/** Validates a numeric option; `value === undefined` gives `fallback`. */
export function numberOption(owner: string, key: string, value: unknown, fallback: number, rule: NumberRule): number {
  if (value === undefined) return fallback;
  checkNumber(owner, `option '${key}'`, value, rule);
  return value as number;
}

/** Throws INVALID_OPTION unless `value` is a number obeying `rule`; `what` is e.g. "option 'lr'". */
export function checkNumber(owner: string, what: string, value: unknown, rule: NumberRule): void {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.min === undefined || (rule.minExclusive ? value > rule.min : value >= rule.min)) &&
    (rule.below === undefined || value < rule.below);
  if (!ok) {
    throw new XentError('INVALID_OPTION', `${owner}: ${what} is ${formatValue(value)}; it must be ${describeRule(rule)} — ${rule.fix}.`);
  }
}

/** Validates a boolean option; `value === undefined` gives `fallback`. */
export function booleanOption(owner: string, key: string, value: unknown, fallback: boolean, fix: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new XentError('INVALID_OPTION', `${owner}: option '${key}' is ${formatValue(value)}; it must be true or false — ${fix}.`);
  }
  return value;
}

// optim's option handling, beside the shared validator (@xent/tensor's options.ts): two families, so that a name
// only another optimizer (or schedule) takes is refused as "for Adam and AdamW", and the required learning rate.
// Each optimizer and schedule declares its schema next to its code (sgd.ts, adam.ts, schedules.ts, clip.ts).
import { XentError } from '@xent/tensor';
import { describe, numberOption, optionFamily, parseOptions, requiredOption } from '@xent/tensor/internal';
import type { OptionSchema, ParsedOptions } from '@xent/tensor/internal';

/** A learning rate η ≥ 0 that must be given; `fix` says how. */
export const givenLr = (fix: string) => requiredOption(numberOption(0, '[0, ∞)'), fix);
/** Registers an optimizer's schema: a name only another optimizer takes is refused as "for Adam and AdamW". */
export const optimizerOptions = optionFamily({ learningrate: 'lr', epsilon: 'eps', beta1: 'betas', beta2: 'betas' });
/** Registers a schedule's schema: a name only another schedule takes is refused as "for CosineAnnealingLR". */
export const scheduleOptions = optionFamily({});

/**
 * The hyperparameters `h` of a functional update (sgdUpdate, adamUpdate, adamwUpdate): every name of `required` must
 * be given (a left-out one read as undefined made every value NaN), every value valid for `schema`; `example` shows a whole h.
 */
export function parseHyper<S extends OptionSchema>(
  owner: string,
  h: unknown,
  schema: S,
  required: readonly string[],
  example: string,
): ParsedOptions<S> {
  const given = typeof h === 'object' && h !== null ? h : null;
  const missing = required.filter((k) => given === null || (Reflect.get(given, k) ?? null) === null);
  if (missing.length > 0) {
    const found = given === null ? `is ${describe(h)}` : `lacks ${missing.join(', ')}`;
    throw new XentError('INVALID_OPTION', `${owner}: h ${found}; it takes every hyperparameter explicitly, e.g. ${example}.`);
  }
  return parseOptions(owner, h, schema);
}

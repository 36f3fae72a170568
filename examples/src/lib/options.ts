// The options of an example's run(): its defaults, overridden by what the caller gives. A name the
// defaults do not have is refused: run({ epoch: 3 }) silently trained the default number of epochs.
import { XentError } from '@xent/tensor';

/** `{ ...defaults, ...options }`, refusing any name of `options` that `defaults` does not have. */
export function withDefaults<O extends object>(example: string, defaults: O, options: Partial<O>): O {
  if (options === null || typeof options !== 'object')
    throw new XentError('INVALID_OPTION', `${example}.run: the options are ${String(options)}; pass an object such as { epochs: 3 }.`);
  for (const name of Object.keys(options)) {
    if (!Object.hasOwn(defaults, name)) {
      throw new XentError(
        'INVALID_OPTION',
        `${example}.run: unknown option '${name}'; the options are ${Object.keys(defaults).join(', ')}.`,
      );
    }
  }
  return { ...defaults, ...options };
}

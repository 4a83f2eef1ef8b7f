/** Narrowing text to one of a list of codes, without casts. */
import { InternalError } from '../errors/errors.js';

/** Whether text is one of a list of codes (narrowing it to their type). */
export const isOneOf = <T extends string>(values: readonly T[], text: string): text is T => (values as readonly string[]).includes(text);

/** Text that must already be one of the codes (read back from a store that checks them): otherwise an internal error. */
export const expectOneOf = <T extends string>(values: readonly T[], text: unknown, what: string): T => {
  if (typeof text === 'string' && isOneOf(values, text)) return text;
  throw new InternalError(`stored ${what} is not one of ${values.join(', ')}`);
};

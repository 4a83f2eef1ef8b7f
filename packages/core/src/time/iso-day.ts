/** A calendar day written YYYY-MM-DD, checked to be a real day (2024-02-30 and 2099-13-45 are not), as a schema. */
import { z } from 'zod';
import { dayFromIso } from './days.js';

/** Whether text is a real calendar day written YYYY-MM-DD. */
export const isRealIsoDay = (text: string): boolean => {
  try {
    dayFromIso(text);
    return true;
  } catch {
    return false;
  }
};

export const IsoDaySchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'a date YYYY-MM-DD', abort: true }) // one problem per field: not also 'not a calendar date'
  .refine(isRealIsoDay, 'not a calendar date');

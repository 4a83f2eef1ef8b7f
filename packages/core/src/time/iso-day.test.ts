import { describe, expect, it } from 'vitest';
import { IsoDaySchema } from './iso-day.js';

describe('IsoDaySchema', () => {
  it.each([
    ['2024-02-29', true],
    ['2026-12-05', true],
    ['2023-02-29', false],
    ['2099-13-45', false],
    ['2024-2-1', false],
    ['yesterday', false],
  ])('%s → %s', (text, ok) => expect(IsoDaySchema.safeParse(text).success).toBe(ok));
});

/**
 * Numbers in `phm stats` output: rounded to 8 decimal places and written as JavaScript writes the
 * rounded number (`String(Math.round(v × 1e8) / 1e8)`), but without its shortest-digits search for the
 * usual magnitudes, which was the costliest step of writing a result (about 1.5 µs a number).
 */

/**
 * `String(Math.round(v * 1e8) / 1e8)`, the same text. Between 1e-6 and 1e7 the rounded value has at
 * most 15 significant digits, so its shortest round-trip text is exactly that decimal: it is written
 * from the whole number Math.round(v × 1e8) with integer arithmetic. Other magnitudes (exponent
 * notation below 1e-6, more than 15 digits from 1e7) go through String.
 */
export const formatRounded = (v: number): string => {
  if (Number.isInteger(v)) return String(v);
  const r = Math.round(v * 1e8);
  const a = r < 0 ? -r : r;
  if (a < 100 || a >= 1e15) return String(r / 1e8);
  let whole = Math.floor(a / 1e8);
  let fraction = a - whole * 1e8;
  if (fraction < 0) {
    whole -= 1;
    fraction += 1e8;
  }
  const sign = r < 0 ? '-' : '';
  if (fraction === 0) return `${sign}${whole}`;
  let digits = 8;
  while (fraction % 10 === 0) {
    fraction /= 10;
    digits -= 1;
  }
  return `${sign}${whole}.${String(fraction).padStart(digits, '0')}`;
};

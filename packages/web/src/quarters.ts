/** Financial quarters (April to March), as board reports are asked for. Pure, and unit-tested. */

/** A financial quarter: its id (2026-27-q3) and how people write it (Q3 2026/27). */
export interface Quarter {
  readonly id: string;
  readonly label: string;
}

/** The financial quarter containing a date and the `count - 1` before it, newest first. */
export const recentQuarters = (today: Date, count = 4): Quarter[] => {
  const month = today.getUTCMonth() + 1;
  let year = month >= 4 ? today.getUTCFullYear() : today.getUTCFullYear() - 1;
  let q = month >= 4 ? Math.ceil((month - 3) / 3) : 4;
  const out: Quarter[] = [];
  for (let i = 0; i < count; i++) {
    const next = String((year + 1) % 100).padStart(2, '0');
    out.push({ id: `${year}-${next}-q${q}`, label: `Q${q} ${year}/${next}` });
    if (--q === 0) (q = 4), year--;
  }
  return out;
};

/**
 * The names of the breakdowns figures come by (place, IMD decile, age band…), for every page that
 * offers them: one table, so a breakdown is called the same in every select, heading and chart.
 */

const BREAKDOWN_LABEL: Readonly<Record<string, string>> = {
  ics: 'ICS',
  place: 'Place',
  'local-authority': 'Local authority',
  neighbourhood: 'Neighbourhood',
  lsoa: 'LSOA',
  'imd-decile': 'IMD decile',
  'imd-quintile': 'IMD quintile',
  'age-band': 'Age band',
  sex: 'Sex',
  'ethnic-group': 'Ethnic group',
};

/** A breakdown's name as a heading or option ('IMD decile', 'Age band'); an unknown id as it is. */
export const breakdownLabel = (by: string): string => BREAKDOWN_LABEL[by] ?? by;

/** A label inside a sentence: 'Age band' → 'age band', but initialisms stay ('IMD decile', 'LSOA'). */
export const inSentence = (label: string): string => (/^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1));

/** A breakdown's name inside a sentence ("by age band", "by IMD decile"). */
export const breakdownPhrase = (by: string): string => inSentence(breakdownLabel(by));

/** Options for a select of breakdowns, in the order given. */
export const breakdownOptions = (ids: readonly string[]): { readonly id: string; readonly label: string }[] => ids.map((id) => ({ id, label: breakdownLabel(id) }));

/** After the first and last of `levels` deprivation groups (decile 1 of 10, quintile 5 of 5): which end it is. */
export const deprivationEnd = (level: number | string, levels: number): string =>
  Number(level) === 1 ? ' (most deprived)' : Number(level) === levels ? ' (least deprived)' : '';

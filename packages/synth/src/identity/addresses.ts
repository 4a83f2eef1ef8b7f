/**
 * Synthetic addresses and telephone numbers. The postcode is real (a live postcode of the person's
 * LSOA, from the ONS postcode lookup in the shared data); the street is made up, one per postcode
 * (the same postcode always gets the same street, whatever the seed), with a house number, and a
 * flat for some (more in deprived areas). The town is the main town of the local authority, a
 * simplification (a Dewsbury address reads "Huddersfield"). Telephone numbers are from Ofcom's
 * ranges kept for drama, which are never given to anyone: mobiles 07700 900000-900999, Leeds 0113
 * 496 0000-0999, and 01632 960000-960999 (a geographic range with no area) for the other places; so
 * numbers repeat across people.
 */
import { Random, type LadCode } from '@openphm/core';

const STREET_WORDS: readonly string[] = [
  'Oak', 'Ash', 'Elm', 'Beech', 'Birch', 'Holly', 'Rowan', 'Willow', 'Hawthorn', 'Sycamore', 'Chestnut', 'Laurel', 'Hazel', 'Maple', 'Cedar',
  'Mill', 'Church', 'Chapel', 'Station', 'School', 'Manor', 'Hall', 'Park', 'Moor', 'Beck', 'Bridge', 'Brook', 'Clough', 'Holme', 'Royd',
  'Ings', 'Carr', 'Field', 'Meadow', 'Bank', 'Hill', 'Ridge', 'Dale', 'Vale', 'Green', 'Common', 'Spring', 'Well', 'Crag', 'Fell',
  'Victoria', 'Albert', 'Queen', 'King', 'Regent', 'Prince', 'Wellington', 'Nelson', 'Grosvenor', 'Cavendish', 'Devonshire', 'Clarence', 'Balmoral', 'Windsor', 'York',
  'Airedale', 'Calder', 'Colne', 'Wharfe', 'Nidd', 'Aire', 'Holme Valley', 'Pennine', 'Ripon', 'Skipton', 'Otley', 'Ilkley', 'Keighley', 'Pontefract', 'Wetherby',
  'Raven', 'Heron', 'Lark', 'Swallow', 'Kestrel', 'Curlew', 'Linnet', 'Wren', 'Thrush', 'Plover',
  'Westfield', 'Northfield', 'Southfield', 'Eastfield', 'Highfield', 'Broadfield', 'Longfield', 'Greenfield', 'Springfield', 'Woodland',
  'Fairfax', 'Savile', 'Lister', 'Crossley', 'Akroyd', 'Salt', 'Brontë', 'Priestley', 'Wilberforce', 'Tetley',
  'Stone', 'Quarry', 'Foundry', 'Weavers', 'Tanners', 'Dyers', 'Spinners', 'Canal', 'Wharf', 'Lock',
];
const STREET_KINDS: readonly (readonly [string, number])[] = [
  ['Street', 14], ['Road', 18], ['Lane', 12], ['Avenue', 8], ['Close', 8], ['Drive', 7], ['Grove', 6], ['Terrace', 6],
  ['Crescent', 5], ['Gardens', 4], ['Way', 4], ['Court', 3], ['Place', 3], ['View', 3], ['Mount', 3], ['Rise', 2], ['Walk', 2],
  ['Fold', 2], ['Croft', 2], ['Garth', 1],
];
const KIND_CUMULATIVE = ((): number[] => {
  let t = 0;
  return STREET_KINDS.map(([, w]) => (t += w));
})();

export interface Street {
  readonly name: string;
  /** Houses numbered 1 to this. */
  readonly houses: number;
}

/** The made-up street of a postcode, the same every time. */
export const streetOfPostcode = (postcode: string): Street => {
  const rng = Random.fromKey(`openphm-streets/${postcode}`);
  const word = rng.pick(STREET_WORDS);
  const kind = STREET_KINDS[rng.pickCumulative(KIND_CUMULATIVE)]![0];
  return { name: `${word} ${kind}`, houses: rng.int(12, 140) };
};

/** The main town of each local authority of the partnership. */
export const TOWN_OF_LAD: Readonly<Record<string, string>> = {
  E08000032: 'Bradford',
  E07000163: 'Skipton',
  E08000033: 'Halifax',
  E08000034: 'Huddersfield',
  E08000035: 'Leeds',
  E08000036: 'Wakefield',
  E07000165: 'Harrogate',
};

export const townOf = (lad: LadCode): string => TOWN_OF_LAD[lad] ?? '';

const LEEDS = 'E08000035';
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Ofcom's drama ranges: 07700 900xxx, 0113 496 0xxx (Leeds), 01632 960xxx (elsewhere). */
export const dramaMobile = (rng: Random): string => `07700 900${pad(rng.int(0, 999), 3)}`;
export const dramaLandline = (rng: Random, lad: LadCode): string =>
  lad === LEEDS ? `0113 496 0${pad(rng.int(0, 999), 3)}` : `01632 960${pad(rng.int(0, 999), 3)}`;

export interface Address {
  readonly line1: string;
  readonly line2: string;
  readonly town: string;
  readonly postcode: string;
}

/** A new household's address in the area: a postcode of the LSOA, its street, a house (and, sometimes, a flat). */
export const drawAddress = (rng: Random, postcodes: readonly string[], lad: LadCode, deprivation: number): Address => {
  const postcode = postcodes[Math.floor(rng.next() * postcodes.length)]!;
  const street = streetOfPostcode(postcode);
  const house = rng.int(1, street.houses);
  const flat = rng.next() < 0.06 + 0.2 * deprivation;
  const town = townOf(lad);
  if (flat) return { line1: `Flat ${rng.int(1, 12)}`, line2: `${house} ${street.name}`, town, postcode };
  return { line1: `${house} ${street.name}`, line2: '', town, postcode };
};

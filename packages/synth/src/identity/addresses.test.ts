import { describe, expect, it } from 'vitest';
import { Lad, Random } from '@openphm/core';
import { dramaLandline, dramaMobile, drawAddress, streetOfPostcode, townOf } from './addresses.js';

describe('synthetic addresses and telephone numbers', () => {
  it('gives a postcode the same street every time, and other postcodes other streets', () => {
    expect(streetOfPostcode('LS1 4AP')).toEqual(streetOfPostcode('LS1 4AP'));
    const streets = new Set(['LS1 4AP', 'LS1 4AQ', 'BD1 1AA', 'HX1 2BB', 'WF1 3CC', 'HG1 4DD'].map((p) => streetOfPostcode(p).name));
    expect(streets.size).toBeGreaterThan(3);
    expect(streetOfPostcode('LS1 4AP').name).toMatch(/^\S.* (Street|Road|Lane|Avenue|Close|Drive|Grove|Terrace|Crescent|Gardens|Way|Court|Place|View|Mount|Rise|Walk|Fold|Croft|Garth)$/);
  });

  it.each([
    ['E08000035', 'Leeds'],
    ['E08000032', 'Bradford'],
    ['E07000163', 'Skipton'],
    ['E08000033', 'Halifax'],
    ['E08000034', 'Huddersfield'],
    ['E08000036', 'Wakefield'],
    ['E07000165', 'Harrogate'],
    ['E08000001', ''],
  ])('the town of %s is %j', (lad, town) => {
    expect(townOf(Lad.parse(lad))).toBe(town);
  });

  it.each([
    ['a mobile', () => dramaMobile(Random.fromKey('m')), /^07700 900\d{3}$/],
    ['a Leeds landline', () => dramaLandline(Random.fromKey('l'), Lad.parse('E08000035')), /^0113 496 0\d{3}$/],
    ['another landline', () => dramaLandline(Random.fromKey('b'), Lad.parse('E08000032')), /^01632 960\d{3}$/],
  ])('%s is in an Ofcom drama range', (_, draw, pattern) => {
    for (let i = 0; i < 20; i++) expect(draw()).toMatch(pattern);
  });

  it('puts the house on the street of one of the postcodes, and more people in flats where it is deprived', () => {
    const rng = Random.fromKey('addresses');
    const postcodes = ['LS6 1AA', 'LS6 1AB'];
    const flats = (d: number) => {
      let n = 0;
      for (let i = 0; i < 2000; i++) {
        const a = drawAddress(rng, postcodes, Lad.parse('E08000035'), d);
        expect(postcodes).toContain(a.postcode);
        expect(a.town).toBe('Leeds');
        const street = streetOfPostcode(a.postcode).name;
        if (a.line1.startsWith('Flat ')) {
          n++;
          expect(a.line2).toMatch(new RegExp(`^\\d+ ${street}$`));
        } else {
          expect(a.line1).toMatch(new RegExp(`^\\d+ ${street}$`));
          expect(a.line2).toBe('');
        }
      }
      return n / 2000;
    };
    expect(flats(0)).toBeCloseTo(0.06, 1);
    expect(flats(1)).toBeCloseTo(0.26, 1);
  });
});

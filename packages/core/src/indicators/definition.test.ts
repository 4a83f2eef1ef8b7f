import { describe, expect, it } from 'vitest';
import { findIndicator } from './catalogue.js';
import { parseIndicatorDefinition } from './definition.js';

const base = JSON.parse(JSON.stringify(findIndicator('ae-four-hours')));

describe('parseIndicatorDefinition', () => {
  it.each<[string, (d: Record<string, any>) => void, string]>([
    ['a bad id', (d) => (d.id = 'AE 4 hours'), "id: kebab-case"],
    ['an unknown polarity', (d) => (d.polarity = 'up'), 'polarity'],
    ['an unknown measure kind', (d) => (d.measure.kind = 'median'), 'measure'],
    ['an unknown table', (d) => (d.measure.events.table = 'ae'), 'measure.events.table'],
    ['a column the table lacks', (d) => (d.measure.numerator.to = 'left_time'), "table ae_attendance has no column 'left_time'"],
    ['an unknown condition', (d) => (d.measure = { kind: 'person-proportion', population: {}, numerator: { kind: 'on-register', condition: 'gout' } }), 'measure.numerator.condition'],
    ['minAge above maxAge', (d) => (d.measure = { kind: 'person-proportion', population: { minAge: 70, maxAge: 60 }, numerator: { kind: 'conditions-at-least', count: 2 } }), 'minAge is above maxAge'],
    ['an extra field', (d) => (d.colour = 'red'), 'colour'],
  ])('rejects %s with a message naming the field', (_, mutate, message) => {
    const d = JSON.parse(JSON.stringify(base));
    mutate(d);
    expect(() => parseIndicatorDefinition(d, 'my.json')).toThrow(message);
  });

  it('names the source in the error', () => {
    expect(() => parseIndicatorDefinition({}, 'indicators/x.json')).toThrow(/^indicators\/x\.json: /);
  });
});

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

  /**
   * The look-back building block: a person counts when they have a record in an event table within
   * `lookbackDays` of the reference date (has-event). Its event spec is checked like a measure's,
   * wherever the predicate stands: the numerator, or the population's `where`, inside all/any/not.
   */
  const talking = JSON.parse(JSON.stringify(findIndicator('talking-therapies-access')));
  const hasEvent = (events: Record<string, unknown>, lookbackDays: unknown = 365) => ({ kind: 'has-event', lookbackDays, events: { table: 'mental_health_contact', dateColumn: 'contact_date', ...events } });

  it('accepts a has-event predicate within a look-back (the mental health access indicators)', () => {
    expect(talking.measure.numerator).toMatchObject({ kind: 'has-event', lookbackDays: 365, events: { table: 'mental_health_contact', dateColumn: 'contact_date' } });
    expect(parseIndicatorDefinition(talking, 'talking.json').measure).toEqual(talking.measure);
    // Without a look-back: any record on or before the reference date.
    const d = JSON.parse(JSON.stringify(talking));
    delete d.measure.numerator.lookbackDays;
    expect(parseIndicatorDefinition(d, 'talking.json').measure).toMatchObject({ numerator: { kind: 'has-event' } });
  });

  it.each<[string, (d: Record<string, any>) => void, string]>([
    ['a date column the table lacks', (d) => (d.measure.numerator = hasEvent({ dateColumn: 'seen_on' })), "measure.numerator.events: table mental_health_contact has no column 'seen_on'"],
    ['a filter on a column the table lacks', (d) => (d.measure.numerator = hasEvent({ filters: [{ column: 'team', op: 'in', values: ['crisis'] }] })), "measure.numerator.events: table mental_health_contact has no column 'team'"],
    ['event ages the wrong way round', (d) => (d.measure.numerator = hasEvent({ minAge: 65, maxAge: 18 })), 'measure.numerator.events: minAge is above maxAge'],
    ['an unknown table', (d) => (d.measure.numerator = hasEvent({ table: 'therapy' })), 'measure.numerator.events.table'],
    ['a look-back of no days', (d) => (d.measure.numerator = hasEvent({}, 0)), 'measure.numerator.lookbackDays'],
    ['a look-back in part days', (d) => (d.measure.numerator = hasEvent({}, 30.5)), 'measure.numerator.lookbackDays'],
    ['a bad spec inside all/not', (d) => (d.measure.numerator = { kind: 'all', of: [{ kind: 'on-register', condition: 'smi' }, { kind: 'not', predicate: hasEvent({ dateColumn: 'seen_on' }) }] }), "measure.numerator.of.1.predicate.events: table mental_health_contact has no column 'seen_on'"],
    ['a bad spec in the population', (d) => (d.measure.population = { ...d.measure.population, where: hasEvent({ dateColumn: 'seen_on' }) }), "measure.population.where.events: table mental_health_contact has no column 'seen_on'"],
  ])('rejects a has-event predicate with %s, naming where', (_, mutate, message) => {
    const d = JSON.parse(JSON.stringify(talking));
    mutate(d);
    expect(() => parseIndicatorDefinition(d, 'my.json')).toThrow(message);
  });

  it('names the source in the error', () => {
    expect(() => parseIndicatorDefinition({}, 'indicators/x.json')).toThrow(/^indicators\/x\.json: /);
  });
});

/** Choosing an area (the ICS, a place, a neighbourhood) and colouring deprivation, as the population, map and dashboard pages do. */
import type { Geography } from '../api.js';
import { Options } from './common.js';

/** IMD decile 1 (most deprived) to 10: a colour-blind-safe sequential scale (viridis). */
export const DECILE_COLOURS = ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'];

/** Neighbourhoods as options grouped by their place (`group` names each group; `value` makes an option's value from the id). */
export const NeighbourhoodsByPlace = ({
  places,
  neighbourhoods,
  group = (p) => p.name,
  value = (id) => id,
}: {
  places: readonly { readonly id: string; readonly name: string }[];
  neighbourhoods: readonly { readonly id: string; readonly name: string; readonly place: string }[];
  group?: (place: { readonly name: string }) => string;
  value?: (id: string) => string;
}) => (
  <>
    {places.map((p) => (
      <optgroup key={p.id} label={group(p)}>
        <Options items={neighbourhoods.filter((n) => n.place === p.id).map((n) => ({ id: value(n.id), label: n.name }))} />
      </optgroup>
    ))}
  </>
);

/**
 * A select of areas by their ids (ics, place:leeds, neighbourhood:leeds-01): the whole ICS, its
 * places and, with `neighbourhoods`, every neighbourhood grouped by place. Until the geography has
 * loaded only the ICS is offered.
 */
export const AreaSelect = ({ id, geography, value, onChange, neighbourhoods = false }: { id: string; geography: Geography | undefined; value: string; onChange: (v: string) => void; neighbourhoods?: boolean }) => (
  <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
    <option value="ics">{geography?.ics.name ?? 'Whole ICS'} (whole ICS)</option>
    {geography && (
      <optgroup label="Places">
        <Options items={geography.places.map((p) => ({ id: `place:${p.id}`, label: p.name }))} />
      </optgroup>
    )}
    {neighbourhoods && geography && <NeighbourhoodsByPlace places={geography.places} neighbourhoods={geography.neighbourhoods} group={(p) => `Neighbourhoods in ${p.name}`} value={(id) => `neighbourhood:${id}`} />}
  </select>
);

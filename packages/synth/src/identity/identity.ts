/**
 * Synthetic identities: who each generated person is, for the identifiable zone (core's
 * IDENTITY_TABLE). Every draw comes from a stream of its own per LSOA, never from the area's main
 * stream, so identities change no other generated row. A baby takes its mother's address and, most
 * often, her family name; everyone else gets a household of their own.
 *
 * Date of birth and sex are the person's own (person.date_of_birth, person.sex). See
 * docs/synthetic-data.md, "Synthetic identities", for the sources and their licences.
 */
import { InternalError, Random, type DayNumber, type EthnicCategory } from '@openphm/core';
import { formatDay } from '../days.js';
import { postcodesOfLsoa, type IdentityReference } from '@openphm/reference-data';
import type { GeneratorArea } from '../areas.js';
import { dramaLandline, dramaMobile, drawAddress, type Address } from './addresses.js';
import { buildCommunities, inheritedFamilyName, pickCommunity, type Communities, type CommunityId } from './names.js';
import { NhsNumberAllocator, type NhsNumberBlock } from './nhs-numbers.js';

const YEAR = 365.25;

/** The stream of the identity draws of one LSOA. */
export const identityStream = (idKey: number, lsoaCode: string): Random => Random.fromKey(`openphm-identities/${idKey}/${lsoaCode}`);

/** The reference data made ready for drawing (built once per process or worker). */
export interface PreparedIdentities {
  readonly reference: IdentityReference;
  readonly communities: Communities;
}

export const prepareIdentities = (reference: IdentityReference): PreparedIdentities => ({ reference, communities: buildCommunities(reference) });

/** One CSV field: quoted when it holds a comma, a quote or a line break. */
const field = (value: string): string => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

export interface IdentityPerson {
  readonly id: number;
  readonly male: boolean;
  readonly dob: DayNumber;
  readonly ethnic: EthnicCategory;
  /** The mother's person id, for a baby born in the window. */
  readonly motherId?: number;
}

interface Household {
  readonly community: CommunityId;
  readonly familyName: string;
  readonly address: Address;
}

/** Draws the identities of one area's people, in the order the person model creates them. */
export class AreaIdentities {
  private readonly rng: Random;
  private readonly numbers: NhsNumberAllocator;
  private readonly postcodes: readonly string[];
  /** People who may become mothers in the window, for their babies. */
  private readonly households = new Map<number, Household>();

  constructor(
    private readonly prepared: PreparedIdentities,
    private readonly area: GeneratorArea,
    block: NhsNumberBlock,
    idKey: number,
    /** Telephone numbers are held by people aged 16 or more on this day (the end of the window). */
    private readonly asOf: DayNumber,
  ) {
    this.rng = identityStream(idKey, area.lsoa.code);
    this.numbers = new NhsNumberAllocator(block, `LSOA ${area.lsoa.code}`);
    const postcodes = postcodesOfLsoa(prepared.reference, area.lsoa);
    if (postcodes.length === 0) throw new InternalError(`no live postcode of LSOA ${area.lsoa.code} in the identity reference data`);
    this.postcodes = postcodes;
  }

  /** The identity row of the person (columns of core's IDENTITY_TABLE). */
  row(p: IdentityPerson): string {
    const { rng } = this;
    const birthYear = Number(formatDay(p.dob).slice(0, 4));
    const mother = p.motherId === undefined ? undefined : this.households.get(p.motherId);
    const community = mother !== undefined && rng.next() < 0.9 ? mother.community : pickCommunity(rng, p.ethnic);
    const names = this.prepared.communities[community];
    const given = names.given(rng, p.male, birthYear);
    const inherited = mother !== undefined && rng.next() < 0.85 ? inheritedFamilyName(mother.familyName, p.male) : null;
    const familyName = inherited ?? names.surname(rng, p.male);
    const address = mother?.address ?? drawAddress(rng, this.postcodes, this.area.lsoa.ladCode, this.area.d);
    const age = Math.floor((this.asOf - p.dob) / YEAR);
    let phone = '';
    if (age >= 16) {
      const r = rng.next();
      if (r < 0.85) phone = dramaMobile(rng);
      else if (r < 0.93) phone = dramaLandline(rng, this.area.lsoa.ladCode);
    }
    if (!p.male && age >= 12 && p.motherId === undefined) this.households.set(p.id, { community, familyName, address });
    const nhsNumber = this.numbers.next();
    return [
      String(p.id), nhsNumber, field(given), field(familyName), formatDay(p.dob), p.male ? 'M' : 'F',
      field(address.line1), field(address.line2), field(address.town), address.postcode, phone,
    ].join(',');
  }
}

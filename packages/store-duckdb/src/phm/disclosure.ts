/**
 * PHM counts go out through core's publication module (packages/core/src/publication): segment,
 * risk and cohort tables as group × category cross tables with the cell keys of their people. This
 * file keeps the store's words about it and the analysts' no-control policy.
 */
import { DEFAULT_POLICY, disclosureRule, type DisclosurePolicy } from '@openphm/core';

/** A sentence for the foot of a table or report saying how its counts were protected. */
export const disclosureNote = (policy: DisclosurePolicy = DEFAULT_POLICY): string => `Disclosure control (docs/disclosure-control.md): ${disclosureRule(policy)}`;

export const DISCLOSURE_NOTE = disclosureNote();

/** A policy that publishes every count as it is: for analysts' own use (`--no-disclosure-control`), never for publication. */
export const NO_DISCLOSURE_CONTROL: DisclosurePolicy = Object.freeze({ minimumCount: 1, suppressZero: false, rounding: 1, secondary: false, perturbation: 'none' });
export const NO_DISCLOSURE_NOTE = 'No disclosure control: exact counts for analysts, not for publication.';

/** SQL: the cell key of the rows counted under `filter` (the sum of their record keys; core reduces it modulo 256). */
export const keySumSql = (filter?: string, weight?: string): string =>
  `coalesce(sum(record_key${weight ? ` * (${weight})` : ''})${filter ? ` FILTER (WHERE ${filter})` : ''}, 0)::BIGINT`;

/**
 * Published figures: numbers that have been through disclosure control. They carry a type brand
 * that only this folder can put on a number (`mint` is not exported from the package), and the
 * API's response schemas require the brand on every figure field, so nothing else can publish a
 * count, value or interval: it would not compile. See docs/disclosure-control.md, "One way out".
 * @module
 */
import { z } from 'zod';

/** The key, in an API response's JSON schema, that marks a field as a published figure. */
export const FIGURE_META_KEY = 'x-openphm-figure';
/** The key that marks a number as not a figure (an id, a version, a year, reference data …), with why. */
export const NOT_A_FIGURE_META_KEY = 'x-openphm-not-a-figure';

/** A number that has been through the publication module. */
export const PublishedNumberSchema = z.number().brand<'PublishedFigure'>();
export type PublishedNumber = z.output<typeof PublishedNumberSchema>;
/** A published figure, or null when withheld. */
export type Figure = PublishedNumber | null;

/**
 * Brands a number as published. Internal to the publication module (not exported from
 * @openphm/core); a test fails if any other file calls it.
 */
export const mint = (n: number): PublishedNumber => n as PublishedNumber;
/** mint for a number that may be absent. */
export const mintOrNull = (n: number | null | undefined): Figure => (n === null || n === undefined || !Number.isFinite(n) ? null : mint(n));

/**
 * The schema of a figure field in an API response: a published number (type-branded) or null
 * when withheld, marked in the OpenAPI document with `x-openphm-figure: true`.
 */
export const figureSchema = (description = 'A published figure (disclosure-controlled); null when withheld') =>
  PublishedNumberSchema.nullable().meta({ [FIGURE_META_KEY]: true, description });

/** A figure field that is never withheld (a trajectory's points, a stated or published baseline). */
export const requiredFigureSchema = (description = 'A published figure') => PublishedNumberSchema.meta({ [FIGURE_META_KEY]: true, description });

/**
 * Marks a number schema (or an object holding only numbers that are not figures) as not a figure,
 * saying why: the publication test accepts such numbers in a response; every other number must be
 * a figure.
 */
export const notAFigure = <S extends z.ZodType>(schema: S, why: string): S => schema.meta({ [NOT_A_FIGURE_META_KEY]: why }) as S;

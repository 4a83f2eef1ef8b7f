/**
 * Cohort definitions: a named, versioned feature rule (the same rules as segments) optionally
 * restricted to a place or neighbourhood and to IMD quintiles. Definitions are data (JSON files in
 * cohorts/, validated with zod) and documented in docs/cohorts.md. The meaning of membership is
 * `inCohort` over PersonFeatures; the DuckDB engine compiles the same definition to SQL.
 */
import { z } from 'zod';
import { IsoDaySchema } from '../time/iso-day.js';
import { FieldValidationError, fieldProblemsOf } from '../errors/errors.js';
import type { PersonFeatures } from './features.js';
import { FeatureRuleSchema, SEGMENTATIONS, assignSegment, evaluateRule, ruleUsesEvents, segmentationUsesEvents, type FeatureRule, type Segmentation } from './segments.js';

export interface CohortArea {
  readonly place?: string;
  readonly neighbourhoodId?: string;
}

export interface CohortDefinition {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly description: string;
  /** Default reference date (YYYY-MM-DD); the caller's date wins. */
  readonly referenceDate?: string;
  readonly rule: FeatureRule;
  readonly area?: CohortArea;
  /** Only people living in LSOAs of these IMD quintiles (1 = most deprived). */
  readonly imdQuintiles?: readonly number[];
  /** Only people assigned to one of these segments of a built-in segmentation (docs/segmentation.md). */
  readonly segment?: { readonly segmentation: string; readonly segments: readonly string[] };
}

export const CohortDefinitionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'lower-case words joined by hyphens'),
    version: z.number().int().min(1),
    title: z.string().min(3),
    description: z.string().min(3),
    referenceDate: IsoDaySchema.optional(),
    rule: FeatureRuleSchema,
    area: z.object({ place: z.string().min(1).optional(), neighbourhoodId: z.string().min(1).optional() }).strict().optional(),
    imdQuintiles: z.array(z.number().int().min(1).max(5)).min(1).optional(),
    segment: z.object({ segmentation: z.string().min(1), segments: z.array(z.string().min(1)).min(1) }).strict().optional(),
  })
  .strict();

/** Validates a cohort definition; errors name the source (file) and each invalid field. */
export const parseCohortDefinition = (input: unknown, source = 'cohort definition'): CohortDefinition => {
  const parsed = CohortDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    throw new FieldValidationError(source, fieldProblemsOf(parsed.error.issues));
  }
  const c = parsed.data as CohortDefinition;
  if (c.imdQuintiles && new Set(c.imdQuintiles).size !== c.imdQuintiles.length) throw new FieldValidationError(source, [{ field: 'imdQuintiles', message: 'a quintile appears twice' }]);
  if (c.segment) {
    const segmentation = SEGMENTATIONS.find((x) => x.id === c.segment!.segmentation);
    if (!segmentation) throw new FieldValidationError(source, [{ field: 'segment.segmentation', message: `unknown segmentation '${c.segment.segmentation}' (one of ${SEGMENTATIONS.map((x) => x.id).join(', ')})` }]);
    const unknown = c.segment.segments.find((id) => !segmentation.segments.some((x) => x.id === id));
    if (unknown !== undefined) throw new FieldValidationError(source, [{ field: 'segment.segments', message: `'${unknown}' is not a segment of ${segmentation.id} (${segmentation.segments.map((x) => x.id).join(', ')})` }]);
  }
  return c;
};

/** The built-in segmentation a cohort's `segment` restriction refers to (parseCohortDefinition checked it exists). */
export const cohortSegmentation = (cohort: CohortDefinition): Segmentation | undefined =>
  cohort.segment ? SEGMENTATIONS.find((x) => x.id === cohort.segment!.segmentation) : undefined;

/** Whether a cohort's rule, or the segmentation it is restricted to, reads the dated event lists. */
export const cohortUsesEvents = (cohort: CohortDefinition): boolean => {
  const segmentation = cohortSegmentation(cohort);
  return ruleUsesEvents(cohort.rule) || (segmentation !== undefined && segmentationUsesEvents(segmentation));
};

/** The reference meaning of cohort membership (rule, area and IMD quintile restrictions all hold). */
export const inCohort = (cohort: CohortDefinition, features: PersonFeatures): boolean => {
  if (cohort.area?.place !== undefined && features.place !== cohort.area.place) return false;
  if (cohort.area?.neighbourhoodId !== undefined && features.neighbourhoodId !== cohort.area.neighbourhoodId) return false;
  if (cohort.imdQuintiles && !cohort.imdQuintiles.includes(features.numeric.imdQuintile)) return false;
  const segmentation = cohortSegmentation(cohort);
  if (segmentation && !cohort.segment!.segments.includes(assignSegment(segmentation, features))) return false;
  return evaluateRule(cohort.rule, features);
};

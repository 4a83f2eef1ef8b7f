/**
 * Saved cohorts in the cohort builder: who a cohort is shared with in words, the cohorts of the list
 * by source, and what saving sends. Pure, and unit-tested.
 */
import type { CohortDefinition, CohortSharing, CohortsResponse, SaveCohortInput } from '../api.js';

export const SHARINGS: readonly CohortSharing[] = ['private', 'team', 'everyone'];

/** Who a saved cohort is shared with, for the role saving it (a neighbourhood team's team is its neighbourhood's; analysts are one team). */
export const sharingLabel = (sharing: CohortSharing, role: string): string =>
  ({ private: 'Only me', team: role === 'neighbourhood' ? 'My neighbourhood team' : 'Analysts (my team)', everyone: 'Everyone who uses cohorts' })[sharing];

export type ListedCohort = CohortsResponse['cohorts'][number];

/** The cohorts of the list by source: the files on the server, and the saved cohorts the user may see. */
export const bySource = (cohorts: readonly ListedCohort[]): { files: ListedCohort[]; saved: ListedCohort[] } => ({
  files: cohorts.filter((c) => c.source !== 'saved'),
  saved: cohorts.filter((c) => c.source === 'saved'),
});

/** A cohort's name in a list of cohorts to use (the worklist page): one saved in the app says so, and whose it is when not one's own, apart from the cohort files deployed with the server. */
export const cohortLabel = (c: Pick<ListedCohort, 'title' | 'source' | 'saved'>): string =>
  c.source !== 'saved' ? c.title : c.saved && !c.saved.mine ? `${c.title} (saved by ${c.saved.owner})` : `${c.title} (saved)`;

/** What saving sends, or why it cannot yet: a name of 3 characters or more, a description, and criteria that count. */
export const saveInput = (title: string, description: string, definition: CohortDefinition | null): SaveCohortInput | string => {
  if (definition === null) return 'fix the criteria first';
  if (title.trim().length < 3) return 'give the cohort a name of 3 characters or more';
  const words = description.trim() || `Saved from the cohort builder: ${title.trim()}`;
  return { title: title.trim(), description: words, definition };
};

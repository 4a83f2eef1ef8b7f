/** MDT meetings of a neighbourhood team (routes/meetings.ts). */
import { z } from 'zod';
import { notAFigure } from '@openphm/core';
import { TaskOut, TeamMemberOut } from './tasks.js';

export const MeetingParams = z.object({ meetingId: z.coerce.number().int().min(1) });
export const AgendaItemParams = z.object({ meetingId: z.coerce.number().int().min(1), itemId: z.coerce.number().int().min(1) });

const MeetingFields = {
  id: z.number().int(),
  neighbourhoodId: z.string(),
  date: z.string(),
  title: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
};

export const MeetingOut = notAFigure(z.object(MeetingFields), 'an MDT meeting of a care team');

export const MeetingsResponse = notAFigure(
  z.object({
    neighbourhood: z.string(),
    meetings: z.array(z.object({ ...MeetingFields, items: z.number().int(), discussed: z.number().int() })),
  }),
  "a care team's MDT meetings (no person-level rows)",
);

export const AgendaItemOut = notAFigure(
  z.object({
    id: z.number().int(),
    meetingId: z.number().int(),
    personId: z.string(),
    reason: z.string(),
    addedBy: z.string(),
    addedAt: z.string(),
    outcome: z.string().nullable(),
    outcomeBy: z.string().nullable(),
    outcomeAt: z.string().nullable(),
    tasks: z.array(TaskOut).describe('the tasks raised from this outcome'),
  }),
  'a person on an MDT agenda (audited), never published',
);

export const DiscussionCandidateOut = z.object({
  personId: z.string(),
  reasons: z.array(z.object({ id: z.string(), label: z.string() })),
  caseloadEntryId: z.number().int().nullable(),
  reviewDate: z.string().nullable(),
});

export const MeetingResponse = notAFigure(
  z.object({
    meeting: MeetingOut,
    agenda: z.array(AgendaItemOut),
    dueForDiscussion: z.array(DiscussionCandidateOut).describe('people due for discussion and not on the agenda: caseload reviews that have come, then people newly at high risk'),
    highRiskCohort: z.string().describe('the worklist people newly at high risk come from'),
    team: z.array(TeamMemberOut),
    today: z.string(),
  }),
  'an MDT meeting with its person-level agenda (audited), never published',
);

export type MeetingT = z.infer<typeof MeetingOut>;
export type MeetingsResponseT = z.infer<typeof MeetingsResponse>;
export type MeetingResponseT = z.infer<typeof MeetingResponse>;
export type AgendaItemT = z.infer<typeof AgendaItemOut>;

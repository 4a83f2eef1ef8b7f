/** The audit log's reports (routes/audit.ts): who accessed one person's record, and the chain check. */
import { z } from 'zod';
import { notAFigure } from '@openphm/core';
import { FormatQuery, Int } from './common.js';
import { AuditRecordSchema } from './admin.js';
import { RoleSchema } from './roles.js';

export const SubjectAccessParams = z.object({ personId: z.string().regex(/^\d{1,18}$/, 'a pseudonymous person id (digits)') });
export const SubjectAccessQuery = z.object({ format: FormatQuery });

export const SubjectAccessResponse = z.object({
  personId: z.string(),
  /** Each account that touched the record, with what it did and when. */
  accessedBy: z.array(
    notAFigure(
      z.object({
        userEmail: z.string().nullable(),
        role: RoleSchema,
        action: z.string(),
        outcome: z.string(),
        times: z.number().int(),
        first: z.string(),
        last: z.string(),
      }),
      'the audit log (administrators only)',
    ),
  ),
  rows: z.array(AuditRecordSchema),
  note: z.string(),
});

export const AuditChainResponse = z.object({
  holds: z.boolean(),
  checked: Int('audit rows checked'),
  unchained: Int('audit rows written before the chain began'),
  broken: z.object({ id: Int('the id of the first audit row that does not hold'), problem: z.string() }).nullable(),
  head: z.string().nullable().describe('the hash of the last row: keep it elsewhere, so removing rows after it shows'),
});

export type SubjectAccessResponseT = z.infer<typeof SubjectAccessResponse>;
export type AuditChainResponseT = z.infer<typeof AuditChainResponse>;

/** Liveness, which stores are in use, and the background precomputation (server.ts). */
import { z } from 'zod';
import { notAFigure } from '@openphm/core';

export const PRECOMPUTE_STATUSES = ['off', 'running', 'done', 'failed', 'stopped'] as const;
export const HealthResponse = z.object({
  status: z.literal('ok'),
  operationalStore: z.string(),
  dataVersion: z.string(),
  precompute: z.object({ status: z.enum(PRECOMPUTE_STATUSES), step: z.string(), seconds: notAFigure(z.number().nullable(), 'how long precomputation has run') }),
});

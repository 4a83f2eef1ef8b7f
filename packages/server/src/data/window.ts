/** The window of time the served data covers, kept for the data version. */
import { dataWindow } from '@openphm/store-duckdb';
import { memoised, type ServerContext } from '../context.js';

export interface ServedWindow {
  /** First day of the data, when the database says. */
  readonly start: string | undefined;
  /** First day after the data: the database's window end, else today. */
  readonly end: string;
}

export const servedWindow = (ctx: ServerContext): Promise<ServedWindow> =>
  memoised(ctx, 'window', async () => {
    const w = await dataWindow(ctx.data);
    return { start: w.start, end: w.end ?? ctx.today() };
  });

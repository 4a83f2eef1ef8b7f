/** Directory search reads the stored entries again only when they change (a stamp), and always shows a change at once. */
import { describe, expect, it } from 'vitest';
import { DirectoryResponse } from '@openphm/api-contract';
import { testService, useSignedInServer } from '../test-support.js';

describe('directory search', () => {
  const { as } = useSignedInServer();
  const names = async () => DirectoryResponse.parse((await as('public', 'GET', '/api/directory/services')).json()).services.map((s) => `${s.id}: ${s.schedule}`);

  it('shows an entry added, and an entry replaced, after earlier searches', async () => {
    expect(await names()).toEqual([]);
    expect((await as('programme', 'POST', '/api/directory/services', testService('walk'))).statusCode).toBe(201);
    expect(await names()).toEqual(['walk: Mondays']);
    expect(await names()).toEqual(['walk: Mondays']);
    expect((await as('programme', 'PUT', '/api/directory/services/walk', { entry: { ...testService('walk'), schedule: 'Tuesdays' }, version: 1 })).statusCode).toBe(200);
    expect(await names()).toEqual(['walk: Tuesdays']);
  });
});

/** Property-based fuzzing of the in-process server (short run; `npm run fuzz -- --runs 10000` runs long). */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess, type InProcessServer } from '../support/inProcess.js';
import { properties, type FuzzStats } from './properties.js';

describe('fuzzing from the spec', () => {
  let server: InProcessServer;
  const stats: FuzzStats = { runs: 0, statuses: {} };
  let props: ReturnType<typeof properties>;

  beforeAll(async () => {
    server = await startInProcess();
    await server.addSource('fuzz-source');
    props = properties({ baseUrl: server.baseUrl, token: (await server.token()).secret, serverId: 'fuzz-source' }, stats);
  });
  afterAll(async () => server.close());

  it('valid polls get 200 or a documented 404', async () => {
    await fc.assert(props.validPoll, { numRuns: 80 });
  });

  it('valid reports (bounds, enums, boundary lengths, string result_detail) get 200 or a documented 404', async () => {
    await fc.assert(props.validReport, { numRuns: 120 });
    expect(stats.statuses['valid UpdateCommandResult 200']).toBeGreaterThan(10);
  });

  it('each single mutation of a report gets a 400 in the spec error shape, never a 5xx', async () => {
    await fc.assert(props.invalidReport, { numRuns: 200 });
    const kinds = Object.keys(stats.statuses).filter((k) => k.startsWith('invalid')).map((k) => k.replace(/ \d+$/, ''));
    expect(new Set(kinds).size).toBeGreaterThanOrEqual(7);
    expect(Object.keys(stats.statuses).some((k) => / 5\d\d$/.test(k))).toBe(false);
  });
});

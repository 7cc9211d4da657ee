/**
 * `npm run fuzz -- --runs 10000 [--seed N]`: the fuzzing properties of both contracts, long. Against an
 * in-process server on SQLite (default) or PostgreSQL (`--database-url postgres://…`), or any deployment
 * (--base-url, --token, --server-id, and --admin-token for the admin API and the hostile probe's properties). Prints progress and a summary; a failure prints the seed and the
 * shrunk counterexample, and exits 1.
 */
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { freshDatabase, type TestDatabase } from '../../harness/databases.js';
import { startInProcess } from '../../harness/inProcess.js';
import { openStore } from '../../server/store/index.js';
import { accessKeyPair } from '../target.js';
import { hostileProperties, type HostileFuzzTarget } from './hostile.js';
import { adminProperties, properties, type AdminFuzzTarget, type FuzzStats, type FuzzTarget } from './properties.js';

const usage = 'usage: npm run fuzz -- [--runs 10000] [--seed N] [--database-url sqlite::memory:|postgres://…] [--base-url URL --token TOKEN --server-id ID [--admin-token TOKEN] [--access-key AK:SK]]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3000' },
      seed: { type: 'string' },
      'base-url': { type: 'string' },
      token: { type: 'string' },
      'server-id': { type: 'string' },
      'admin-token': { type: 'string' },
      'access-key': { type: 'string' },
      'database-url': { type: 'string', default: 'sqlite::memory:' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 3) {
    console.error(`fuzz: --runs must be a whole number of at least 3.\n${usage}`);
    return 2;
  }
  const seed = values.seed === undefined ? Date.now() ^ (Math.random() * 0x7fffffff) : Number(values.seed);
  let target: FuzzTarget;
  let adminTarget: AdminFuzzTarget | undefined;
  let hostileTarget: HostileFuzzTarget | undefined;
  let close = async (): Promise<void> => {};
  if (values['base-url']) {
    if (!values.token || !values['server-id']) {
      console.error(`fuzz: --base-url needs --token and --server-id.\n${usage}`);
      return 2;
    }
    const pair = values['access-key'] === undefined ? undefined : accessKeyPair(values['access-key']);
    if (pair === null) {
      console.error(`fuzz: --access-key is AK:SK, as \`npm run admin -- keys create\` printed them.\n${usage}`);
      return 2;
    }
    // with an access key, the Agent requests are signed with it instead of carrying the token
    target = { baseUrl: values['base-url'], token: values.token, serverId: values['server-id'], ...(pair ? { accessKey: pair } : {}) };
    if (values['admin-token']) {
      adminTarget = { baseUrl: values['base-url'], adminToken: values['admin-token'], serverId: values['server-id'] };
      hostileTarget = { ...adminTarget, token: values.token };
    }
  } else {
    let database: TestDatabase;
    try {
      database = await freshDatabase(values['database-url']);
    } catch (err) {
      console.error(`fuzz: cannot open ${values['database-url']}: ${(err as Error).message}. Give --database-url sqlite::memory: or a reachable postgres://… URL.`);
      return 2;
    }
    const store = await openStore(database.url);
    const server = await startInProcess({ store });
    console.log(`In-process server on ${store.kind}${store.kind === 'postgres' ? ` (schema of its own in ${values['database-url']}, dropped at the end)` : ''}`);
    await server.addSource('fuzz-source');
    target = {
      baseUrl: server.baseUrl,
      token: (await server.token()).secret,
      serverId: 'fuzz-source',
      // in-process, what was stored is compared with what was sent
      storedReport: async (id, requestId) => (await server.store.listResults(id)).find((r) => r.requestId === requestId),
    };
    adminTarget = { baseUrl: server.baseUrl, adminToken: (await server.token({ kind: 'admin' })).secret, serverId: 'fuzz-source' };
    hostileTarget = { ...adminTarget, token: target.token };
    close = async () => {
      await server.close();
      await store.close();
      await database.drop();
    };
  }

  const stats: FuzzStats = { runs: 0, statuses: {} };
  const started = Date.now();
  let lastReport = 0;
  const onRun = (): void => {
    if (stats.runs - lastReport >= Math.max(100, Math.floor(runs / 20))) {
      lastReport = stats.runs;
      const rate = Math.round((stats.runs * 1000) / (Date.now() - started));
      console.log(`  ${stats.runs}/${runs} requests (${Math.round((100 * stats.runs) / runs)}%, ${rate}/s)`);
    }
  };
  const props = properties(target, stats, onRun);
  const admin = adminTarget ? adminProperties(adminTarget, stats, onRun) : undefined;
  const hostile = hostileTarget ? hostileProperties(hostileTarget, stats, onRun) : undefined;
  const adminShare = admin ? 0.3 : 0;
  const hostileShare = hostile ? 0.2 : 0;
  const agentShare = 1 - adminShare - hostileShare;
  const share = {
    validPoll: Math.floor(runs * 0.2 * agentShare),
    validReport: Math.floor(runs * 0.35 * agentShare),
    invalidReport: Math.floor(runs * 0.45 * agentShare),
    validAdminWrite: Math.floor(runs * adminShare * 0.4),
    validAdminRead: Math.floor(runs * adminShare * 0.25),
    // the read-back property sends two requests a run
    tamperedCursor: Math.floor(runs * hostileShare * 0.3),
    loneSurrogate: Math.floor(runs * hostileShare * 0.3),
    exactReadBack: Math.floor((runs * hostileShare * 0.2) / 2),
    rawFraming: Math.floor(runs * hostileShare * 0.2),
  };
  const invalidAdmin = runs - Object.values(share).reduce((a, b) => a + b, 0);
  console.log(`Fuzzing ${target.baseUrl} with ${runs} requests, seed ${seed}`);
  /** Runs one property; prints the seed and shrunk counterexample on failure. */
  async function runOne<Ts extends [unknown, ...unknown[]]>(name: string, prop: fc.IAsyncProperty<Ts>, numRuns: number): Promise<boolean> {
    console.log(`- ${name}: ${numRuns} runs`);
    const result = await fc.check(prop, { numRuns, seed, includeErrorInReport: true });
    if (!result.failed) return true;
    console.log(fc.defaultReportMessage(result));
    console.log(`  reproduce: npm run fuzz -- --runs ${runs} --seed ${seed}`);
    return false;
  }
  const failed =
    !(await runOne('valid polls', props.validPoll, share.validPoll)) ||
    !(await runOne('valid reports', props.validReport, share.validReport)) ||
    !(await runOne('invalid reports (one mutation each)', props.invalidReport, admin ? share.invalidReport : share.invalidReport + invalidAdmin)) ||
    (admin !== undefined &&
      (!(await runOne('valid admin writes', admin.validAdminWrite, share.validAdminWrite)) ||
        !(await runOne('valid admin reads', admin.validAdminRead, share.validAdminRead)) ||
        !(await runOne('invalid admin writes (one mutation each)', admin.invalidAdminWrite, invalidAdmin)))) ||
    (hostile !== undefined &&
      (!(await runOne('tampered cursors', hostile.tamperedCursor, share.tamperedCursor)) ||
        !(await runOne('lone surrogates', hostile.loneSurrogate, share.loneSurrogate)) ||
        !(await runOne('result_detail read back exactly', hostile.exactReadBack, share.exactReadBack)) ||
        !(await runOne('raw HTTP framing', hostile.rawFraming, share.rawFraming))));
  await close();
  const seconds = (Date.now() - started) / 1000;
  console.log(`\nSummary: ${stats.runs} requests in ${seconds.toFixed(1)} s (${Math.round(stats.runs / seconds)}/s), seed ${seed}`);
  for (const [k, v] of Object.entries(stats.statuses).sort()) console.log(`  ${k.padEnd(48)} ${v}`);
  console.log(failed ? '\nFAILED: a request broke the contract (see the counterexample above).' : '\nNo request broke the contract; no 5xx.');
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`fuzz: ${(err as Error).stack ?? String(err)}`);
    process.exit(2);
  },
);

/**
 * `npm run contract -- --base-url URL --token TOKEN --server-id ID [--admin-token TOKEN]`: runs the contract
 * suite against any deployment and exits non-zero on a violation, with a readable report. It sends real
 * requests: the UpdateCommandResult cases store reports (unmatched ones are kept as unsolicited), so point
 * it at a source server meant for testing; with an admin token, the admin cases register source servers
 * named contract-<random> and issue (then revoke) tokens.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { contractCases, runCase } from './cases.js';
import { accessKeyPair, type ContractTarget } from './target.js';

const usage = `usage: npm run contract -- --base-url URL --token TOKEN --server-id ID [--forbidden-token TOKEN] [--access-key AK:SK] [--admin-token TOKEN] [--unregistered-server-id ID] [--mock]

  --base-url                  where the API is (e.g. http://127.0.0.1:8080)
  --token                     a token with sms:server:getCommand and sms:server:updateCommandResult on every source server
  --server-id                 a registered source server for the test (reports sent to it are stored)
  --forbidden-token           a valid token that may not act on --server-id (enables the 403 cases)
  --access-key AK:SK          sign the Agent requests that would carry --token with this access key instead (SDK-HMAC-SHA256)
  --admin-token               an admin token (enables the admin contract's cases; they register source servers named contract-...)
  --unregistered-server-id    a well-formed ID that is not registered (default: a random one)
  --mock                      the target is a Prism mock (asks for statuses with Prefer: code=N)`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'base-url': { type: 'string' },
        token: { type: 'string' },
        'server-id': { type: 'string' },
        'forbidden-token': { type: 'string' },
        'access-key': { type: 'string' },
        'admin-token': { type: 'string' },
        'unregistered-server-id': { type: 'string' },
        mock: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    console.error(`contract: ${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (!values['base-url'] || !values.token || !values['server-id']) {
    console.error(`contract: --base-url, --token and --server-id are required.\n\n${usage}`);
    return 2;
  }
  const pair = values['access-key'] === undefined ? undefined : accessKeyPair(values['access-key']);
  if (pair === null) {
    console.error(`contract: --access-key is AK:SK, as \`npm run admin -- keys create\` printed them.\n\n${usage}`);
    return 2;
  }
  const target: ContractTarget = {
    name: values['base-url'],
    baseUrl: values['base-url'].replace(/\/+$/, ''),
    token: values.token,
    serverId: values['server-id'],
    unregisteredServerId: values['unregistered-server-id'] ?? `contract-404-${randomBytes(6).toString('hex')}`,
    ...(values['forbidden-token'] ? { forbiddenToken: values['forbidden-token'] } : {}),
    ...(values['admin-token'] ? { adminToken: values['admin-token'] } : {}),
    ...(values.mock ? { prefersCode: true } : {}),
    ...(pair ? { signedAs: { [values.token]: pair } } : {}),
  };
  console.log(`Contract suite against ${target.baseUrl} (source server ${target.serverId})\n`);
  let failed = 0;
  let passed = 0;
  let skipped = 0;
  for (const c of contractCases) {
    let outcome;
    try {
      outcome = await runCase(c, target);
    } catch (err) {
      outcome = { name: c.name, problems: [`${c.operation}: ${(err as Error).message}`], exchanges: [] };
    }
    if ('skipped' in outcome && outcome.skipped) {
      skipped++;
      console.log(`  - skip  ${c.operation} ${c.status}: ${c.name} (${outcome.skipped})`);
    } else if (outcome.problems.length > 0) {
      failed++;
      console.log(`  ✗ FAIL  ${c.operation} ${c.status}: ${c.name}`);
      for (const p of outcome.problems) console.log(`          ${p}`);
    } else {
      passed++;
      console.log(`  ✓ pass  ${c.operation} ${c.status}: ${c.name}`);
    }
  }
  console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
  if (failed > 0) console.log('The deployment does not honour the contract in the cases above (spec: generated/openapi.json, generated/admin/openapi.json).');
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`contract: ${(err as Error).stack ?? String(err)}`);
    process.exit(2);
  },
);

/**
 * An example migration Agent: `npm run agent -- --base-url URL --server-id ID --token TOKEN`, or with an
 * access key instead of a token, `--access-key AK --secret-key SK` (every request signed, SDK-HMAC-SHA256).
 * Its handlers only log what a real Agent would do. Ctrl-C stops it after the current report.
 */
import { parseArgs } from 'node:util';
import { createSmsClient, runAgent, type CommandHandler, type SmsClient } from '../src/index.js';

const usage = 'usage: npm run agent -- --base-url URL --server-id ID (--token TOKEN | --access-key AK --secret-key SK) [--interval-ms 5000] [--once]';

function main(): void {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'base-url': { type: 'string' },
        'server-id': { type: 'string' },
        token: { type: 'string' },
        'access-key': { type: 'string' },
        'secret-key': { type: 'string' },
        'interval-ms': { type: 'string', default: '5000' },
        once: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    console.error(`agent: ${(err as Error).message}\n${usage}`);
    process.exit(1);
  }
  if (values.help) {
    console.log(usage);
    return;
  }
  const baseUrl = values['base-url'];
  const serverId = values['server-id'];
  const token = values.token ?? process.env.SMS_TOKEN;
  const accessKey = values['access-key'] ?? process.env.SMS_ACCESS_KEY;
  const secretKey = values['secret-key'] ?? process.env.SMS_SECRET_KEY;
  const interval = Number(values['interval-ms']);
  const oneCredential = token ? !accessKey && !secretKey : Boolean(accessKey && secretKey);
  if (!baseUrl || !serverId || !oneCredential || !Number.isInteger(interval) || interval < 0) {
    console.error(`agent: --base-url, --server-id and one credential are required: --token (or SMS_TOKEN), or --access-key and --secret-key (or SMS_ACCESS_KEY and SMS_SECRET_KEY); --interval-ms is a whole number.\n${usage}`);
    process.exit(1);
  }

  const log = (msg: string, extra: Record<string, unknown> = {}): void => console.log(JSON.stringify({ time: new Date().toISOString(), msg, ...extra }));
  const pretend =
    (what: string): CommandHandler =>
    (param) => {
      log(`would ${what}`, { ...param });
      return { msg: `${what} done (example agent)`, ...param };
    };

  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());

  const client = createSmsClient({
    baseUrl,
    ...(token ? { token } : { accessKey: { accessKey: accessKey as string, secretKey: secretKey as string } }),
    userAgent: 'sms-example-agent/0.1',
    onRetry: (info) => log('retrying', { operation: info.operation, attempt: info.attempt, delayMs: info.delayMs }),
  });
  const handlers = {
    START: pretend('start migrating'),
    STOP: pretend('stop migrating'),
    DELETE: pretend('delete the migration task'),
    SYNC: pretend('synchronize increments'),
  } satisfies Record<string, CommandHandler>;
  // --once: handle what is queued, stop at the first SKIP
  const polling: SmsClient = values.once
    ? {
        ...client,
        async showCommand(id, options) {
          const command = await client.showCommand(id, options);
          if (command.command_name === 'SKIP') stop.abort();
          return command;
        },
      }
    : client;
  log('agent started', { baseUrl, serverId });
  runAgent({ client: polling, serverId, handlers, pollIntervalMs: interval, signal: stop.signal, onError: (err) => log('problem', { error: (err as Error).message }) })
    .then((stats) => log('agent stopped', { ...stats }))
    .catch((err: unknown) => {
      console.error(`agent: ${(err as Error).message}`);
      process.exit(1);
    });
}

main();

/**
 * `npm run mock:stateful`: the stateful mock (service.ts) on 127.0.0.1:$MOCK_PORT (4011). Prints where it
 * is, its two tokens and one cycle as curl lines; stops on Ctrl-C.
 */
import { Command, InvalidArgumentError } from 'commander';
import { allowsServerId, serverIdRule } from '../spec.js';
import { createLogger } from '../logging.js';
import { banner, checkFixedToken, startMock } from './service.js';

const rule = serverIdRule();

function whole(option: string, min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) throw new InvalidArgumentError(`${option} is a whole number from ${min} to ${max} (got "${value}").`);
    return Number(value);
  };
}

function serverId(value: string, previous: string[] = []): string[] {
  if (!allowsServerId(rule, value)) {
    throw new InvalidArgumentError(`a source server ID is ${rule.minLength} to ${rule.maxLength} characters of ${rule.pattern.source} (got "${value}").`);
  }
  return [...previous, value];
}

const token = (option: string) => (value: string): string => {
  try {
    return checkFixedToken(option, value);
  } catch (err) {
    throw new InvalidArgumentError(`${(err as Error).message}.`);
  }
};

/** AK:SK given on the command line: an AK as the Admin API gives out (letters, digits, - or _), an SK of visible ASCII. */
function accessKeyPair(value: string): { accessKey: string; secretKey: string } {
  const match = /^([A-Za-z0-9_-]{1,64}):([\x21-\x7e]{1,128})$/.exec(value);
  if (match === null) throw new InvalidArgumentError('--access-key is AK:SK (an AK of 1 to 64 letters, digits, - or _; an SK of 1 to 128 visible ASCII characters).');
  return { accessKey: match[1] as string, secretKey: match[2] as string };
}

const program = new Command('mock:stateful')
  .description('The real SMS command service as a development mock: state in memory, the docs example source server registered, one Agent token, one admin token and one Agent access key.')
  .option('--port <port>', 'port on 127.0.0.1 (0: any free one)', whole('--port', 0, 65535), Number(process.env.MOCK_PORT ?? 4011))
  .option('--source <server_id>', 'register another source server (repeat)', serverId, [])
  .option('--agent-token <token>', 'the Agent token to accept (default: a random one, printed)', token('--agent-token'))
  .option('--admin-token <token>', 'the admin token to accept (default: a random one, printed)', token('--admin-token'))
  .option('--access-key <AK:SK>', 'the Agent access key to accept for signed requests, as AK:SK (default: a random pair, printed)', accessKeyPair)
  .option('--lease-seconds <n>', 'how long a handed-out command is leased before it is handed out again', whole('--lease-seconds', 1, 7 * 24 * 3600), 600)
  .option('--verbose', 'log every request (JSON lines)')
  .showHelpAfterError('(run with --help for usage)');

async function main(): Promise<void> {
  program.parse();
  const opts = program.opts<{ port: number; source: string[]; agentToken?: string; adminToken?: string; accessKey?: { accessKey: string; secretKey: string }; leaseSeconds: number; verbose?: boolean }>();
  const logger = createLogger(opts.verbose ? 'info' : 'warn');
  let mock;
  try {
    mock = await startMock({ port: opts.port, sources: opts.source, agentToken: opts.agentToken, adminToken: opts.adminToken, accessKey: opts.accessKey, leaseSeconds: opts.leaseSeconds, logger });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    console.error(`mock:stateful: ${e.code === 'EADDRINUSE' ? `port ${opts.port} is in use: pass --port (or MOCK_PORT) with a free one` : e.message}`);
    process.exit(1);
  }
  for (const line of banner(mock)) console.log(line);
  const stop = (): void => {
    void mock.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();

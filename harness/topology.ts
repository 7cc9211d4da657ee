/**
 * The deployment docs/operations.md describes, on this machine: nginx (with docs/nginx/sms.conf, its
 * upstream pointed at the instances) in front of several `npm start` instances on one database, a
 * readiness watcher that takes an instance out of the upstream while its GET /readyz is not 200, and a
 * supervisor that restarts an instance that dies. Faults are applied to it: an instance killed, an
 * instance drained for a deploy.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, projectRoot, startCompiledServer, type Child } from './processes.js';

/** The operator's nginx configuration, used as shipped apart from the upstream's servers and the listen port. */
export const NGINX_CONF = join(projectRoot, 'docs', 'nginx', 'sms.conf');
/** How often the readiness watcher asks each instance's GET /readyz. */
const WATCH_MS = 250;
/** How long a /readyz answer may take before the instance counts as not ready. */
const READY_TIMEOUT_MS = 1000;

/** Why nginx cannot run here, or undefined when it can. */
export function nginxUnavailable(): string | undefined {
  const probe = spawnSync('nginx', ['-v'], { encoding: 'utf8' });
  return probe.error ? `nginx is not installed (apt-get install nginx-light): ${probe.error.message}` : undefined;
}

/** One server instance: its port stays the same across restarts, as an upstream entry does. */
export interface Instance {
  index: number;
  port: number;
  child: Child | undefined;
  /** Whether its GET /readyz answered 200 at the last look (the upstream sends it traffic, unless no instance is ready). */
  ready: boolean;
}

export interface Topology {
  /** nginx's address: where Agents and the operator send their requests. */
  url: string;
  /** When it was started (Date.now()): `events` count from it. */
  startedAt: number;
  instances: Instance[];
  /** What happened, with seconds since start: instances out of or back in the upstream, restarts. */
  events: Array<{ t: number; what: string }>;
  /** SIGKILL an instance (no warning), then restart it as a supervisor would; resolves when it listens again. */
  kill(index: number): Promise<void>;
  /** The deploy procedure of docs/operations.md: out of the upstream, idle, SIGTERM, restarted. */
  drain(index: number): Promise<void>;
  /** Stops the watcher, nginx and the instances. */
  stop(): Promise<void>;
}

export interface TopologyOptions {
  databaseUrl: string;
  instances: number;
  /** A directory for nginx's files and the instances' logs. */
  dir: string;
  /** The instances' environment beside DATABASE_URL, PORT and HOST. */
  env: Record<string, string>;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** The nginx main file around the operator's sms.conf: a prefix of its own, one worker, no access log. */
function nginxMain(dir: string): string {
  return [
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'nginx-error.log')} warn;`,
    'events { worker_connections 8192; }',
    'http {',
    '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${join(dir, `${kind}_temp`)};`),
    `  include ${join(dir, 'sms.conf')};`,
    '}',
    '',
  ].join('\n');
}

/** docs/nginx/sms.conf with its upstream's servers replaced by `instances` (options kept) and `listen` set to `port`. */
export function nginxSiteConf(shipped: string, instances: ReadonlyArray<Pick<Instance, 'port' | 'ready'>>, port: number): string {
  const serverLine = /^(\s*)server 127\.0\.0\.1:\d+( [^;]*)?;\n/gm;
  const lines = [...shipped.matchAll(serverLine)];
  if (lines.length === 0) throw new Error(`${NGINX_CONF} has no "server 127.0.0.1:PORT ...;" line in its upstream`);
  const [first] = lines as [RegExpMatchArray];
  const indent = first[1] as string;
  const options = first[2] ?? '';
  // nginx refuses an upstream with every server down; with none ready, all stay in (an instance's own 503 beats nginx's)
  const anyReady = instances.some((i) => i.ready);
  const servers = instances.map((i) => `${indent}server 127.0.0.1:${i.port}${options}${anyReady && !i.ready ? ' down' : ''};\n`).join('');
  let replaced = false;
  const site = shipped.replace(serverLine, () => (replaced ? '' : ((replaced = true), servers)));
  if (!/^\s*listen 8080;$/m.test(site)) throw new Error(`${NGINX_CONF} has no "listen 8080;" line`);
  return site.replace(/^(\s*)listen 8080;$/m, `$1listen 127.0.0.1:${port};`);
}

/** Resolves once something accepts TCP connections on the port. */
async function listening(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether an instance's GET /readyz answers 200 in time. */
async function ready(port: number): Promise<boolean> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(READY_TIMEOUT_MS) });
    await r.arrayBuffer();
    return r.status === 200;
  } catch {
    return false;
  }
}

/** Starts the instances, then nginx in front of them, then the readiness watcher. */
export async function startTopology(options: TopologyOptions): Promise<Topology> {
  const log = options.log ?? (() => {});
  const t0 = Date.now();
  const events: Topology['events'] = [];
  const event = (what: string): void => {
    const t = (Date.now() - t0) / 1000;
    events.push({ t, what });
    log(`  ${t.toFixed(1)} s: ${what}`);
  };
  mkdirSync(options.dir, { recursive: true });
  const instances: Instance[] = [];
  for (let index = 0; index < options.instances; index++) instances.push({ index, port: await freePort(), child: undefined, ready: true });

  const launch = async (instance: Instance): Promise<void> => {
    const env = { ...options.env, DATABASE_URL: options.databaseUrl, PORT: String(instance.port), HOST: '127.0.0.1' };
    instance.child = await startCompiledServer(env, [], join(options.dir, `instance-${instance.index}.log`));
  };
  await Promise.all(instances.map(launch));

  const port = await freePort();
  const shipped = readFileSync(NGINX_CONF, 'utf8');
  const writeSite = (): void => writeFileSync(join(options.dir, 'sms.conf'), nginxSiteConf(shipped, instances, port));
  writeFileSync(join(options.dir, 'nginx.conf'), nginxMain(options.dir));
  writeSite();
  const nginxArgs = ['-p', options.dir, '-c', join(options.dir, 'nginx.conf'), '-e', join(options.dir, 'nginx-error.log')];
  const test = spawnSync('nginx', [...nginxArgs, '-t'], { encoding: 'utf8' });
  if (test.status !== 0) throw new Error(`nginx -t refused the configuration (from ${NGINX_CONF}):\n${test.stderr}`);
  const nginx: ChildProcess = spawn('nginx', [...nginxArgs, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let nginxErrors = '';
  nginx.stderr?.on('data', (d: Buffer) => (nginxErrors += d.toString()));
  const nginxExited = new Promise<void>((resolve) => nginx.once('exit', () => resolve()));
  process.once('exit', () => nginx.kill('SIGKILL'));
  try {
    await listening(port, 10_000);
  } catch (err) {
    nginx.kill('SIGKILL');
    throw new Error(`${(err as Error).message}; nginx said: ${nginxErrors}`);
  }
  log(`  nginx on 127.0.0.1:${port} in front of ${instances.length} instances (ports ${instances.map((i) => i.port).join(', ')}); files in ${options.dir}`);

  /** Rewrites the upstream and has nginx reload it (new workers take it; the old ones finish their requests). */
  const reload = (): void => {
    writeSite();
    nginx.kill('SIGHUP');
  };
  let watching = true;
  /** Instances the topology itself takes out (a deploy), whatever their /readyz says. */
  const heldOut = new Set<number>();
  const watcher = (async () => {
    while (watching) {
      const answers = await Promise.all(instances.map((i) => (heldOut.has(i.index) ? false : ready(i.port))));
      let changed = false;
      for (const instance of instances) {
        const now = answers[instance.index] as boolean;
        if (now !== instance.ready) {
          instance.ready = now;
          changed = true;
          event(`instance ${instance.index} ${now ? 'ready: back in the upstream' : 'not ready (readyz not 200): out of the upstream'}`);
        }
      }
      if (changed && !instances.some((i) => i.ready)) event('no instance is ready: all stay in the upstream (an instance\'s own error beats none)');
      if (changed && watching) reload();
      await new Promise((r) => setTimeout(r, WATCH_MS));
    }
  })();

  const restart = async (instance: Instance, how: string): Promise<void> => {
    await launch(instance);
    event(`instance ${instance.index} restarted after ${how} (pid ${instance.child?.pid})`);
  };

  return {
    url: `http://127.0.0.1:${port}`,
    startedAt: t0,
    instances,
    events,
    async kill(index) {
      const instance = instances[index] as Instance;
      event(`instance ${index} killed (SIGKILL)`);
      await instance.child?.stop('SIGKILL');
      await restart(instance, 'SIGKILL');
    },
    async drain(index) {
      const instance = instances[index] as Instance;
      event(`instance ${index} drained for a deploy: out of the upstream, then SIGTERM`);
      heldOut.add(index);
      while (instance.ready) await new Promise((r) => setTimeout(r, 50));
      // nginx's old workers finish what they sent it; its pooled connections go idle (and close at 4 s)
      await new Promise((r) => setTimeout(r, 1500));
      const code = await instance.child?.stop('SIGTERM');
      event(`instance ${index} exited with ${code} after SIGTERM`);
      await restart(instance, 'SIGTERM');
      heldOut.delete(index);
    },
    async stop() {
      watching = false;
      await watcher;
      nginx.kill('SIGQUIT');
      await Promise.race([nginxExited, new Promise((r) => setTimeout(r, 5000))]);
      if (nginx.exitCode === null && nginx.signalCode === null) nginx.kill('SIGKILL');
      await Promise.all(instances.map((i) => i.child?.stop()));
      if (existsSync(join(options.dir, 'nginx.pid'))) log(`  nginx and the instances stopped; logs in ${options.dir}`);
    },
  };
}

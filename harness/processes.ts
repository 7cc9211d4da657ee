/**
 * Child processes tests start (the server as `npm start` runs it, Prism): started as `node ...` so one
 * PID is the whole process, and stopped by that PID, also when a test fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('..', import.meta.url));
const prismBin = fileURLToPath(new URL('../node_modules/@stoplight/prism-cli/dist/index.js', import.meta.url));

const MAX_OUTPUT = 1024 * 1024;
/** How long a started process may take to print its ready line. */
const START_TIMEOUT_MS = 30000;
const started = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
});

/** A port that was free a moment ago (for tools that cannot listen on port 0 and report it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface Child {
  pid: number;
  baseUrl: string;
  output: () => string;
  /** Stops with SIGTERM (or the signal given) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

function track(child: ChildProcess, baseUrl: string, chunks: string[]): Child {
  started.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { started.delete(child); resolve(code); }));
  return {
    pid: child.pid as number,
    baseUrl,
    output: () => chunks.join(''),
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

async function waitFor(child: ChildProcess, chunks: string[], pattern: RegExp, what: string, timeoutMs = START_TIMEOUT_MS): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${what} did not start within ${timeoutMs} ms; output:\n${chunks.join('')}`));
    }, timeoutMs);
    let ready = false;
    const check = (): void => {
      const m = chunks.join('').match(pattern);
      if (m) {
        ready = true;
        clearTimeout(timer);
        resolve(m);
      }
    };
    let size = 0;
    const keep = (d: Buffer): void => {
      const text = d.toString();
      chunks.push(text);
      size += text.length;
      // keep the last ~1 MiB of output: a server under load logs a line per request
      while (chunks.length > 1 && size > MAX_OUTPUT) size -= (chunks.shift() as string).length;
      // once ready, only keep the output: matching 1 MiB per chunk would eat the CPU a benchmark measures
      if (!ready) check();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before it was ready; output:\n${chunks.join('')}`));
    });
  });
}

/**
 * Spawns `node ...args` in the project root, waits until its output matches `ready`, and tracks it (stopped
 * by PID, also when the test run ends). `baseUrl` reads the address from the match. With `outputFile`, the
 * process writes stdout and stderr to that file, as an operator's server writes its logs, instead of to a
 * pipe this process must drain (a benchmark's own reading would compete with the server for the CPU).
 */
export async function startNode(
  args: string[],
  options: { ready: RegExp; what: string; baseUrl: (match: RegExpMatchArray) => string; env?: NodeJS.ProcessEnv; outputFile?: string },
): Promise<Child> {
  if (options.outputFile) return startNodeToFile(args, { ...options, outputFile: options.outputFile });
  const chunks: string[] = [];
  const child = spawn(process.execPath, args, { cwd: projectRoot, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const m = await waitFor(child, chunks, options.ready, options.what);
  return track(child, options.baseUrl(m), chunks);
}

/** `startNode` with the output in a file: polls the file until it matches `ready`; `output()` reads the file. */
async function startNodeToFile(
  args: string[],
  options: { ready: RegExp; what: string; baseUrl: (match: RegExpMatchArray) => string; env?: NodeJS.ProcessEnv; outputFile: string },
): Promise<Child> {
  const fd = openSync(options.outputFile, 'a');
  const child = spawn(process.execPath, args, { cwd: projectRoot, env: options.env ?? process.env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const read = (): string => readFileSync(options.outputFile, 'utf8');
  const m = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const deadline = Date.now() + START_TIMEOUT_MS;
    const poll = setInterval(() => {
      const found = read().match(options.ready);
      if (found) {
        clearInterval(poll);
        resolve(found);
      } else if (child.exitCode !== null || Date.now() > deadline) {
        clearInterval(poll);
        child.kill('SIGKILL');
        reject(new Error(`${options.what} did not start (exit code ${child.exitCode}); output in ${options.outputFile}:\n${read()}`));
      }
    }, 20);
  });
  const handle = track(child, options.baseUrl(m), []);
  return { ...handle, output: read };
}

/** Starts the server from its sources (node --import tsx server/main.ts, as `npm run dev` does) on a free port. */
export async function startServerProcess(env: Record<string, string>, nodeArgs: string[] = []): Promise<Child> {
  return startServer([...nodeArgs, '--import', 'tsx', 'server/main.ts'], env, 'server');
}

/** Spawns a server entry point on a free port and waits for its "listening" line. */
function startServer(args: string[], env: Record<string, string>, what: string, outputFile?: string): Promise<Child> {
  return startNode(args, {
    outputFile,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    ready: /"url":"(http:\/\/[^"]+)"/,
    what,
    baseUrl: (m) => m[1] as string,
  });
}

/** The command line of an npm script that runs `node …` (one process, one PID), from package.json: node's arguments. */
export function scriptArgs(script: string): string[] {
  const line = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts[script] as string;
  const [command, ...args] = line.split(/\s+/);
  if (command !== 'node') throw new Error(`npm run ${script} is "${line}"; expected "node …" (one process, one PID)`);
  return args;
}

/** The command line of `npm start` (`node dist/server/main.js`): node's arguments after `node`. */
export function startScriptArgs(): string[] {
  return scriptArgs('start');
}

/** Starts the stateful mock exactly as `npm run mock:stateful -- <args>` does (compiled; any free port unless `args` say). */
export async function startStatefulMock(args: string[] = []): Promise<Child> {
  return startNode([...scriptArgs('mock:stateful'), '--port', '0', ...args], {
    ready: /command_result\n/, // the last line of its banner
    what: 'stateful mock',
    baseUrl: (m) => (/stateful mock: (http:\/\/\S+)/.exec(m.input ?? '')?.[1] ?? ''),
  });
}

/** Starts the compiled server exactly as `npm start` does (after its prestart has built dist/), on a free port. */
export async function startCompiledServer(env: Record<string, string>, nodeArgs: string[] = [], outputFile?: string): Promise<Child> {
  // the caller's node flags after npm start's, so that they override them (V8 takes the last)
  const args = startScriptArgs();
  return startServer([...args.slice(0, -1), ...nodeArgs, ...args.slice(-1)], env, 'compiled server', outputFile);
}

/** Starts Prism (mock, or validation proxy to `upstream`) on a free port, on the Agent contract unless given another document. */
export async function startPrism(mode: { kind: 'mock'; dynamic?: boolean } | { kind: 'proxy'; upstream: string; document?: string }): Promise<Child> {
  const port = await freePort();
  const args =
    mode.kind === 'mock'
      ? [prismBin, 'mock', '--host', '127.0.0.1', '--port', String(port), ...(mode.dynamic ? ['--dynamic'] : []), 'generated/openapi.json']
      : [prismBin, 'proxy', '--host', '127.0.0.1', '--port', String(port), mode.document ?? 'generated/openapi.json', mode.upstream];
  return startNode(args, {
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
    ready: /Prism is listening on/,
    what: `prism ${mode.kind}`,
    baseUrl: () => `http://127.0.0.1:${port}`,
  });
}

/** Runs the admin CLI to completion. */
export async function runAdmin(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/admin/main.ts', ...args], { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Waits until a running server has seen every change committed in the database so far: its read cache
 * (CACHE_REFRESH_MS) reports on /healthz the change epoch it last checked. Resolves at once when the
 * server has no read cache.
 */
export async function waitForServerToSeeChanges(baseUrl: string, store: { changeEpoch(): Promise<number> }, timeoutMs = 5000): Promise<void> {
  const target = await store.changeEpoch();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = (await (await fetch(`${baseUrl}/healthz`)).json()) as { readCache: { epoch: number | null } | null };
    if (health.readCache === null || (health.readCache.epoch !== null && health.readCache.epoch >= target)) return;
    if (Date.now() > deadline) throw new Error(`the server at ${baseUrl} did not see change epoch ${target} within ${timeoutMs} ms (it saw ${health.readCache.epoch})`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

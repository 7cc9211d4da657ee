/**
 * Specmatic's generated contract tests (`specmatic test` with SPECMATIC_GENERATIVE_TESTS: a generator we did
 * not write, building positive and negative requests from the bundled spec) run against a server through a
 * recording proxy, so that a test can judge every exchange. Specmatic cannot compute a signature (it sends
 * the AkSkSignature scheme's value as a constant), so the proxy signs those requests with the access key it
 * is given, as the client signs them; requests with a token pass through as they are.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccessKey } from '../client/src/signing.js';
import { SPECMATIC_JAR } from '../scripts/breaking/specmatic.js';
import { signedHeaders } from './http.js';

/** What Specmatic sends as the AkSkSignature scheme's value: the proxy signs the requests that carry it. */
const SIGN_ME = 'sign-me';

/** One request Specmatic generated, and what the server answered it. */
export interface GeneratedExchange {
  /** The status Specmatic expects (its Specmatic-Response-Code header): 2xx for a positive request, 4xx for a negative one. */
  expected: number | undefined;
  method: string;
  /** The path and query as sent. */
  target: string;
  credential: 'token' | 'signature' | 'none';
  body: string;
  status: number;
  /** The answer's error_code and error_msg, when it has them. */
  error?: string;
}

export interface SpecmaticRun {
  exchanges: GeneratedExchange[];
  /** Specmatic's own count: tests run, and how many it failed (it expects 2xx of every positive request). */
  run: number;
  failures: number;
  /** Requests the proxy could not forward (a failure of the test, not of the server). */
  proxyErrors: string[];
  /** The last of Specmatic's output, for a failure message. */
  tail: string;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Headers the proxy does not copy: framing and Host (fetch sends its own), and Authorization (the proxy signs instead). */
const NOT_COPIED = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'authorization']);

/**
 * Runs `specmatic test` on `spec` (a bundled document) with `dictionary` (its values for fields it would
 * otherwise make up, e.g. the registered source servers) against `baseUrl`, through the recording proxy.
 */
export async function runSpecmaticTests(options: {
  root: string;
  spec: object;
  dictionary: object;
  baseUrl: string;
  token: string;
  accessKey: AccessKey;
  timeoutMs?: number;
}): Promise<SpecmaticRun> {
  const exchanges: GeneratedExchange[] = [];
  const proxyErrors: string[] = [];
  const proxy = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const target = req.url ?? '/';
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (!NOT_COPIED.has(name) && value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      const signature = req.headers.authorization === SIGN_ME;
      const credential = signature ? 'signature' : req.headers['x-auth-token'] !== undefined ? 'token' : 'none';
      const url = `${options.baseUrl}${target}`;
      const init: RequestInit = { method: req.method ?? 'GET', headers, ...(body.length > 0 ? { body: new Uint8Array(body) } : {}) };
      if (signature) init.headers = await signedHeaders(url, init, options.accessKey);
      const answer = await fetch(url, init);
      const text = await answer.text();
      let error: string | undefined;
      try {
        const parsed = JSON.parse(text) as { error_code?: unknown; error_msg?: unknown };
        if (typeof parsed.error_code === 'string') error = `${parsed.error_code} ${String(parsed.error_msg)}`;
      } catch {
        // not JSON: judged by its status
      }
      const expectedHeader = req.headers['specmatic-response-code'];
      exchanges.push({ expected: expectedHeader === undefined ? undefined : Number(expectedHeader), method: init.method as string, target, credential, body: body.toString('utf8'), status: answer.status, ...(error ? { error } : {}) });
      const back: Record<string, string> = {};
      answer.headers.forEach((value, name) => {
        if (!['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(name)) back[name] = value;
      });
      res.writeHead(answer.status, back).end(text);
    })().catch((err: Error) => {
      proxyErrors.push(`${req.method} ${req.url}: ${err.message}`);
      if (!res.headersSent) res.writeHead(502).end();
    });
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'specmatic-test-'));
  try {
    // Specmatic picks up `<spec>_dictionary.json` beside the spec
    writeFileSync(join(dir, 'contract.json'), JSON.stringify(options.spec));
    writeFileSync(join(dir, 'contract_dictionary.json'), JSON.stringify(options.dictionary));
    const child = spawn('java', ['-jar', join(options.root, SPECMATIC_JAR), 'test', 'contract.json', '--testBaseURL', proxyUrl], {
      cwd: dir,
      env: { ...process.env, SPECMATIC_GENERATIVE_TESTS: 'true', AuthToken: options.token, AkSkSignature: SIGN_ME },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-200_000)));
    child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-200_000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 180_000);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearTimeout(timer);
    const summary = /Tests run: (\d+), Successes: (\d+), Failures: (\d+)/.exec(output);
    if (!summary) throw new Error(`Specmatic gave no summary (exit ${code}; is Java 17 installed?): ${output.slice(-1500)}`);
    return { exchanges, run: Number(summary[1]), failures: Number(summary[3]), proxyErrors, tail: output.slice(-3000) };
  } finally {
    proxy.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Reference: the same work as our full stack, written as a competent Fastify 5 user would write it. On the
 * same SQLite database file (DATABASE_URL, seeded by the bench with our schema, a source server and a token):
 *  - every request: X-Auth-Token hashed with SHA-256 and looked up in SQLite (no cache), 401 in the spec's
 *    shape when missing or unknown; an X-Request-Id on every response (Fastify's genReqId, a random UUID);
 *  - JSON-schema validation (Fastify's ajv) of path parameters, headers and body, with the schemas of the
 *    bundled spec; responses serialised by fast-json-stringify from the spec's 200 schemas;
 *  - ShowCommand: the next deliverable command read from SQLite in a transaction (leased with an UPDATE when
 *    there is one), else SKIP;
 *  - UpdateCommandResult: each report inserted in its own durable transaction (WAL, synchronous=FULL).
 * Not done (our stack does them): response validation, per-request logging, metrics, a read cache, group commit.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import Fastify from 'fastify';

type Json = Record<string, any>;
// started by the bench with the project root as its working directory
const spec = JSON.parse(readFileSync('generated/openapi.json', 'utf8')) as Json;

/** The spec's schema with its $refs inlined and OpenAPI-only keywords dropped (Fastify's ajv is strict about them). */
function inline(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(inline);
  if (!node || typeof node !== 'object') return node;
  const n = node as Json;
  if (typeof n.$ref === 'string') return inline((n.$ref as string).replace(/^#\//, '').split('/').reduce<Json>((acc, k) => acc[k] as Json, spec));
  const out: Json = {};
  for (const [k, v] of Object.entries(n)) if (!['example', 'examples', 'contentMediaType', 'description', 'title'].includes(k)) out[k] = inline(v);
  return out;
}

const path = process.env.DATABASE_URL?.replace(/^sqlite:/, '') ?? '';
const db = new Database(path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const tokenByHash = db.prepare<[string], { revoked_at: number | null; expires_at: number | null }>('SELECT revoked_at, expires_at FROM tokens WHERE token_hash = ?');
const sourceExists = db.prepare<[string], { one: number }>('SELECT 1 AS one FROM source_servers WHERE server_id = ?');
const nextCommand = db.prepare<[string, number], { id: number; command_name: string; task_id: string | null; bucket: string | null }>(
  `SELECT id, command_name, task_id, bucket FROM commands WHERE server_id = ? AND (state = 'pending' OR (state = 'leased' AND lease_expires_at <= ?)) ORDER BY id LIMIT 1`,
);
const lease = db.prepare(`UPDATE commands SET state = 'leased', lease_expires_at = ?, deliveries = deliveries + 1 WHERE id = ?`);
const insertResult = db.prepare(
  `INSERT INTO command_results (server_id, command_name, result, result_detail, received_at, request_id, command_id, unsolicited) VALUES (?, ?, ?, ?, ?, ?, NULL, 1)`,
);
const poll = db.transaction((serverId: string, now: number) => {
  if (!sourceExists.get(serverId)) return null;
  const next = nextCommand.get(serverId, now);
  if (!next) return { command_name: 'SKIP' };
  lease.run(now + 600_000, next.id);
  const param: Json = {};
  if (next.task_id !== null) param.task_id = next.task_id;
  if (next.bucket !== null) param.bucket = next.bucket;
  return { command_name: next.command_name, command_param: param };
});
const report = db.transaction((serverId: string, body: Json, requestId: string) => {
  if (!sourceExists.get(serverId)) return false;
  const detail = typeof body.result_detail === 'string' ? body.result_detail : JSON.stringify(body.result_detail);
  insertResult.run(serverId, body.command_name, body.result, detail, Date.now(), requestId);
  return true;
});

const app = Fastify({ logger: false, genReqId: () => randomUUID(), bodyLimit: 10240 });
const params = { type: 'object', required: ['server_id'], properties: { server_id: inline(spec.components.parameters.ServerId.schema) } };
const headers = { type: 'object', properties: { 'x-auth-token': { type: 'string', minLength: 1, maxLength: 16384 } } };
const error = (code: string, msg: string) => ({ error_code: code, error_msg: msg });

app.addHook('onRequest', async (req, reply) => {
  reply.header('X-Request-Id', req.id);
  const token = req.headers['x-auth-token'];
  if (typeof token !== 'string' || token === '') return reply.code(401).send(error('SMS.9001', 'The X-Auth-Token header is missing.'));
  const record = tokenByHash.get(createHash('sha256').update(token).digest('hex'));
  if (!record || record.revoked_at !== null || (record.expires_at !== null && record.expires_at <= Date.now())) {
    return reply.code(401).send(error('SMS.9002', 'The X-Auth-Token is not valid.'));
  }
});
app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
  const status = err.statusCode ?? 500;
  reply.code(status).send(error(status === 400 ? 'SMS.2001' : 'SMS.2007', err.message));
});

app.get<{ Params: { server_id: string } }>(
  '/v3/sources/:server_id/command',
  { schema: { params, headers, response: { 200: inline(spec.components.schemas.Command) as Json } } },
  async (req, reply) => {
    const answer = poll(req.params.server_id, Date.now());
    if (!answer) return reply.code(404).send(error('SMS.2006', 'The source server is not registered.'));
    return answer;
  },
);
app.post<{ Params: { server_id: string }; Body: Json }>(
  '/v3/sources/:server_id/command_result',
  { schema: { params, headers, body: inline(spec.components.schemas.CommandBody) as Json, response: { 200: { type: 'object', additionalProperties: false } } } },
  async (req, reply) => {
    if (!report.immediate(req.params.server_id, req.body, req.id)) return reply.code(404).send(error('SMS.2006', 'The source server is not registered.'));
    return {};
  },
);

app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' }).then((address) => {
  console.log(JSON.stringify({ msg: 'listening', url: address }));
});
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));

/**
 * Reference: what a developer gets from Express 5 + express-openapi-validator with default settings on
 * the same spec, serving the same static bodies (no store, no auth beyond the validator's header check).
 * It runs the release as published (`express-openapi-validator-stock`, an npm alias of the same version),
 * not our patched copy (patches/).
 */
import { readFileSync } from 'node:fs';
import express from 'express';
import * as OpenApiValidator from 'express-openapi-validator-stock';

// started by the bench with the project root as its working directory
const spec = JSON.parse(readFileSync('generated/openapi.json', 'utf8')) as object;
const app = express();
app.use(express.json());
app.use(OpenApiValidator.middleware({ apiSpec: spec as never }));
app.get('/v3/sources/:server_id/command', (_req, res) => {
  res.setHeader('X-Request-Id', 'naive');
  res.json({ command_name: 'SKIP' });
});
app.post('/v3/sources/:server_id/command_result', (_req, res) => {
  res.setHeader('X-Request-Id', 'naive');
  res.json({});
});
app.use((err: { status?: number; message?: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
  res.status(err.status ?? 500).json({ error_code: 'SMS.2001', error_msg: err.message ?? 'error' });
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${port}` }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

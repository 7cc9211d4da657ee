/** Reference: a bare node:http server answering the same static bodies as the API (no auth, no validation). */
import { createServer } from 'node:http';

const show = JSON.stringify({ command_name: 'SKIP' });
const ok = '{}';
const server = createServer((req, res) => {
  if (req.method === 'POST') {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'bare' });
      res.end(ok);
    });
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'bare' });
  res.end(show);
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(JSON.stringify({ msg: 'listening', url: `http://127.0.0.1:${port}` }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

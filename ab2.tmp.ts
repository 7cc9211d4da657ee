import { load, startFullStack, startReference } from './bench/lib.js';
const variants: Array<[string, Record<string, string>]> = [['full', {}], ['nometrics', { METRICS: 'false' }], ['novalidate', { VALIDATE_RESPONSES: 'false' }]];
for (const [name, env] of variants) {
  const s = await startFullStack(name, env);
  await load(s, 'GET', { connections: 50, seconds: 2 });
  const r = await load(s, 'GET', { connections: 50, seconds: 5 });
  console.log(name.padEnd(12), Math.round(r.rps), 'req/s', r.cpuUsPerRequest.toFixed(1), 'µs', r.rssMiB.toFixed(0), 'MiB');
  await s.close();
}
const f = await startReference('fastify');
await load(f, 'GET', { connections: 50, seconds: 2 });
const r = await load(f, 'GET', { connections: 50, seconds: 5 });
console.log('fastify'.padEnd(12), Math.round(r.rps), 'req/s', r.cpuUsPerRequest.toFixed(1), 'µs', r.rssMiB.toFixed(0), 'MiB');
await f.close();
process.exit(0);

/**
 * `npm run bench:startup`: how long the server takes from spawn to listening, compiled (`npm start`: node
 * dist/server/main.js) and through tsx (`npm run dev`), on an in-memory database; medians of --runs.
 */
import { parseArgs } from 'node:util';
import { startNode, startScriptArgs } from '../harness/processes.js';
import { ensureBuilt, median } from './lib.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const runs = Number(values.runs);

async function spawnToListening(args: string[]): Promise<number> {
  const t0 = performance.now();
  const child = await startNode(args, {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATABASE_URL: 'sqlite::memory:' },
    ready: /"msg":"listening"/,
    what: 'server',
    baseUrl: () => '',
  });
  const ms = performance.now() - t0;
  await child.stop();
  return ms;
}

ensureBuilt();
for (const [name, args] of [
  ['compiled (npm start)', startScriptArgs()],
  ['tsx (npm run dev, without watch)', ['--import', 'tsx', 'server/main.ts']],
] as const) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await spawnToListening([...args]));
  console.log(`${name.padEnd(34)} median ${median(times).toFixed(0)} ms (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}, ${runs} runs)`);
}

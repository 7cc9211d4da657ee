/**
 * `npm run workflows -- --server-url URL --agent-token T --admin-token A [--workflow ID]... [--skip ID]...`:
 * runs every Arazzo workflow of spec/workflows/ with `redocly respect` against a deployment (both contracts
 * at URL), shows respect's progress, and exits 1 naming each workflow and step that failed and what it
 * received. The lease-expiry workflow needs a lease of at most 20 seconds on the target.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { toolRoot } from './bundle.js';

const usage = `usage: npm run workflows -- --server-url URL --agent-token TOKEN --admin-token TOKEN [--workflow ID]... [--skip ID]...

  --server-url    where both contracts are served (e.g. http://127.0.0.1:4011 for npm run mock:stateful)
  --agent-token   an Agent token for every source server and both actions
  --admin-token   an admin token (the workflows register source servers and issue tokens of their own)
  --workflow      run only this workflow (repeat)
  --skip          skip this workflow (repeat; lease-expiry-redelivers needs a lease of at most 20 s)`;

export const WORKFLOWS_DIR = join(toolRoot, 'spec', 'workflows');

interface Check {
  name: string;
  passed: boolean;
  condition?: string;
  message?: string;
}
interface Step {
  stepId: string;
  status: string;
  checks: Check[];
  response?: { statusCode?: number; headers?: Record<string, string> };
}
interface RespectJson {
  files: Record<string, { executedWorkflows: Array<{ workflowId: string; status: string; executedSteps: Step[] }> }>;
}

/** A workflow that did not pass: where, which step, and why. */
export interface Failure {
  file: string;
  workflowId: string;
  stepId: string;
  why: string;
}

/** The failures in respect's JSON output: per workflow not passed, its last attempt of each step that did not pass. */
export function failuresOf(report: RespectJson): Failure[] {
  const out: Failure[] = [];
  for (const [file, result] of Object.entries(report.files)) {
    for (const workflow of result.executedWorkflows) {
      if (workflow.status === 'success') continue;
      const lastAttempt = new Map<string, Step>();
      for (const step of workflow.executedSteps) lastAttempt.set(step.stepId, step);
      const failed = [...lastAttempt.values()].filter((s) => s.status !== 'success');
      for (const step of failed.length > 0 ? failed : [{ stepId: '(none ran)', status: 'error', checks: [] } as Step]) {
        const checks = step.checks.filter((c) => !c.passed).map((c) => c.condition ?? c.name);
        const requestId = step.response?.headers?.['x-request-id'];
        const got = step.response ? ` (got ${step.response.statusCode}${requestId ? `, X-Request-Id ${requestId}` : ''})` : '';
        out.push({ file: file.replace(/^.*spec\/workflows\//, ''), workflowId: workflow.workflowId, stepId: step.stepId, why: `${checks.join('; ') || 'the step did not run'}${got}` });
      }
    }
  }
  return out;
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'server-url': { type: 'string' },
        'agent-token': { type: 'string' },
        'admin-token': { type: 'string' },
        workflow: { type: 'string', multiple: true },
        skip: { type: 'string', multiple: true },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    console.error(`workflows: ${(err as Error).message}\n\n${usage}`);
    return 2;
  }
  if (values.help) {
    console.log(usage);
    return 0;
  }
  if (!values['server-url'] || !values['agent-token'] || !values['admin-token']) {
    console.error(`workflows: --server-url, --agent-token and --admin-token are required.\n\n${usage}`);
    return 2;
  }
  const url = values['server-url'].replace(/\/+$/, '');
  // the workflows of each file, and those selected (respect refuses a --workflow its file does not have)
  const files = readdirSync(WORKFLOWS_DIR)
    .filter((f) => f.endsWith('.arazzo.yaml'))
    .sort()
    .map((f) => ({ file: join(WORKFLOWS_DIR, f), ids: (parse(readFileSync(join(WORKFLOWS_DIR, f), 'utf8')) as { workflows: Array<{ workflowId: string }> }).workflows.map((w) => w.workflowId) }));
  const unknown = [...(values.workflow ?? []), ...(values.skip ?? [])].filter((id) => !files.some((f) => f.ids.includes(id)));
  if (unknown.length > 0) {
    console.error(`workflows: no workflow ${unknown.join(', ')} in spec/workflows/ (there: ${files.flatMap((f) => f.ids).join(', ')}).`);
    return 2;
  }
  const selected = files
    .map((f) => ({ ...f, chosen: f.ids.filter((id) => (!values.workflow || values.workflow.includes(id)) && !values.skip?.includes(id)) }))
    .filter((f) => f.chosen.length > 0);
  const dir = mkdtempSync(join(tmpdir(), 'sms-workflows-'));
  console.log(`Running ${selected.reduce((n, f) => n + f.chosen.length, 0)} workflows of ${selected.length} files against ${url} (redocly respect)\n`);
  try {
    const report: RespectJson = { files: {} };
    let failedRuns = 0;
    for (const [i, { file, ids, chosen }] of selected.entries()) {
      const jsonOutput = join(dir, `respect-${i}.json`);
      const args = [
        'respect',
        file,
        '--input', `agentToken=${values['agent-token']}`,
        '--input', `adminToken=${values['admin-token']}`,
        '--server', `agent=${url}`,
        '--server', `admin=${url}`,
        '--json-output', jsonOutput,
        ...(chosen.length < ids.length ? chosen.flatMap((w) => ['--workflow', w]) : []),
      ];
      const code = await respect(args);
      try {
        Object.assign(report.files, (JSON.parse(readFileSync(jsonOutput, 'utf8')) as RespectJson).files);
      } catch {
        console.error(`\nworkflows: redocly respect exited ${code} without results for ${file}: see its output above.`);
        return 2;
      }
      if (code !== 0) failedRuns++;
    }
    const failures = failuresOf(report);
    const ran = Object.values(report.files).reduce((n, f) => n + f.executedWorkflows.length, 0);
    console.log(`\n${ran - new Set(failures.map((f) => f.workflowId)).size} of ${ran} workflows passed against ${url}.`);
    for (const f of failures) console.log(`FAIL ${f.file} workflow ${f.workflowId}, step ${f.stepId}: ${f.why}`);
    return failures.length > 0 || failedRuns > 0 ? 1 : 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs redocly with `args`, relaying its progress; resolves with its exit code. */
function respect(args: string[]): Promise<number | null> {
  return new Promise<number | null>((resolve) => {
    const child = spawn(join(toolRoot, 'node_modules', '.bin', 'redocly'), args, {
      cwd: toolRoot,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // respect's progress, without the Node.js 20 notice box it draws
    const relay = (to: NodeJS.WriteStream) => (d: Buffer) => to.write(d.toString().split('\n').filter((l) => !/[║╔╚]/.test(l)).join('\n'));
    child.stdout.on('data', relay(process.stdout));
    child.stderr.on('data', relay(process.stderr));
    child.on('exit', resolve);
  });
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(`workflows: ${(err as Error).stack ?? String(err)}`);
      process.exit(2);
    },
  );
}

/**
 * The bundled contracts: valid OpenAPI 3.1, every example valid against its schema; the Agent's faithful to
 * the seed documents in ../shared/seeds (the newest winning where they disagree), the admin one consistent
 * with it.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { adminBundled, bundled, deref, operation, operations, problems, type ContractName, type Json } from '../../harness/spec.js';
import { copyContract } from '../../harness/checkout.js';
import { projectRoot } from '../../harness/processes.js';

const escape = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

const documents: Record<ContractName, Json> = { agent: bundled, admin: adminBundled };

/** Every example in a bundle with the pointer of the schema it must satisfy. */
function examples(contract: ContractName): Array<{ where: string; schema: string; value: unknown }> {
  const bundled = documents[contract];
  const out: Array<{ where: string; schema: string; value: unknown }> = [];
  const visitMedia = (mediaPointer: string, media: Json, where: string) => {
    if ('example' in media) out.push({ where: `${where} example`, schema: `${mediaPointer}/schema`, value: media.example });
    for (const [name, ex] of Object.entries((media.examples as Json | undefined) ?? {})) {
      out.push({ where: `${where} example ${name}`, schema: `${mediaPointer}/schema`, value: deref<Json>(ex, contract).value });
    }
  };
  for (const [name, resp] of Object.entries(((bundled.components as Json).responses as Json) ?? {})) {
    for (const [mt, media] of Object.entries(((resp as Json).content as Json) ?? {})) {
      visitMedia(`#/components/responses/${name}/content/${escape(mt)}`, media as Json, `response ${name}`);
    }
  }
  for (const op of operations(contract)) {
    for (const [status, resp] of Object.entries(op.operation.responses as Json)) {
      if ((resp as Json).$ref) continue;
      for (const [mt, media] of Object.entries(((resp as Json).content as Json) ?? {})) {
        visitMedia(`${op.pointer}/responses/${status}/content/${escape(mt)}`, media as Json, `${op.operationId} ${status}`);
      }
    }
    const body = op.operation.requestBody as Json | undefined;
    for (const [mt, media] of Object.entries((body?.content as Json) ?? {})) {
      visitMedia(`${op.pointer}/requestBody/content/${escape(mt)}`, media as Json, `${op.operationId} request`);
    }
  }
  for (const [name, p] of Object.entries(((bundled.components as Json).parameters as Json) ?? {})) {
    if ('example' in (p as Json)) out.push({ where: `parameter ${name}`, schema: `#/components/parameters/${name}/schema`, value: (p as Json).example });
  }
  for (const [name, h] of Object.entries(((bundled.components as Json).headers as Json) ?? {})) {
    if ('example' in (h as Json)) out.push({ where: `header ${name}`, schema: `#/components/headers/${escape(name)}/schema`, value: (h as Json).example });
  }
  return out;
}

describe.each([
  ['agent', 'generated/openapi.json', 15],
  ['admin', 'generated/admin/openapi.json', 30],
] as const)('the bundled %s contract', (contract, file, minExamples) => {
  it(`is valid OpenAPI 3.1 (redocly lint of ${file})`, () => {
    expect(documents[contract].openapi).toBe('3.1.0');
    const r = spawnSync(process.execPath, ['node_modules/@redocly/cli/bin/cli.js', 'lint', '--lint-config', 'error', file], {
      cwd: projectRoot,
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', NO_COLOR: '1' },
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toContain('Your API description is valid');
  });

  it('validates every example against its schema, and has one for every response', () => {
    const all = examples(contract);
    expect(all.length).toBeGreaterThanOrEqual(minExamples);
    for (const ex of all) expect(problems(ex.schema, ex.value, contract), ex.where).toEqual([]);
    for (const op of operations(contract)) {
      for (const status of Object.keys(op.operation.responses as Json)) {
        const resp = deref<Json>((op.operation.responses as Json)[status], contract);
        const media = ((resp.content as Json)['application/json'] ?? {}) as Json;
        expect('example' in media || 'examples' in media, `${op.operationId} ${status} has an example`).toBe(true);
      }
    }
  });

  it('puts X-Request-Id on every response', () => {
    for (const op of operations(contract)) {
      for (const [status, raw] of Object.entries(op.operation.responses as Json)) {
        const resp = deref<Json>(raw, contract);
        expect(Object.keys((resp.headers as Json) ?? {}), `${op.operationId} ${status}`).toContain('X-Request-Id');
      }
    }
  });
});

describe('example checks', () => {
  it('catch an invalid example (the check is not vacuous)', () => {
    expect(problems('#/components/schemas/CommandBody', { command_name: 'START', result: 'SUCCESS', result_detail: {} })).not.toEqual([]);
    expect(problems('#/components/schemas/NewCommand', { command_name: 'SKIP' }, 'admin')).not.toEqual([]);
  });
});

describe('the admin contract', () => {
  const adminSchema = (name: string) => (adminBundled.components as { schemas: Record<string, Json> }).schemas[name] as Json;

  it('has the operations an orchestrator needs, under /admin/v1, each behind the admin token', () => {
    expect(operations('admin').map((o) => `${o.operationId} ${o.method.toUpperCase()} ${o.path}`).sort()).toEqual([
      'CancelCommand DELETE /admin/v1/sources/{server_id}/commands/{command_id}',
      'CreateAccessKey POST /admin/v1/access_keys',
      'CreateCommand POST /admin/v1/sources/{server_id}/commands',
      'CreateSource POST /admin/v1/sources',
      'CreateToken POST /admin/v1/tokens',
      'ListAccessKeys GET /admin/v1/access_keys',
      'ListCommands GET /admin/v1/sources/{server_id}/commands',
      'ListResults GET /admin/v1/sources/{server_id}/results',
      'ListSources GET /admin/v1/sources',
      'ListTokens GET /admin/v1/tokens',
      'RevokeAccessKey DELETE /admin/v1/access_keys/{access_key}',
      'RevokeToken DELETE /admin/v1/tokens/{token_id}',
      'ShowSource GET /admin/v1/sources/{server_id}',
    ]);
    expect(adminBundled.security).toEqual([{ AdminToken: [] }]);
    expect(((adminBundled.components as Json).securitySchemes as Json).AdminToken).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Auth-Token' });
  });

  it('documents 400, 401, 403 and 500 on every operation, 503 on every write, and answers errors in the Agent contract\'s error shape', () => {
    for (const op of operations('admin')) {
      const statuses = Object.keys(op.operation.responses as Json);
      expect(statuses, op.operationId).toEqual(expect.arrayContaining(['400', '401', '403', '500']));
      if (op.method !== 'get') expect(statuses, op.operationId).toContain('503');
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        const resp = deref<Json>((op.operation.responses as Json)[status], 'admin');
        const schema = deref<Json>(((resp.content as Json)['application/json'] as Json).schema, 'admin');
        expect(schema, `${op.operationId} ${status}`).toEqual((bundled.components as { schemas: Json }).schemas.Error);
      }
    }
  });

  it("bounds a source server ID in a body exactly as the Agent's path parameter does", () => {
    const agentRule = ((bundled.components as Json).parameters as { ServerId: { schema: Json } }).ServerId.schema;
    const { description: _, ...rule } = adminSchema('ServerId');
    expect(rule).toEqual(agentRule);
  });

  it("queues exactly the Agent's command names but SKIP, with a command_param that ShowCommand can hand out", () => {
    const agentSchemas = (bundled.components as { schemas: Record<string, Json> }).schemas;
    expect(adminSchema('QueuedCommandName').enum).toEqual((agentSchemas.CommandName!.enum as string[]).filter((n) => n !== 'SKIP'));
    const handedOut = agentSchemas.CommandParam as { properties: Record<string, Json> };
    const queued = adminSchema('NewCommandParam') as { properties: Record<string, Json> };
    expect(Object.keys(queued.properties)).toEqual(Object.keys(handedOut.properties));
    expect(adminSchema('Label').maxLength).toBeLessThanOrEqual(handedOut.properties.task_id!.maxLength as number);
    expect(adminSchema('Label').maxLength).toBeLessThanOrEqual(handedOut.properties.bucket!.maxLength as number);
  });

  it('keeps control characters out of the text it stores (PostgreSQL cannot store U+0000)', () => {
    const pattern = new RegExp(adminSchema('Label').pattern as string, 'u');
    expect(pattern.test('web-01 (Frankfurt) ✓')).toBe(true);
    for (const bad of ['a\u0000b', 'line\nbreak', 'tab\t', '\u007f']) expect(pattern.test(bad), JSON.stringify(bad)).toBe(false);
  });
});

describe('faithful to the seeds', () => {
  const schema = (name: string) => (bundled.components as { schemas: Record<string, Json> }).schemas[name] as Json;
  const prop = (name: string, field: string) => (schema(name).properties as Record<string, Json>)[field] as Json;

  it('has exactly the two operations, named after Huawei API names', () => {
    expect(operations().map((o) => [o.operationId, o.method.toUpperCase(), o.path])).toEqual([
      ['ShowCommand', 'GET', '/v3/sources/{server_id}/command'],
      ['UpdateCommandResult', 'POST', '/v3/sources/{server_id}/command_result'],
    ]);
  });

  it('bounds server_id to 1..36 on both paths (newest document), required, in path', () => {
    for (const op of operations()) {
      const params = ((bundled.paths as Json)[op.path] as Json).parameters as Json[];
      const p = deref<Json>(params[0]);
      expect(p).toMatchObject({ name: 'server_id', in: 'path', required: true, schema: { type: 'string', minLength: 1, maxLength: 36 } });
    }
  });

  it('requires X-Auth-Token (1..16384) or an AK/SK signature on both operations, either one', () => {
    expect(bundled.security).toEqual([{ AuthToken: [] }, { AkSkSignature: [] }]);
    const signature = ((bundled.components as Json).securitySchemes as Json).AkSkSignature as Json;
    expect(signature).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
    for (const part of ['SDK-HMAC-SHA256', 'X-Sdk-Date', 'CanonicalRequest', 'SignedHeaders', 'X-Sdk-Content-Sha256', 'SMS.9005', 'SMS.9009', '15 minutes']) expect(String(signature.description)).toContain(part);
    const scheme = ((bundled.components as Json).securitySchemes as Json).AuthToken as Json;
    expect(scheme).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Auth-Token' });
    expect(String(scheme.description)).toContain('16,384');
  });

  it('documents 200, 400, 401, 403, 404 and 500 on both operations (the seeds), and 503 (a database that cannot keep writes)', () => {
    for (const id of ['ShowCommand', 'UpdateCommandResult']) {
      expect(Object.keys(operation(id).operation.responses as Json)).toEqual(['200', '400', '401', '403', '404', '500', '503']);
    }
  });

  it('has the ShowCommand body of the seed', () => {
    expect(prop('Command', 'command_name')).toBeDefined();
    expect(schema('CommandName')).toMatchObject({ enum: ['START', 'STOP', 'DELETE', 'SYNC', 'SKIP'], maxLength: 255 });
    expect(prop('CommandParam', 'task_id')).toMatchObject({ type: 'string', maxLength: 255 });
    expect(prop('CommandParam', 'bucket')).toMatchObject({ type: 'string', maxLength: 255 });
  });

  it('has the UpdateCommandResult body of the newest seed', () => {
    expect(schema('CommandBody').required).toEqual(['command_name', 'result', 'result_detail']);
    expect(schema('ReportedCommandName')).toMatchObject({ enum: ['START', 'STOP', 'DELETE', 'SYNC', 'UPLOAD_LOG', 'RSET_LOG_ACL'], maxLength: 255 });
    expect(prop('CommandBody', 'result')).toMatchObject({ enum: ['success', 'fail'], maxLength: 255 });
    expect((operation('UpdateCommandResult').operation.requestBody as Json).required).toBe(true);
  });

  it('has the error bodies of the seeds', () => {
    expect(prop('Error', 'error_code')).toMatchObject({ maxLength: 255 });
    expect(prop('Error', 'error_msg')).toMatchObject({ maxLength: 1024 });
    expect(prop('ForbiddenError', 'error_msg')).toMatchObject({ maxLength: 255 });
    expect(prop('ForbiddenError', 'encoded_authorization_message')).toMatchObject({ maxLength: 65535 });
    expect(prop('ForbiddenError', 'error_param')).toMatchObject({ minItems: 1, maxItems: 20, items: { type: 'string', maxLength: 65535 } });
    expect(prop('ForbiddenError', 'details')).toMatchObject({ minItems: 1, maxItems: 20 });
    expect(prop('ErrorDetail', 'error_code')).toMatchObject({ maxLength: 65535 });
    expect(prop('ErrorDetail', 'error_msg')).toMatchObject({ maxLength: 65535 });
  });

  it('carries the seeds examples', () => {
    const show = ((operation('ShowCommand').operation.responses as Json)['200'] as Json).content as Json;
    expect(((show['application/json'] as Json).examples as Json).Start).toMatchObject({
      value: { command_name: 'START', command_param: { task_id: 'xxxxxxxxxxxxxxxxxxxxxxxx00000001' } },
    });
    const req = ((operation('UpdateCommandResult').operation.requestBody as Json).content as Json)['application/json'] as Json;
    expect((req.examples as Json).StartSucceeded).toMatchObject({ value: { command_name: 'START', result: 'success', result_detail: { msg: 'xxx' } } });
    const ok = ((operation('UpdateCommandResult').operation.responses as Json)['200'] as Json).content as Json;
    expect((ok['application/json'] as Json).example).toEqual({});
    const forbidden = ((bundled.components as Json).responses as Json).Forbidden as Json;
    expect(((forbidden.content as Json)['application/json'] as Json).example).toMatchObject({ error_code: 'SMS.9004', encoded_authorization_message: 'XXXXXX' });
  });

});

describe('npm run check:generated', () => {
  const run = (root: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/generate.ts', '--check', '--root', root], { cwd: projectRoot, encoding: 'utf8' });

  it('passes on this checkout and fails when generated/ is hand-edited or the spec changed', () => {
    const clean = copyContract();
    const edited = copyContract();
    const drifted = copyContract();
    const clientEdited = copyContract();
    try {
      const c0 = run(clean.root);
      expect(c0.status, c0.stderr).toBe(0);
      edited.edit('generated/schema.ts', (t) => `${t}\n// a hand edit\n`);
      const e = run(edited.root);
      expect(e.status).toBe(1);
      expect(e.stderr).toContain('stale: generated/schema.ts');
      clientEdited.edit('client/src/generated/schema.ts', (t) => `${t}\n// a hand edit of the client package copy\n`);
      clientEdited.edit('generated/admin/routes.ts', (t) => t.replace("successStatuses: [201]", "successStatuses: [200]"));
      const c = run(clientEdited.root);
      expect(c.status).toBe(1);
      expect(c.stderr).toContain('stale: client/src/generated/schema.ts');
      expect(c.stderr).toContain('stale: generated/admin/routes.ts');
      drifted.edit('spec/components/parameters/ServerId.yaml', (t) => t.replace('maxLength: 36', 'maxLength: 40'));
      const d = run(drifted.root);
      expect(d.status).toBe(1);
      expect(d.stderr).toContain('stale: generated/openapi.json');
      expect(d.stderr).toContain('npm run generate');
      drifted.edit('spec/admin.yaml', (t) => t.replace('version: 1.0.0', 'version: 1.1.0'));
      expect(run(drifted.root).stderr).toContain('stale: generated/admin/openapi.json');
    } finally {
      for (const copy of [clean, edited, drifted, clientEdited]) copy.remove();
    }
  });
});

describe('the workflows (spec/workflows/)', () => {
  it('are each linted by npm run lint:spec (an api of redocly.yaml), and cover the cycle, redelivery and who may act', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { parse } = await import('yaml');
    const files = readdirSync(join(projectRoot, 'spec', 'workflows')).filter((f) => f.endsWith('.arazzo.yaml'));
    const apis = (parse(readFileSync(join(projectRoot, 'redocly.yaml'), 'utf8')) as { apis: Record<string, { root: string }> }).apis;
    expect(files.map((f) => `spec/workflows/${f}`).sort()).toEqual(Object.values(apis).map((a) => a.root).filter((r) => r.startsWith('spec/workflows/')).sort());
    const ids = files.flatMap((f) => (parse(readFileSync(join(projectRoot, 'spec', 'workflows', f), 'utf8')) as { workflows: Array<{ workflowId: string }> }).workflows.map((w) => w.workflowId));
    expect(ids).toEqual(expect.arrayContaining(['start-report-skip', 'start-report-sdk-string', 'stop-while-start-leased', 'lease-expiry-redelivers', 'unregistered-source-is-404', 'missing-token-is-401', 'token-of-another-source-is-403']));
  });
});

/** toSmsError and errorHandler (server/errorHandler.ts), and the error table's bodies (server/errors.ts), unit by unit. */
import { describe, expect, it, vi } from 'vitest';
import { errorHandler, toSmsError } from '../../server/errorHandler.js';
import { SmsError, errors } from '../../server/errors.js';

const context = { bodyLimitBytes: 10240, method: 'PUT', contentType: 'text/plain' };
const mapped = (err: unknown, ctx: Partial<typeof context> = {}) => {
  const e = toSmsError(err, { ...context, ...ctx });
  return { kind: e.kind, status: e.status, code: e.code, message: e.message, headers: e.headers };
};

describe('toSmsError', () => {
  it('passes an SmsError through unchanged', () => {
    const e = new SmsError('sourceNotFound', 'x');
    expect(toSmsError(e, context)).toBe(e);
  });

  it.each([
    [{ type: 'entity.parse.failed', message: 'Unexpected token } in JSON' }, 'malformedJson', 400, 'SMS.2003', 'The request body is not well-formed JSON: Unexpected token } in JSON. Send a JSON object.'],
    [{ type: 'entity.parse.failed' }, 'malformedJson', 400, 'SMS.2003', 'The request body is not well-formed JSON: parse error. Send a JSON object.'],
    [{ type: 'entity.too.large' }, 'bodyTooLarge', 400, 'SMS.2004', 'The request body is larger than 10240 bytes; shorten result_detail.'],
    [{ status: 413 }, 'bodyTooLarge', 400, 'SMS.2004', 'The request body is larger than 10240 bytes; shorten result_detail.'],
    [{ type: 'encoding.unsupported', message: 'unsupported content encoding "br"' }, 'unsupportedEncoding', 400, 'SMS.2005', 'The request body must be UTF-8 JSON: unsupported content encoding "br".'],
    [{ type: 'charset.unsupported' }, 'unsupportedEncoding', 400, 'SMS.2005', 'The request body must be UTF-8 JSON: unsupported encoding.'],
    [{ type: 'request.aborted' }, 'incompleteBody', 400, 'SMS.2003', 'The request body was incomplete: aborted.'],
    [{ type: 'request.size.invalid', message: 'request size did not match content length' }, 'incompleteBody', 400, 'SMS.2003', 'The request body was incomplete: request size did not match content length.'],
    [{ status: 415 }, 'unsupportedContentType', 400, 'SMS.2005', 'The request body must be sent with Content-Type: application/json (got text/plain).'],
    [{ status: 404 }, 'routeNotFound', 404, 'SMS.2008', errors.routeNotFound.message()],
    [new Error('database is locked'), 'backend', 500, 'SMS.2007', errors.backend.message()],
    [undefined, 'backend', 500, 'SMS.2007', errors.backend.message()],
  ])('maps %j to %s', (err, kind, status, code, message) => {
    expect(mapped(err)).toMatchObject({ kind, status, code, message });
  });

  it('says when there was no Content-Type', () => {
    expect(mapped({ status: 415 }, { contentType: undefined }).message).toBe('The request body must be sent with Content-Type: application/json (got no Content-Type).');
  });

  it('maps a 405 with its Allow header', () => {
    expect(mapped({ status: 405, headers: { Allow: 'GET' } })).toEqual({ kind: 'methodNotAllowed', status: 405, code: 'SMS.2009', message: 'PUT method not allowed; allowed: GET.', headers: { Allow: 'GET' } });
    expect(mapped({ status: 405 }).message).toBe('PUT method not allowed; allowed: see the API reference.');
  });

  it('keeps the cause of a backend error, unsent', () => {
    const cause = new Error('disk I/O error');
    const e = toSmsError(cause, context);
    expect(e.cause).toBe(cause);
    expect(Object.keys(e)).not.toContain('cause');
    expect(JSON.stringify(e.body())).not.toContain('disk');
  });

  describe('validation errors (express-openapi-validator)', () => {
    const items = (n: number) => Array.from({ length: n }, (_, i) => ({ path: `/body/field${i}`, message: `must be thing ${i}` }));
    it.each([
      [[{ path: '/body/result', message: 'must be equal to one of the allowed values: success, fail' }], 'Invalid request: body.result must be equal to one of the allowed values: success, fail.'],
      [[{ path: '.request.body.command_name', message: 'is required' }], 'Invalid request: body.command_name is required.'],
      [[{ path: '/params/server_id' }], 'Invalid request: params.server_id is invalid.'],
      [[{ message: 'must NOT have additional properties' }], 'Invalid request: must NOT have additional properties.'],
      [items(2), 'Invalid request: body.field0 must be thing 0; body.field1 must be thing 1.'],
      [items(5), `Invalid request: ${[0, 1, 2, 3, 4].map((i) => `body.field${i} must be thing ${i}`).join('; ')}.`],
      [items(7), `Invalid request: ${[0, 1, 2, 3, 4].map((i) => `body.field${i} must be thing ${i}`).join('; ')} (and 2 more).`],
    ])('%j', (errorItems, message) => {
      expect(mapped({ status: 400, errors: errorItems, message: 'ignored' })).toMatchObject({ kind: 'invalidParameter', code: 'SMS.2001', message });
    });
    it('falls back to the validator message, or a generic one', () => {
      expect(mapped({ status: 400, errors: [], message: 'request/body must be object.' }).message).toBe('Invalid request: request/body must be object.');
      expect(mapped({ status: 400 }).message).toBe('Invalid request: the request does not match the API.');
    });
  });
});

describe('errorHandler', () => {
  const logger = { error: vi.fn() };
  const run = (err: unknown, headersSent = false) => {
    const res = {
      locals: { requestId: 'r-1' },
      headersSent,
      headers: {} as Record<string, string>,
      statusCode: 0,
      sent: undefined as unknown,
      destroyed: false,
      setHeader(name: string, value: string) { this.headers[name] = value; },
      end(text: string) { this.sent = JSON.parse(text); },
      destroy() { this.destroyed = true; },
    };
    const req = { method: 'POST', path: '/p', get: () => 'application/json' };
    errorHandler({ logger: logger as never, bodyLimitBytes: 10240 })(err, req as never, res as never, () => {});
    return res;
  };

  it('sends the SmsError as JSON with its headers, notes the code for the log line, and logs only 5xx', () => {
    logger.error.mockClear();
    const res = run(new SmsError('methodNotAllowed', 'PUT', 'GET'));
    expect([res.statusCode, res.sent, res.headers, res.locals]).toEqual([
      405,
      { error_code: 'SMS.2009', error_msg: 'PUT method not allowed; allowed: GET.' },
      { Allow: 'GET', 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': 77 },
      { requestId: 'r-1', errorCode: 'SMS.2009' },
    ]);
    expect(logger.error).not.toHaveBeenCalled();
    run(new Error('boom'));
    expect(logger.error).toHaveBeenCalledOnce();
  });

  it('answers a JSON 500 when the error it got breaks its body (a library decorated it)', () => {
    const broken = Object.assign(new SmsError('invalidParameter', 'x'), { body: 'a string where a method was' });
    const res = run(broken);
    expect([res.statusCode, (res.sent as { error_code: string }).error_code]).toEqual([500, 'SMS.2007']);
  });

  it('destroys the connection when the headers are already sent', () => {
    const res = run(new Error('late'), true);
    expect([res.destroyed, res.sent]).toEqual([true, undefined]);
  });
});

describe('SmsError bodies', () => {
  it('clips messages to the spec bounds: 1,024 characters, 255 for 403', () => {
    const long = new SmsError('invalidParameter', 'x'.repeat(2000)).body();
    expect(long.error_msg).toHaveLength(1024);
    expect(long.error_msg.endsWith('x…')).toBe(true);
    expect(new SmsError('invalidParameter', 'x'.repeat(1000)).body().error_msg).toBe(`Invalid request: ${'x'.repeat(1000)}.`);
    const forbidden = new SmsError('forbidden', 'sms:server:getCommand', 'y'.repeat(300), 'token tok_1 is not issued for this source server').body();
    expect(forbidden.error_msg).toHaveLength(255);
  });

  it('gives 403 the authorization fields of the Huawei service', () => {
    const body = new SmsError('forbidden', 'sms:server:getCommand', 'src-1', 'token tok_1 does not grant it').body() as Record<string, unknown>;
    const detail = 'You do not have permission to perform action sms:server:getCommand on resource source server src-1: token tok_1 does not grant it';
    expect(body).toEqual({
      error_code: 'SMS.9004',
      error_msg: `The current account does not have the permission to execute policy. ${detail}`,
      encoded_authorization_message: Buffer.from(JSON.stringify({ action: 'sms:server:getCommand', resource: 'sms:server:src-1', reason: 'token tok_1 does not grant it' })).toString('base64'),
      error_param: [detail],
      details: [{ error_code: 'SMS.9004', error_msg: detail }],
    });
  });

  it('has one code per kind, each with a status and a message builder', () => {
    for (const [kind, def] of Object.entries(errors)) {
      expect(def.code, kind).toMatch(/^SMS\.\d{4}$/);
      expect([400, 401, 403, 404, 405, 408, 409, 417, 500, 503], kind).toContain(def.status);
    }
    expect(errors.resultDetailNotJson.message()).toBe('Invalid request: body.result_detail is a string but not JSON; send a JSON object such as {"msg":"xxx"}.');
    expect(errors.resultDetailNotObject.message()).toBe('Invalid request: body.result_detail must be a JSON object (or a string holding one), such as {"msg":"xxx"}.');
  });
});

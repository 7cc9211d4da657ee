/** toSmsError (server/errorResponse.ts): anything thrown, mapped to the error table. */
import { describe, expect, it } from 'vitest';
import { toSmsError } from '../../server/errorResponse.js';
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

/**
 * server/errors.ts: every error the service answers with, its status, code and the message a person acts
 * on (the spec's examples quote them), the headers it carries, and the cause it keeps unsent.
 */
import { describe, expect, it } from 'vitest';
import { MAX_ECHO_CHARS, SmsError, errors, type ErrorKind } from '../../server/errors.js';

const S = 'f32ab4d6-d150-4fb3-aa55-edbb5cf9947f';

/** Each kind with arguments, and what it must say. */
const table: Array<[ErrorKind, unknown[], number, string, string]> = [
  ['invalidParameter', ['body.result must be one of: success, fail'], 400, 'SMS.2001', 'Invalid request: body.result must be one of: success, fail.'],
  ['headersTooLarge', [131072, 16384], 400, 'SMS.2001', 'The request headers are larger than 131072 bytes; X-Auth-Token is at most 16384 characters.'],
  ['malformedHttp', [], 400, 'SMS.2001', 'The request is not valid HTTP/1.1.'],
  ['missingHost', [], 400, 'SMS.2001', "The request has no Host header, which HTTP/1.1 requires; send Host: with the server's name and port."],
  ['invalidCursor', [], 400, 'SMS.2001', 'Invalid request: query.cursor is not a cursor this API gave out; start again without it.'],
  ['requestTimeout', [30000], 408, 'SMS.2014', 'The request was not received in full within 30000 ms; send it again.'],
  ['expectationFailed', ['bogus'], 417, 'SMS.2013', 'Expect: bogus is not supported; send the request without it (or with Expect: 100-continue).'],
  ['malformedJson', ['Unexpected end of JSON input'], 400, 'SMS.2003', 'The request body is not well-formed JSON: Unexpected end of JSON input. Send a JSON object.'],
  ['incompleteBody', ['aborted'], 400, 'SMS.2003', 'The request body was incomplete: aborted.'],
  ['bodyTooLarge', [10240], 400, 'SMS.2004', 'The request body is larger than 10240 bytes; shorten result_detail.'],
  ['unsupportedEncoding', ['the body is not valid UTF-8'], 400, 'SMS.2005', 'The request body must be UTF-8 JSON: the body is not valid UTF-8.'],
  ['unsupportedContentType', ['text/plain'], 400, 'SMS.2005', 'The request body must be sent with Content-Type: application/json (got text/plain).'],
  ['unsupportedTransferCoding', ['gzip, chunked'], 400, 'SMS.2005', 'Transfer-Encoding: gzip, chunked is not supported: send the body with Content-Length, or with Transfer-Encoding: chunked alone (compress it with Content-Encoding: gzip instead).'],
  ['missingToken', [], 401, 'SMS.9001', 'The X-Auth-Token header is missing. Send the token an operator issued to you.'],
  ['tokenTooLong', [16384], 401, 'SMS.9002', 'The X-Auth-Token is longer than 16384 characters and cannot be valid.'],
  ['invalidToken', [], 401, 'SMS.9002', 'The X-Auth-Token is not valid (unknown or revoked). Ask an operator for a new token.'],
  ['expiredToken', [], 401, 'SMS.9003', 'The X-Auth-Token has expired. Ask an operator for a new token.'],
  ['malformedSignature', ['X-Sdk-Date must be the signing time as YYYYMMDDTHHMMSSZ (UTC)'], 401, 'SMS.9005', "The request's signature cannot be checked: X-Sdk-Date must be the signing time as YYYYMMDDTHHMMSSZ (UTC). Sign it as Huawei Cloud's SDKs do (SDK-HMAC-SHA256)."],
  ['staleSignature', ['20261202T080000Z', '2026-12-02T09:00:00.000Z'], 401, 'SMS.9006', "X-Sdk-Date 20261202T080000Z is more than 15 minutes from the server's clock (2026-12-02T09:00:00.000Z); sign the request again with the right time."],
  ['unknownAccessKey', ['AKSMS0000000000000000'], 401, 'SMS.9007', 'The access key AKSMS0000000000000000 is not valid (unknown or revoked). Ask an operator for a new access key.'],
  ['expiredAccessKey', ['AKSMS0000000000000000'], 401, 'SMS.9008', 'The access key AKSMS0000000000000000 has expired. Ask an operator for a new access key.'],
  ['signatureMismatch', [], 401, 'SMS.9009', 'The signature does not match the request (a wrong SK, or the request was changed after it was signed).'],
  ['accessKeyNotFound', ['AKSMS7Q2M4XKD9F3HJ6PW'], 404, 'SMS.2017', 'No access key AKSMS7Q2M4XKD9F3HJ6PW. List access keys with `npm run admin -- keys list` (or GET /admin/v1/access_keys).'],
  ['adminTokenRequired', ['tok_1'], 403, 'SMS.9004', "Token tok_1 is an Agent token; the operator's API takes an admin token (`npm run admin -- tokens create --name NAME --admin`)."],
  ['sourceNotFound', [S], 404, 'SMS.2006', `Source server ${S} is not registered. Register it with \`npm run admin -- sources add ${S}\` (or POST /admin/v1/sources).`],
  ['sourceAlreadyRegistered', [S], 409, 'SMS.2010', `Source server ${S} is already registered.`],
  ['tokenNotFound', ['tok_9'], 404, 'SMS.2011', 'No token tok_9. List tokens with `npm run admin -- tokens list` (or GET /admin/v1/tokens).'],
  ['commandNotFound', [S, 42], 404, 'SMS.2015', `Source server ${S} has no command 42. List its commands with GET /admin/v1/sources/${S}/commands.`],
  ['commandNotCancellable', [42, 'leased'], 409, 'SMS.2016', 'Command 42 is leased: only a pending command can be cancelled (its Agent has it: queue STOP to stop it).'],
  ['commandNotCancellable', [42, 'done'], 409, 'SMS.2016', 'Command 42 is done: only a pending command can be cancelled.'],
  ['storageUnavailable', ['the database file x was deleted'], 503, 'SMS.2012', 'The database cannot keep writes now: the database file x was deleted. Nothing was stored; retry later.'],
  ['backend', [], 500, 'SMS.2007', 'Backend exception; retry the request. If it persists, report the X-Request-Id of this response.'],
  ['routeNotFound', [], 404, 'SMS.2008', 'No such API. The SMS Agent API has GET /v3/sources/{server_id}/command and POST /v3/sources/{server_id}/command_result.'],
  ['docsNotBuilt', [], 404, 'SMS.2008', 'The API docs are not built. Run `npm run docs`, then reload.'],
  ['methodNotAllowed', ['PUT', 'GET, POST'], 405, 'SMS.2009', 'PUT method not allowed; allowed: GET, POST.'],
];

describe('the error table', () => {
  it.each(table)('%s %j: %i %s', (kind, args, status, code, message) => {
    const e = new (SmsError as new (k: ErrorKind, ...a: unknown[]) => SmsError)(kind, ...args);
    expect([e.name, e.kind, e.status, e.code, e.message]).toEqual(['SmsError', kind, status, code, message]);
    expect(e.body()).toEqual({ error_code: code, error_msg: message });
    expect(e).toBeInstanceOf(Error);
  });

  it('covers every kind (forbidden: the test below)', () => {
    const elsewhere = ['forbidden'];
    expect(new Set(table.map(([kind]) => kind))).toEqual(new Set(Object.keys(errors).filter((k) => !elsewhere.includes(k))));
  });

  it.each([
    ['sourceNotFound', [`${'a'.repeat(200)}`]],
    ['sourceAlreadyRegistered', [`${'a'.repeat(200)}`]],
    ['commandNotFound', [`${'a'.repeat(200)}`, 1]],
    ['tokenNotFound', [`${'a'.repeat(200)}`]],
    ['accessKeyNotFound', [`${'a'.repeat(200)}`]],
    ['unknownAccessKey', [`${'a'.repeat(200)}`]],
    ['staleSignature', [`${'a'.repeat(200)}`, 'now']],
    ['adminTokenRequired', [`${'a'.repeat(200)}`]],
    ['methodNotAllowed', [`${'a'.repeat(200)}`, 'GET']],
    ['expectationFailed', [`${'a'.repeat(200)}`]],
    ['unsupportedContentType', [`${'a'.repeat(200)}`]],
    ['unsupportedTransferCoding', [`${'a'.repeat(200)}`]],
    ['forbidden', ['sms:server:getCommand', `${'a'.repeat(200)}`, 'not granted']],
  ])('%s echoes at most MAX_ECHO_CHARS of what the client sent', (kind, args) => {
    const e = new (SmsError as new (k: ErrorKind, ...a: unknown[]) => SmsError)(kind as ErrorKind, ...args);
    const sent = JSON.stringify(e.body()) + Buffer.from(String((e.body() as { encoded_authorization_message?: string }).encoded_authorization_message ?? ''), 'base64').toString();
    expect(sent).toContain(`${'a'.repeat(MAX_ECHO_CHARS - 1)}…`);
    expect(sent).not.toContain('a'.repeat(MAX_ECHO_CHARS));
  });

  it('echoes a value of MAX_ECHO_CHARS whole', () => {
    expect(new SmsError('sourceNotFound', 'a'.repeat(MAX_ECHO_CHARS)).message).toContain(`server ${'a'.repeat(MAX_ECHO_CHARS)} is`);
  });

  it('puts Allow on a 405 and no header on anything else', () => {
    expect(new SmsError('methodNotAllowed', 'PUT', 'GET').headers).toEqual({ Allow: 'GET' });
    expect(new SmsError('sourceNotFound', S).headers).toEqual({});
  });

  it('keeps the cause of an error for the log, out of its body and its own keys', () => {
    const cause = new Error('SQLITE_IOERR: disk I/O error');
    const e = new SmsError('storageUnavailable', 'x').causedBy(cause);
    expect(e.cause).toBe(cause);
    expect(Object.keys(e)).not.toContain('cause');
    expect(JSON.stringify(e.body())).not.toContain('disk');
    const descriptor = Object.getOwnPropertyDescriptor(e, 'cause');
    expect(descriptor).toMatchObject({ enumerable: false, writable: true, configurable: true });
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
  });
});

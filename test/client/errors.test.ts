/** client/src/errors.ts: what a caller reads off each error, from the spec's error bodies and from bodies that are not. */
import { describe, expect, it } from 'vitest';
import { apiError } from '../../client/src/errors.js';
import { SmsApiError, SmsForbiddenError, SmsInputError, SmsNetworkError, SmsTimeoutError, isSmsApiError } from '../../client/src/index.js';

const forbiddenBody = {
  error_code: 'SMS.9004',
  error_msg: 'The current account does not have the permission to execute policy.',
  encoded_authorization_message: 'eyJhY3Rpb24iOiJ4In0=',
  error_param: ['You do not have permission to perform action x'],
  details: [{ error_code: 'SMS.9004', error_msg: 'You do not have permission to perform action x' }],
};

describe('SmsApiError', () => {
  it("reads the spec's error body and the request id, and says all of it in its message", () => {
    const headers = new Headers({ 'retry-after': '3' });
    const e = new SmsApiError('ShowCommand', 404, { error_code: 'SMS.2006', error_msg: 'Source server x is not registered.' }, 'req-1', headers);
    expect(e).toMatchObject({ name: 'SmsApiError', operation: 'ShowCommand', status: 404, errorCode: 'SMS.2006', errorMsg: 'Source server x is not registered.', requestId: 'req-1' });
    expect(e.headers).toBe(headers);
    expect(e.message).toBe('ShowCommand failed with 404 SMS.2006: Source server x is not registered. (request req-1)');
    expect([e.encodedAuthorizationMessage, e.errorParam, e.details]).toEqual([undefined, undefined, undefined]);
    expect(e).toBeInstanceOf(Error);
  });

  it('keeps a body that is not JSON as the message, and says when it was empty or had no request id', () => {
    const text = new SmsApiError('UpdateCommandResult', 502, '<html>Bad Gateway</html>', undefined);
    expect([text.errorCode, text.errorMsg, text.body]).toEqual([undefined, '<html>Bad Gateway</html>', '<html>Bad Gateway</html>']);
    expect(text.message).toBe('UpdateCommandResult failed with 502: <html>Bad Gateway</html>');
    const empty = new SmsApiError('ShowCommand', 500, '', undefined);
    expect(empty.message).toBe('ShowCommand failed with 500: (empty body)');
    const missing = new SmsApiError('ShowCommand', 500, undefined, undefined);
    expect([missing.errorMsg, missing.message]).toEqual(['""', 'ShowCommand failed with 500: ""']);
  });

  it('reads JSON that is not the error shape as text, and ignores fields of the wrong type', () => {
    const other = new SmsApiError('ShowCommand', 500, { error: 'x' }, 'r');
    expect([other.errorCode, other.errorMsg]).toEqual([undefined, '{"error":"x"}']);
    const wrongTypes = new SmsApiError('ShowCommand', 400, { error_code: 2001, error_msg: ['x'] }, 'r');
    expect([wrongTypes.errorCode, wrongTypes.errorMsg]).toEqual([undefined, '{"error_code":2001,"error_msg":["x"]}']);
    const nullBody = new SmsApiError('ShowCommand', 500, null, 'r');
    expect([nullBody.errorCode, nullBody.errorMsg]).toEqual([undefined, '""']);
  });
});

describe('apiError', () => {
  it('makes a 403 an SmsForbiddenError with the authorization details, camel-cased', () => {
    const e = apiError('ShowCommand', 403, forbiddenBody, 'req-9');
    expect(e).toBeInstanceOf(SmsForbiddenError);
    expect(e).toBeInstanceOf(SmsApiError);
    expect(e.name).toBe('SmsForbiddenError');
    expect([e.encodedAuthorizationMessage, e.errorParam, e.details]).toEqual([
      'eyJhY3Rpb24iOiJ4In0=',
      ['You do not have permission to perform action x'],
      [{ errorCode: 'SMS.9004', errorMsg: 'You do not have permission to perform action x' }],
    ]);
  });

  it('makes every other status a plain SmsApiError', () => {
    for (const status of [400, 401, 404, 409, 429, 500, 503]) {
      const e = apiError('UpdateCommandResult', status, { error_code: 'SMS.2001', error_msg: 'x' }, undefined);
      expect([e.constructor, e.name, e.status]).toEqual([SmsApiError, 'SmsApiError', status]);
    }
  });
});

describe('isSmsApiError', () => {
  it('narrows to SmsApiError, of one status when asked', () => {
    const e = apiError('ShowCommand', 403, forbiddenBody, undefined);
    expect([isSmsApiError(e), isSmsApiError(e, 403), isSmsApiError(e, 404)]).toEqual([true, true, false]);
    expect([isSmsApiError(new Error('x')), isSmsApiError(undefined), isSmsApiError({ status: 403 }, 403)]).toEqual([false, false, false]);
  });
});

describe('the errors that never got an answer', () => {
  it('SmsNetworkError names the operation and keeps the cause', () => {
    const cause = new TypeError('fetch failed');
    const e = new SmsNetworkError('ShowCommand', cause);
    expect([e.name, e.operation, e.message, e.cause]).toEqual(['SmsNetworkError', 'ShowCommand', 'ShowCommand: network error: fetch failed', cause]);
    expect(new SmsNetworkError('UpdateCommandResult', 'ECONNRESET').message).toBe('UpdateCommandResult: network error: ECONNRESET');
    expect(new SmsNetworkError('ShowCommand', undefined).message).toBe('ShowCommand: network error: undefined');
  });

  it('SmsTimeoutError says how long it waited', () => {
    const e = new SmsTimeoutError('UpdateCommandResult', 30000);
    expect([e.name, e.operation, e.timeoutMs, e.message]).toEqual(['SmsTimeoutError', 'UpdateCommandResult', 30000, 'UpdateCommandResult: no answer within 30000 ms']);
  });

  it('SmsInputError is named for the caller to branch on', () => {
    expect(new SmsInputError('server_id is empty').name).toBe('SmsInputError');
  });
});

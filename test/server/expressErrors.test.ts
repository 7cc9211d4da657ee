/** errorHandler (server/expressErrors.ts): the final Express error handler sends every error as the spec's JSON. */
import { describe, expect, it, vi } from 'vitest';
import { SmsError } from '../../server/errors.js';
import { errorHandler } from '../../server/expressErrors.js';

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

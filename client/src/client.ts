/**
 * createSmsClient: typed calls of the two operations on top of openapi-fetch, with per-request timeouts,
 * retries, errors as classes, and the raw openapi-fetch client for callers who want { data, error, response }.
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { SmsApiError, SmsInputError, SmsNetworkError, SmsTimeoutError, apiError } from './errors.js';
import { signingMiddleware, type AccessKey } from './signing.js';
import { DEFAULT_RETRY, backoffDelay, parseRetryAfter, retryableStatus, sleep, type RetryInfo, type RetryOptions } from './retry.js';
import type { Command, CommandBody, OperationName, paths } from './types.js';

/** server_id bounds of the spec (1..36 characters, letters, digits, - and _); a test checks them against the spec. */
export const SERVER_ID_RULE = { minLength: 1, maxLength: 36, pattern: /^[A-Za-z0-9_-]+$/ } as const;

export interface SmsClientOptions {
  /** Where the API lives, e.g. http://127.0.0.1:8080 (no trailing /v3). */
  baseUrl: string;
  /** The X-Auth-Token, or a function returning it (called per request, so tokens can be refreshed). Give this or `accessKey`. */
  token?: string | (() => string | Promise<string>);
  /** An access key pair (AK/SK): every request is signed with SDK-HMAC-SHA256 instead of carrying a token. Give this or `token`. */
  accessKey?: AccessKey;
  /** The clock signatures are dated by (default: the system's); tests pass a fixed one. */
  now?: () => Date;
  /** Per-request timeout in ms (default 30,000). */
  timeoutMs?: number;
  /** Retry policy; false turns retries off. UpdateCommandResult is retried only with `updateCommandResult: true`. */
  retry?: false | (RetryOptions & { updateCommandResult?: boolean });
  /** A fetch implementation (default: globalThis.fetch). */
  fetch?: typeof globalThis.fetch;
  /** Sent as User-Agent. */
  userAgent?: string;
  /** Called before every retry: attempt, delay and reason. */
  onRetry?: (info: RetryInfo) => void;
  /** Random source for jitter (default Math.random); tests pass a fixed one. */
  random?: () => number;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Overrides the client's retry policy for this call (false: no retry). */
  retry?: false | RetryOptions;
}

export interface SmsClient {
  /** GET /v3/sources/{server_id}/command: the next command for the Agent (SKIP when there is none). */
  showCommand(serverId: string, options?: CallOptions): Promise<Command>;
  /** POST /v3/sources/{server_id}/command_result: resolves when the service answered 200. */
  updateCommandResult(serverId: string, body: CommandBody, options?: CallOptions): Promise<void>;
  /** The underlying openapi-fetch client (auth or signing, and User-Agent middleware applied). */
  readonly raw: Client<paths>;
}

/** Thrown by the token provider; passed through untouched. */
class TokenProviderError extends Error {
  override name = 'TokenProviderError';
}

/** Middleware that sets X-Auth-Token (and User-Agent) on every request. */
export function authMiddleware(token: NonNullable<SmsClientOptions['token']>, userAgent?: string): Middleware {
  return {
    async onRequest({ request }) {
      let value: string;
      try {
        value = typeof token === 'function' ? await token() : token;
      } catch (err) {
        throw new TokenProviderError(`the token provider failed: ${(err as Error).message}`, { cause: err });
      }
      request.headers.set('X-Auth-Token', value);
      if (userAgent) request.headers.set('User-Agent', userAgent);
      return request;
    },
  };
}

/** Refuses a server_id the spec does not allow, before any request is sent. */
export function checkServerId(serverId: string): void {
  const { minLength, maxLength, pattern } = SERVER_ID_RULE;
  if (typeof serverId !== 'string' || serverId.length < minLength || serverId.length > maxLength || !pattern.test(serverId)) {
    throw new SmsInputError(`server_id must be ${minLength} to ${maxLength} characters of letters, digits, - and _ (got ${JSON.stringify(serverId)}).`);
  }
}

/** Creates a client. */
export function createSmsClient(options: SmsClientOptions): SmsClient {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const random = options.random ?? Math.random;
  if ((options.token === undefined) === (options.accessKey === undefined)) {
    throw new SmsInputError('createSmsClient takes one credential: `token` (X-Auth-Token) or `accessKey` ({ accessKey, secretKey }: signed requests).');
  }
  const raw = createClient<paths>({ baseUrl: options.baseUrl.replace(/\/+$/, ''), ...(options.fetch ? { fetch: options.fetch } : {}) });
  if (options.token !== undefined) raw.use(authMiddleware(options.token, options.userAgent));
  else {
    const { userAgent } = options;
    if (userAgent) raw.use({ onRequest: ({ request }) => (request.headers.set('User-Agent', userAgent), request) });
    raw.use(signingMiddleware(options.accessKey as AccessKey, options.now)); // last: it signs the request as it will be sent
  }

  /** One attempt with its own timeout, combined with the caller's signal. */
  async function attempt<T>(
    operation: OperationName,
    send: (signal: AbortSignal) => Promise<{ data?: T; error?: unknown; response: Response }>,
    callerSignal: AbortSignal | undefined,
  ): Promise<T> {
    if (callerSignal?.aborted) throw callerSignal.reason;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new SmsTimeoutError(operation, timeoutMs)), timeoutMs);
    const onAbort = (): void => controller.abort(callerSignal?.reason);
    callerSignal?.addEventListener('abort', onAbort, { once: true });
    try {
      const { data, error, response } = await send(controller.signal);
      if (response.ok) return data as T;
      throw apiError(operation, response.status, error, response.headers.get('x-request-id') ?? undefined, response.headers);
    } catch (err) {
      if (err instanceof SmsApiError || err instanceof TokenProviderError) throw err;
      if (callerSignal?.aborted) throw callerSignal.reason;
      const reason: unknown = controller.signal.reason;
      if (controller.signal.aborted && reason instanceof SmsTimeoutError) throw new SmsTimeoutError(operation, timeoutMs, err);
      throw new SmsNetworkError(operation, err);
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onAbort);
    }
  }

  /** Runs attempts until success, a non-retryable error, or the retry budget is spent. */
  async function withRetry<T>(operation: OperationName, policy: false | RetryOptions, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
    const p = policy === false ? { ...DEFAULT_RETRY, retries: 0 } : { ...DEFAULT_RETRY, ...policy };
    for (let n = 1; ; n++) {
      try {
        return await run();
      } catch (err) {
        if (n > p.retries || signal?.aborted) throw err;
        let delayMs: number;
        let reason: RetryInfo['reason'];
        if (err instanceof SmsApiError) {
          if (!retryableStatus(err.status)) throw err;
          const after = parseRetryAfter(err.headers?.get('retry-after') ?? null, Date.now());
          delayMs = after !== undefined ? Math.min(after, p.maxRetryAfterMs) : backoffDelay(n, p, random);
          reason = { status: err.status };
        } else if (err instanceof SmsNetworkError || err instanceof SmsTimeoutError) {
          delayMs = backoffDelay(n, p, random);
          reason = { error: err };
        } else {
          throw err;
        }
        options.onRetry?.({ operation, attempt: n, delayMs, reason });
        await sleep(delayMs, signal);
      }
    }
  }

  const clientRetry = options.retry === undefined ? {} : options.retry;
  const policyFor = (operation: OperationName, call?: CallOptions): false | RetryOptions => {
    if (call?.retry !== undefined) return call.retry;
    if (clientRetry === false) return false;
    if (operation === 'UpdateCommandResult' && !clientRetry.updateCommandResult) return false;
    return clientRetry;
  };

  return {
    raw,
    async showCommand(serverId, call) {
      checkServerId(serverId);
      return withRetry('ShowCommand', policyFor('ShowCommand', call), call?.signal, () =>
        attempt<Command>('ShowCommand', (signal) => raw.GET('/v3/sources/{server_id}/command', { params: { path: { server_id: serverId } }, signal }), call?.signal),
      );
    },
    async updateCommandResult(serverId, body, call) {
      checkServerId(serverId);
      await withRetry('UpdateCommandResult', policyFor('UpdateCommandResult', call), call?.signal, () =>
        attempt('UpdateCommandResult', (signal) => raw.POST('/v3/sources/{server_id}/command_result', { params: { path: { server_id: serverId } }, body, signal }), call?.signal),
      );
    },
  };
}

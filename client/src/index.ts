/** sms-command-client: typed client and Agent loop for the SMS Agent command API. */
export { createSmsClient, authMiddleware, checkServerId, SERVER_ID_RULE } from './client.js';
export { signRequest, signingMiddleware } from './signing.js';
export type { AccessKey } from './signing.js';
export type { SmsClient, SmsClientOptions, CallOptions } from './client.js';
export { SmsApiError, SmsForbiddenError, SmsNetworkError, SmsTimeoutError, SmsInputError, isSmsApiError } from './errors.js';
export type { SmsErrorBody } from './errors.js';
export { DEFAULT_RETRY, backoffDelay, parseRetryAfter } from './retry.js';
export type { RetryOptions, RetryInfo } from './retry.js';
export { runAgent, UnknownCommandError } from './agent.js';
export type { AgentOptions, AgentStats, CommandHandler, CommandHandlers, HandlerContext } from './agent.js';
export { isKnownCommand, KNOWN_COMMAND_NAMES } from './commands.js';
export type { Command, KnownCommand, UnknownCommand, UnknownCommandName, CommandBody, CommandName, CommandParam, ReportedCommandName, ErrorBody, ForbiddenErrorBody, paths, components, operations } from './types.js';

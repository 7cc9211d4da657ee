/** The API's types, taken from the contract (src/generated/schema.ts, written by `npm run generate`; never by hand). */
import type { components, operations, paths } from './generated/schema.js';

export type { components, operations, paths };
/** The ShowCommand 200 body: the next command, or SKIP. */
export type Command = components['schemas']['Command'];
/** A command name the spec knows; the service may send newer ones, so code must tolerate others. */
export type CommandName = components['schemas']['CommandName'];
export type CommandParam = components['schemas']['CommandParam'];
/** The UpdateCommandResult request body (the SDKs' CommandBody). */
export type CommandBody = components['schemas']['CommandBody'];
export type ReportedCommandName = components['schemas']['ReportedCommandName'];
export type ErrorBody = components['schemas']['Error'];
export type ForbiddenErrorBody = components['schemas']['ForbiddenError'];
export type OperationName = keyof operations;

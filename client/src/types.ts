/** The API's types, taken from the contract (src/generated/schema.ts, written by `npm run generate`; never by hand). */
import type { components, operations, paths } from './generated/schema.js';

export type { components, operations, paths };
/** A ShowCommand 200 body as the spec lists it: START, STOP, DELETE, SYNC (with command_param), or SKIP. */
export type KnownCommand = components['schemas']['Command'];
/**
 * A command a newer service sends that this version of the spec does not list (since 2026: PREMIGRATE,
 * TASK_NOT_STARTED, TASK_HAS_STOPPED, TASK_HAS_FINISHED). Its parameters are whatever the service sent.
 */
export interface UnknownCommand {
  command_name: UnknownCommandName;
  command_param?: { [key: string]: unknown };
}
/** Any name outside CommandName (`string & {}` keeps editors suggesting the known names). */
export type UnknownCommandName = string & {};
/** What ShowCommand answers: a known command or an unknown one; narrow with isKnownCommand() before using it. */
export type Command = KnownCommand | UnknownCommand;
/** A command name the spec lists. */
export type CommandName = components['schemas']['CommandName'];
export type CommandParam = components['schemas']['CommandParam'];
/** The UpdateCommandResult request body (the SDKs' CommandBody). */
export type CommandBody = components['schemas']['CommandBody'];
export type ReportedCommandName = components['schemas']['ReportedCommandName'];
export type ErrorBody = components['schemas']['Error'];
export type ForbiddenErrorBody = components['schemas']['ForbiddenError'];
export type OperationName = keyof operations;

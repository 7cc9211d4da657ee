/** Telling the commands the spec lists from the ones a newer service sends. */
import type { Command, CommandName, KnownCommand } from './types.js';

/** Every name the spec lists; a Record so that tsc fails when the spec's enum and this list disagree. */
const KNOWN: Record<CommandName, true> = { START: true, STOP: true, DELETE: true, SYNC: true, SKIP: true };

/** The command names the spec lists. */
export const KNOWN_COMMAND_NAMES = Object.keys(KNOWN) as readonly CommandName[];

/** True when the spec lists this command (its command_param is then typed); false for a newer service's command. */
export function isKnownCommand(command: Command): command is KnownCommand {
  return Object.hasOwn(KNOWN, command.command_name);
}

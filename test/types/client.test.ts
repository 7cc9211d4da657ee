/**
 * Type-level tests of the client (checked by `npm run typecheck`): a ShowCommand answer may be a command
 * this spec does not list, and TypeScript makes callers handle that before they use it as a known one.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { isKnownCommand, type Command, type CommandName, type KnownCommand } from '../../client/src/index.js';

/** An exhaustive switch: compiles only when every case, the unknown one included, is handled. */
function describeCommand(command: Command): string {
  if (!isKnownCommand(command)) return `cannot run ${command.command_name}`;
  switch (command.command_name) {
    case 'START':
    case 'STOP':
    case 'DELETE':
    case 'SYNC':
      return `${command.command_name} ${command.command_param?.task_id ?? ''}`;
    case 'SKIP':
      return 'nothing to do';
    default: {
      const unreachable: never = command;
      return String(unreachable);
    }
  }
}

describe('client Command type', () => {
  it('is a known command or an unknown one; isKnownCommand narrows to the spec type', () => {
    expectTypeOf<KnownCommand>().toMatchTypeOf<Command>();
    expectTypeOf<Command['command_name']>().toMatchTypeOf<string>();
    const c = { command_name: 'PREMIGRATE' } as Command;
    // @ts-expect-error an unnarrowed command name may be one the spec does not list
    const name: CommandName = c.command_name;
    // @ts-expect-error an unnarrowed command cannot go where a known command is expected
    const known: KnownCommand = c;
    if (isKnownCommand(c)) expectTypeOf(c.command_name).toEqualTypeOf<CommandName>();
    void [name, known, describeCommand(c)];
  });
});

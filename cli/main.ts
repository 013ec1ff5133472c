/**
 * The `ecr-image-updater` CLI: the composition root for people and scripts. Exit codes: 0 done
 * (including "nothing to update"), 1 a failure, 2 invalid input or usage, with one line on stderr.
 */
import { InvalidInputError } from '../lib/domain/errors.ts';
import type { Command } from './command.ts';
import { appsCommand } from './commands/apps.ts';
import { demoCommand } from './commands/demo.ts';
import { historyCommand } from './commands/history.ts';
import { localCommand } from './commands/local.ts';
import { reconcileCommand } from './commands/reconcile.ts';
import { redriveCommand } from './commands/redrive.ts';
import { selectCommand } from './commands/select.ts';
import { type CliIo, EXIT, processIo } from './io.ts';

const COMMANDS: readonly Command[] = [
  selectCommand,
  appsCommand,
  reconcileCommand,
  redriveCommand,
  historyCommand,
  localCommand,
  demoCommand,
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: ecr-image-updater <command> [options]

Event-driven image updates for GitOps on AWS: an ECR push moves the Argo CD apps that follow the
repository to the tag their strategy allows.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run 'ecr-image-updater <command> --help' for a command's options.
`;
}

/** Runs the CLI with the given arguments and answers the exit code. */
export async function main(args: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    io.stdout(topic ? topic.help : usage());
    return name === undefined ? EXIT.invalid : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`ecr-image-updater: unknown command '${name}'; run ecr-image-updater --help for the list\n`);
    return EXIT.invalid;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof InvalidInputError) {
      io.stderr(`ecr-image-updater ${command.name}: ${error.message}\n`);
      return EXIT.invalid;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`ecr-image-updater ${command.name}: ${message}\n`);
    return EXIT.failure;
  }
}

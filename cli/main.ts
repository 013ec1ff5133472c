/**
 * The `ecr-image-updater` CLI: the composition root for people and scripts. Exit codes: 0 done
 * (including "nothing to update"), 1 a failure, 2 invalid input or usage, with one line on stderr.
 *
 * Each command's module is imported only when that command runs, so `--help` loads nothing and
 * `select` loads the selection core without the AWS SDK; `local` and `demo` live in the optional
 * package `@ecr-image-updater/local` (the local peers and the tutorial).
 */
import { InvalidInputError, quoteInput } from '../lib/domain/errors.ts';
import type { Command } from './command.ts';
import { describeFailure } from './describe-failure.ts';
import { type CliIo, EXIT, processIo } from './io.ts';
import { loadLocalCommand } from './load-local-command.ts';

interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'select',
    summary: 'pick the tag an image spec and strategy allow among candidate tags',
    load: async () => (await import('./commands/select.ts')).selectCommand,
  },
  {
    name: 'apps',
    summary: 'register, import, list, show, remove, pause and resume apps',
    load: async () => (await import('./commands/apps.ts')).appsCommand,
  },
  {
    name: 'reconcile',
    summary: 'bring apps to the tags their strategies allow now (on demand)',
    load: async () => (await import('./commands/reconcile.ts')).reconcileCommand,
  },
  {
    name: 'redrive',
    summary: 'replay the dead-letter queue through the same use case (reads first; --apply replays)',
    load: async () => (await import('./commands/redrive.ts')).redriveCommand,
  },
  {
    name: 'history',
    summary: "an app's decisions: trigger, tags considered, choice, write, timings",
    load: async () => (await import('./commands/history.ts')).historyCommand,
  },
  {
    name: 'local',
    summary: 'local mode: run the peers (up), push through the handler (push), see Argo CD and GitHub (show)',
    load: () => loadLocalCommand('local'),
  },
  {
    name: 'demo',
    summary: 'run the seed tutorial end to end on local peers (what npm start runs)',
    load: () => loadLocalCommand('demo'),
  },
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
  if (name === undefined || name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    io.stdout(usage());
    return name === undefined ? EXIT.invalid : EXIT.ok;
  }
  const [commandName, commandArgs] = name === 'help' ? [rest[0], ['--help']] : [name, rest];
  const entry = COMMANDS.find((c) => c.name === commandName);
  if (!entry) {
    if (name === 'help') {
      io.stdout(usage());
      return EXIT.ok;
    }
    io.stderr(
      `ecr-image-updater: unknown command ${quoteInput(name)}; run ecr-image-updater --help for the list\n`,
    );
    return EXIT.invalid;
  }
  try {
    const command = await entry.load();
    return await command.run(commandArgs, io);
  } catch (error) {
    if (error instanceof InvalidInputError) {
      io.stderr(`ecr-image-updater ${entry.name}: ${error.message}\n`);
      return EXIT.invalid;
    }
    io.stderr(`ecr-image-updater ${entry.name}: ${describeFailure(error, io.env)}\n`);
    return EXIT.failure;
  }
}

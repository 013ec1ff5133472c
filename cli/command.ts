import { type ParseArgsConfig, parseArgs } from 'node:util';
import { InvalidInputError } from '../lib/domain/errors.ts';
import type { CliIo } from './io.ts';

/** One CLI command, loaded when it is run (see `cli/main.ts`). `run` answers the exit code. */
export interface Command {
  readonly name: string;
  /** The whole --help text. */
  readonly help: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;
const HELP_FLAG = { help: { type: 'boolean', short: 'h' } } as const;
interface FlagConfig<T extends Options> {
  args: string[];
  options: T & typeof HELP_FLAG;
  strict: true;
  allowPositionals: true;
}
/** What {@link parseFlags} answers: Node's parsed values and positionals for the command's flags. */
export type ParsedFlags<T extends Options> = ReturnType<typeof parseArgs<FlagConfig<T>>>;

/**
 * Parses a command's flags strictly; an unknown or malformed flag becomes an {@link InvalidInputError}
 * naming the flag, so the CLI exits 2 with one line.
 */
export function parseFlags<T extends Options>(
  command: string,
  args: readonly string[],
  options: T,
): ParsedFlags<T> {
  try {
    const config: FlagConfig<T> = {
      args: [...args],
      options: { ...options, ...HELP_FLAG },
      strict: true,
      allowPositionals: true,
    };
    return parseArgs(config);
  } catch (error) {
    const message =
      error instanceof Error ? error.message.replace(/\. To specify a positional.*$/s, '') : String(error);
    throw new InvalidInputError('usage', message, `see ecr-image-updater ${command} --help`);
  }
}

import { type ParseArgsConfig, parseArgs } from 'node:util';
import { InvalidInputError } from '../lib/domain/errors.ts';
import type { CliIo } from './io.ts';

/** One CLI command. `run` answers the exit code. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  /** The whole --help text. */
  readonly help: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a command's flags strictly; an unknown or malformed flag becomes an {@link InvalidInputError}
 * naming the flag, so the CLI exits 2 with one line.
 */
export function parseFlags<T extends Options>(command: string, args: readonly string[], options: T) {
  try {
    return parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    const message =
      error instanceof Error ? error.message.replace(/\. To specify a positional.*$/s, '') : String(error);
    throw new InvalidInputError('usage', message, `see ecr-image-updater ${command} --help`);
  }
}

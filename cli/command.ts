import { type ParseArgsConfig, parseArgs } from 'node:util';
import { InvalidInputError, quoteInput } from '../lib/domain/errors.ts';
import { nearestName } from '../lib/domain/nearest-name.ts';
import type { CliIo } from './io.ts';

/** The flags of a command or of one of its actions, as Node's parseArgs takes them. */
export type Flags = NonNullable<ParseArgsConfig['options']>;

/** One CLI command, loaded when it is run (see `cli/main.ts`). `run` answers the exit code. */
export interface Command {
  readonly name: string;
  /** The whole --help text. */
  readonly help: string;
  /**
   * What it accepts besides -h/--help: its flags, or each action's (apps register, local up). The help
   * lists exactly these (test/e2e/cli-options checks it).
   */
  readonly accepts: { readonly flags: Flags } | { readonly actions: Readonly<Record<string, Flags>> };
  run(args: readonly string[], io: CliIo): Promise<number>;
}

const HELP_FLAG = { help: { type: 'boolean', short: 'h' } } as const;
interface FlagConfig<T extends Flags> {
  args: string[];
  options: T & typeof HELP_FLAG;
  strict: true;
  allowPositionals: true;
}
/** What {@link parseFlags} answers: Node's parsed values and positionals for the command's flags. */
export type ParsedFlags<T extends Flags> = ReturnType<typeof parseArgs<FlagConfig<T>>>;

/**
 * Parses the flags of a command (or of an action: `command` is then 'apps register') strictly. An
 * option it does not take, or a malformed one, becomes an {@link InvalidInputError} naming it, and
 * the nearest option it does take or the action it belongs to (`elsewhere`, by label), so the CLI
 * exits 2 with one line.
 */
export function parseFlags<T extends Flags>(
  command: string,
  args: readonly string[],
  options: T,
  elsewhere: Readonly<Record<string, Flags>> = {},
): ParsedFlags<T> {
  const config: FlagConfig<T> = {
    args: [...args],
    options: { ...options, ...HELP_FLAG },
    strict: true,
    allowPositionals: true,
  };
  refuseUnknownOptions(command, config.options, args, elsewhere);
  try {
    return parseArgs(config);
  } catch (error) {
    const message =
      error instanceof Error ? error.message.replace(/\. To specify a positional.*$/s, '') : String(error);
    throw new InvalidInputError('usage', message, `see ecr-image-updater ${command} --help`);
  }
}

/**
 * The flags of a command's other actions, by label ('apps import'), for {@link parseFlags} to say
 * where an option belongs.
 */
export function otherActions(
  command: string,
  action: string,
  actions: Readonly<Record<string, Flags>>,
): Record<string, Flags> {
  return Object.fromEntries(
    Object.entries(actions)
      .filter(([name]) => name !== action)
      .map(([name, flags]) => [`${command} ${name}`, flags]),
  );
}

/**
 * {@link parseFlags} for one action of a command with actions (`apps show`): its own flags, an option
 * of another action named as such, and at most `arguments` positionals after the action's name.
 */
export function parseActionFlags<T extends Flags>(
  command: string,
  args: readonly string[],
  action: { readonly name: string; readonly flags: T; readonly arguments: number },
  actions: Readonly<Record<string, Flags>>,
): ParsedFlags<T> {
  const label = `${command} ${action.name}`;
  const parsed = parseFlags(label, args, action.flags, otherActions(command, action.name, actions));
  refuseExtraArguments(label, parsed.positionals, 1 + action.arguments);
  return parsed;
}

/**
 * The action of a command with actions (its first positional) and whether help was asked, read with
 * every action's flags so that an option's value is not taken for the action. The action then parses
 * its own flags strictly ({@link parseFlags} with {@link otherActions}).
 */
export function findAction(
  args: readonly string[],
  actions: Readonly<Record<string, Flags>>,
): { readonly action: string | undefined; readonly help: boolean } {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: Object.assign({}, ...Object.values(actions), HELP_FLAG) as Flags,
    strict: false,
    allowPositionals: true,
  });
  return { action: positionals[0], help: values.help === true };
}

/** Refuses positionals beyond the `expected` count: `select extra` is a mistake, not a no-op. */
export function refuseExtraArguments(
  command: string,
  positionals: readonly string[],
  expected: number,
): void {
  const extra = positionals.slice(expected);
  if (extra.length > 0)
    throw new InvalidInputError(
      'usage',
      `unexpected ${quoteInput(extra.join(' '))}`,
      `see ecr-image-updater ${command} --help`,
    );
}

function refuseUnknownOptions(
  command: string,
  accepted: Flags,
  args: readonly string[],
  elsewhere: Readonly<Record<string, Flags>>,
): void {
  const { tokens } = parseArgs({
    args: [...args],
    options: accepted,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== 'option' || Object.hasOwn(accepted, token.name)) continue;
    throw new InvalidInputError(
      'usage',
      `unknown option ${quoteInput(token.rawName)} for ${command}`,
      hint(command, token.name, token.rawName.startsWith('--'), accepted, elsewhere),
    );
  }
}

// Where the option belongs, else the nearest option the command takes, else every option it takes.
function hint(
  command: string,
  name: string,
  long: boolean,
  accepted: Flags,
  elsewhere: Readonly<Record<string, Flags>>,
): string {
  const takes = (flags: Flags) =>
    long ? Object.hasOwn(flags, name) : Object.values(flags).some((flag) => flag.short === name);
  const owner = Object.entries(elsewhere).find(([, flags]) => takes(flags))?.[0];
  if (owner) return `it is an option of ${owner}`;
  const nearest = long
    ? nearestName(name, Object.keys(accepted), Math.min(3, Math.max(1, Math.floor(name.length / 3))))
    : undefined;
  if (nearest) return `did you mean --${nearest}?`;
  const list = Object.entries(accepted).map(([flag, { short }]) =>
    short ? `-${short}/--${flag}` : `--${flag}`,
  );
  return `${command} takes ${list.join(', ')}`;
}

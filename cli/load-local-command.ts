import type { Command } from './command.ts';

/** The optional package that holds the local peers, the tutorial and the `local` and `demo` commands. */
export const LOCAL_PACKAGE = '@ecr-image-updater/local';

/** Raised when a command needs the local package and it is not installed. */
export class LocalPackageMissingError extends Error {
  override readonly name = 'LocalPackageMissingError';
  constructor(command: string, cause: unknown) {
    super(
      `'${command}' runs on the local peers, which are in the package ${LOCAL_PACKAGE}; ` +
        `add it next to ecr-image-updater (npm install --save-dev ${LOCAL_PACKAGE}) and run it again`,
      { cause },
    );
  }
}

/**
 * Imports the `local` or `demo` command from the local package. The specifier is a variable on
 * purpose: the product neither type-checks nor bundles against a package it does not depend on.
 */
export async function loadLocalCommand(name: 'local' | 'demo'): Promise<Command> {
  const specifier = `${LOCAL_PACKAGE}/cli/${name}-command`;
  let module: Record<string, unknown>;
  try {
    module = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    if (isPackageMissing(error, specifier)) throw new LocalPackageMissingError(name, error);
    throw error;
  }
  const command = module[`${name}Command`];
  if (!isCommand(command)) throw new Error(`${specifier} does not export ${name}Command`);
  return command;
}

function isPackageMissing(error: unknown, specifier: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  // Node says ERR_MODULE_NOT_FOUND naming the package; Vite's resolver words it "Cannot find package".
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') &&
    (message.includes(`'${LOCAL_PACKAGE}'`) || message.includes(specifier))
  );
}

function isCommand(value: unknown): value is Command {
  return typeof value === 'object' && value !== null && typeof (value as Command).run === 'function';
}

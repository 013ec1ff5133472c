import { readFile } from 'node:fs/promises';
import { InvalidInputError, quoteInput } from '../lib/domain/errors.ts';

/** The text of a file, or of standard input for '-'; an unreadable file is invalid input naming the flag. */
export async function readInput(
  source: string,
  flag: string,
  readStdin: () => Promise<string>,
  fix: string,
): Promise<string> {
  try {
    return source === '-' ? await readStdin() : await readFile(source, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new InvalidInputError(flag, `cannot read ${quoteInput(source)} (${reason})`, fix);
  }
}

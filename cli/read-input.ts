import { open } from 'node:fs/promises';
import { InvalidInputError, quoteInput } from '../lib/domain/errors.ts';

/**
 * How large an input file may be: registrations for `apps register -f` (a registration is well under
 * 10 KB), Argo CD Application manifests for `apps import` (`kubectl get applications -o yaml` of many
 * apps, status included). Larger input is refused before it is read whole or parsed.
 */
export const INPUT_LIMITS = { registrations: 1024 * 1024, manifests: 4 * 1024 * 1024 } as const;

/**
 * The text of a file, or of standard input for '-'; an unreadable file is invalid input naming the flag,
 * and so is one larger than `limitBytes` (when given), which is never read past the limit.
 */
export async function readInput(
  source: string,
  flag: string,
  readStdin: (limitBytes?: number) => Promise<string>,
  fix: string,
  limitBytes?: number,
): Promise<string> {
  let text: string;
  try {
    text = source === '-' ? await readStdin(limitBytes) : await readFileUpTo(source, limitBytes);
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new InvalidInputError(flag, `cannot read ${quoteInput(source)} (${reason})`, fix);
  }
  if (limitBytes !== undefined && Buffer.byteLength(text) > limitBytes) {
    const what = source === '-' ? 'standard input' : quoteInput(source);
    throw new InvalidInputError(
      flag,
      `${what} is larger than the limit of ${formatBytes(limitBytes)}`,
      'split it into several files',
    );
  }
  return text;
}

/** `1 MiB`, `4 MiB`, or bytes when not a whole number of MiB. */
export function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : `${bytes} bytes`;
}

// At most one byte past the limit is read: enough to know that the file is too large.
async function readFileUpTo(path: string, limitBytes: number | undefined): Promise<string> {
  const file = await open(path, 'r');
  try {
    if (limitBytes === undefined) return await file.readFile('utf8');
    const buffer = Buffer.alloc(limitBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await file.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    await file.close();
  }
}

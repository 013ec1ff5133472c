/** What a command may touch of the process: injected so tests can run commands in-process. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /**
   * Reads standard input whole; with `limitBytes`, stops reading once more than that many bytes came,
   * so that the caller can refuse the input without holding all of it.
   */
  readonly readStdin: (limitBytes?: number) => Promise<string>;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** The real process. */
export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: async (limitBytes) => {
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of process.stdin) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (limitBytes !== undefined && length > limitBytes) break;
    }
    return Buffer.concat(chunks).toString('utf8');
  },
  env: process.env,
};

/** Exit codes: 0 done (including "nothing to update"), 1 a failure, 2 invalid input or usage. */
export const EXIT = { ok: 0, failure: 1, invalid: 2 } as const;

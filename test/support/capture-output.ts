/**
 * What a synchronous action writes to standard output and standard error, one entry per line. For
 * adapters that write to the process's streams themselves (Powertools' Logger and Metrics build their
 * own console on them), with nothing else able to write while the action runs.
 */
export function captureOutput(action: () => void): { stdout: string[]; stderr: string[] } {
  const captured = { stdout: '', stderr: '' };
  const streams = { stdout: process.stdout, stderr: process.stderr } as const;
  const originals = { stdout: process.stdout.write, stderr: process.stderr.write };
  for (const name of ['stdout', 'stderr'] as const) {
    streams[name].write = ((chunk: string | Uint8Array) => {
      captured[name] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    }) as typeof process.stdout.write;
  }
  try {
    action();
  } finally {
    streams.stdout.write = originals.stdout;
    streams.stderr.write = originals.stderr;
  }
  const lines = (text: string) => text.split('\n').filter((line) => line !== '');
  return { stdout: lines(captured.stdout), stderr: lines(captured.stderr) };
}

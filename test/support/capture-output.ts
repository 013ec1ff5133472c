/**
 * The output of adapters that write to the process's streams themselves: Powertools' Logger and Metrics
 * build their own console on standard output and standard error, with no other place to write to.
 */
import type { MetricsPublisher } from '../../functions/image-push.ts';

/** What a synchronous action writes (nothing else can write meanwhile), one entry per line. */
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

/** Publishes through `metrics` and keeps the lines it writes to standard output: the EMF documents. */
export function keepingLines(metrics: MetricsPublisher): { metrics: MetricsPublisher; lines: string[] } {
  const lines: string[] = [];
  const publish: MetricsPublisher['publish'] = (points, timestamp) => {
    const { stdout, stderr } = captureOutput(() => metrics.publish(points, timestamp));
    lines.push(...stdout);
    for (const line of stderr) process.stderr.write(`${line}\n`);
  };
  return { metrics: { publish }, lines };
}

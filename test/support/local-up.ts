import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BIN } from './run-cli.ts';

/** A `local up` running as the real binary in its own process, as a user runs it in shell 1. */
export interface RunningLocalUp {
  /** What it printed so far. */
  readonly output: () => string;
  /** The environment of its env file, as `source` would set it. */
  readonly env: Record<string, string>;
  /** Ctrl-C: stops it and answers its exit code. */
  readonly stop: () => Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Starts `ecr-image-updater local up --env-out <envFile> ...args` and waits until it says ready. */
export async function startLocalUp(envFile: string, args: readonly string[] = []): Promise<RunningLocalUp> {
  const child = spawn(process.execPath, [BIN, 'local', 'up', '--env-out', envFile, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local up did not get ready: ${output}`)), 20_000);
    const check = () => {
      if (output.includes('\nready\n')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`local up exited ${code} before it was ready: ${output}`));
    });
  });
  const env = Object.fromEntries(
    readFileSync(envFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const [, name, value] = /^export ([A-Z_]+)=(.*)$/.exec(line)!;
        return [name!, shellUnquote(value!)];
      }),
  );
  return {
    output: () => output,
    env,
    stop: () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}

/** Stops every `local up` a test left running (for afterAll), so a failed assertion leaks no process. */
export async function stopEveryLocalUp(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGINT');
        }),
    ),
  );
}

// A value as a POSIX shell reads it: bare, or in single quotes with '\'' for a quote (the connections' JSON).
function shellUnquote(value: string): string {
  if (!value.startsWith("'")) return value;
  return value.slice(1, -1).replaceAll("'\\''", "'");
}

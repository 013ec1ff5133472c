import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../../cli/main.ts';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in this process with captured output (fast; the same code path as the binary). */
export async function runCli(
  args: readonly string[],
  stdin = '',
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: async () => stdin,
    env,
  });
  return { code, stdout, stderr };
}

export const BIN = fileURLToPath(new URL('../../bin/ecr-image-updater.js', import.meta.url));

/** Runs the real `ecr-image-updater` binary as a user would, through Node and the tsx loader. */
export function runBinary(
  args: readonly string[],
  stdin = '',
  env: NodeJS.ProcessEnv = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

import { main } from '/work/wt-imageupdater/cli/main.ts';
const code = await main(process.argv.slice(2), {
  stdout: (t: string) => process.stdout.write(t),
  stderr: (t: string) => process.stderr.write(t),
  env: process.env as Record<string, string>,
  readStdin: async () => '',
} as never);
process.exitCode = code;

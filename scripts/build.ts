/**
 * `npm run build` (also run by `prepare`, so by `npm ci` and `npm pack`): the product's distribution in
 * dist/, then the local package's.
 * - dist/{lib,cli,functions,infra}: ESM JavaScript and declarations, compiled by tsc (tsconfig.build.json).
 * - dist/infra/index.cjs: the construct for CommonJS CDK apps (the `cdk init` shape), one file.
 * - dist/function/index.mjs: the Lambda, bundled by the construct's own esbuild definition
 *   (infra/function-bundling.ts), so a consumer synthesizes with neither esbuild nor Docker and the asset
 *   hash is the same on every machine.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import {
  FUNCTION_PACKAGE_JSON,
  functionBuildOptions,
  separateModuleBuildOptions,
} from '../infra/function-bundling.ts';

const TSC = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = fileURLToPath(new URL('../dist/', import.meta.url));

function run(command: string, args: readonly string[], cwd = root): void {
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`build: ${command} ${args.join(' ')} failed\n`);
    process.exit(result.status ?? 1);
  }
}

rmSync(dist, { recursive: true, force: true });
run(process.execPath, [TSC, '-p', 'tsconfig.build.json']);

await build({ ...functionBuildOptions(`${dist}function`), logLevel: 'warning' });
await build({ ...separateModuleBuildOptions(`${dist}function`), logLevel: 'warning' });
writeFileSync(`${dist}function/package.json`, FUNCTION_PACKAGE_JSON);

await build({
  entryPoints: [fileURLToPath(new URL('../infra/index.ts', import.meta.url))],
  outfile: `${dist}infra/index.cjs`,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // aws-cdk-lib and constructs are the consumer's (peer dependencies); the rest are ours.
  packages: 'external',
  // The construct finds its prebuilt function next to itself, from import.meta.url.
  define: { 'import.meta.url': '__ecrImageUpdaterModuleUrl' },
  banner: { js: "const __ecrImageUpdaterModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});

run('npm', ['run', 'build', '--workspace', '@ecr-image-updater/local', '--silent']);

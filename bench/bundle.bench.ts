/**
 * The Lambda bundle's size and cold import time (goals: at most 450 KB, 450,000 bytes, minified; at most 150 ms above
 * a bare `node -e ''`). The bundle is built with esbuild's API from the settings the construct ships
 * (infra/function-bundling.ts); sizes come from esbuild's metafile, import times are the median of
 * fresh Node processes, alternated with bare ones so both see the same machine. Figures only, no
 * assertions. Run with `npm run bench:bundle` (`-- --runs=31` for more samples).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { functionBuildOptions } from '../infra/function-bundling.ts';

const KIB = 1024;
const GOAL_BYTES = 450_000;
const GOAL_IMPORT_MS = 150;
const runsArg = process.argv.find((arg) => arg.startsWith('--runs='));
const RUNS = Math.max(15, Number(runsArg?.slice('--runs='.length) ?? 21) || 21);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Who a bundled input (a path from the project root) belongs to: its package, or our folder (`lib/domain`). */
function owner(input: string): string {
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (inPackage) return inPackage[1]!;
  const parts = input.split('/');
  return parts[0] === 'lib' || parts[0] === 'infra' ? parts.slice(0, 2).join('/') : parts[0]!;
}

function contributors(metafile: Metafile): Array<[string, number]> {
  const output = Object.values(metafile.outputs).find((entry) => entry.entryPoint !== undefined);
  const bytes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {}))
    bytes.set(owner(input), (bytes.get(owner(input)) ?? 0) + bytesInOutput);
  return [...bytes].sort((a, b) => b[1] - a[1]);
}

/** Wall time of one fresh `node` process, in ms. */
function timeNode(args: readonly string[]): number {
  const start = performance.now();
  const run = spawnSync(process.execPath, args, {
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ms = performance.now() - start;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${run.stderr}`);
  return ms;
}

function coldImports(bundle: string): { bare: number; plain: number; sourceMaps: number } {
  const load = `await import(${JSON.stringify(pathToFileURL(bundle).href)})`;
  const bareArgs = ['-e', ''];
  const plainArgs = ['--input-type=module', '-e', load];
  // The function runs with NODE_OPTIONS=--enable-source-maps, which reads the map on import.
  const mapsArgs = ['--enable-source-maps', ...plainArgs];
  for (const args of [bareArgs, plainArgs, mapsArgs]) timeNode(args); // warm the file cache
  const samples = { bare: [] as number[], plain: [] as number[], sourceMaps: [] as number[] };
  for (let i = 0; i < RUNS; i++) {
    samples.bare.push(timeNode(bareArgs));
    samples.plain.push(timeNode(plainArgs));
    samples.sourceMaps.push(timeNode(mapsArgs));
  }
  return { bare: median(samples.bare), plain: median(samples.plain), sourceMaps: median(samples.sourceMaps) };
}

const dir = mkdtempSync(join(tmpdir(), 'bundle-bench-'));
try {
  const { metafile } = await build({
    ...functionBuildOptions(dir),
    metafile: true,
    logLevel: 'warning',
  });
  const bundle = join(dir, 'index.mjs');
  const code = readFileSync(bundle);
  const minified = code.length;
  const gzipped = gzipSync(code).length;
  const times = coldImports(bundle);

  const kib = (bytes: number) => `${(bytes / KIB).toFixed(1)} KiB`;
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  const goal = (ok: boolean) => (ok ? 'met' : 'NOT MET');
  const row = (label: string, value: string, note = '') =>
    console.log(`${label.padEnd(44)} ${value.padStart(12)}  ${note}`);

  console.log(
    `Lambda bundle (infra/function-bundling.ts), node ${process.version}, median of ${RUNS} cold imports\n`,
  );
  row(
    'minified',
    kib(minified),
    `${minified.toLocaleString('en')} bytes, goal <= 450,000 bytes: ${goal(minified <= GOAL_BYTES)}`,
  );
  row('gzipped', kib(gzipped), `${((gzipped / minified) * 100).toFixed(0)}% of minified`);
  row("bare node -e ''", ms(times.bare));
  row('cold import of the bundle', ms(times.plain), `${(times.plain / times.bare).toFixed(2)}x bare`);
  const above = times.plain - times.bare;
  row('  above bare node', ms(above), `goal <= ${GOAL_IMPORT_MS} ms: ${goal(above <= GOAL_IMPORT_MS)}`);
  row('cold import with --enable-source-maps', ms(times.sourceMaps), 'as the function runs (NODE_OPTIONS)');
  row('  above bare node', ms(times.sourceMaps - times.bare));

  console.log('\nTop contributors (esbuild metafile, bytes in the minified output)\n');
  const top = contributors(metafile);
  for (const [name, bytes] of top.slice(0, 15))
    row(name, kib(bytes), `${((bytes / minified) * 100).toFixed(1)}%`);
  const rest = top.slice(15);
  row(`${rest.length} others`, kib(rest.reduce((sum, [, bytes]) => sum + bytes, 0)));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The Lambda bundle's cold import beside a bare `node -e ''`, for the bundle as it ships and the
 * variants of bench/support/bundle-variants.ts (goal: the function's entry, imported as the function
 * runs it with --enable-source-maps, at most 60 ms above bare node). Bundles are built with esbuild's
 * API from the construct's settings (infra/function-bundling.ts); sizes come from the files. Every
 * import is a fresh Node process; each round runs bare node and every bundle once, in shuffled order;
 * the figures are medians and 90th percentiles of the rounds, differences paired by round, in wall and
 * CPU time (bench/support/cold-import.ts). Figures only, no assertions. Run with `npm run bench:bundle`
 * (`-- --runs=30` for more rounds).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Metafile } from 'esbuild';
import { BUNDLE_VARIANTS, buildVariant } from './support/bundle-variants.ts';
import {
  alternatingRuns,
  median,
  medianInterval,
  pairedDifferences,
  percentile,
  REPORT_CPU_AT_EXIT,
  type Sample,
} from './support/cold-import.ts';

const KIB = 1024;
const GOAL_ABOVE_BARE_MS = 60;
const runsArg = process.argv.find((arg) => arg.startsWith('--runs='));
const ROUNDS = Math.max(15, Number(runsArg?.slice('--runs='.length) ?? 20) || 20);

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

const bareArgs = ['-e', REPORT_CPU_AT_EXIT];
const importArgs = (bundle: string) => [
  '--input-type=module',
  '-e',
  `${REPORT_CPU_AT_EXIT}await import(${JSON.stringify(pathToFileURL(bundle).href)});`,
];
// The function runs with NODE_OPTIONS=--enable-source-maps, which reads the map on import.
const asTheFunctionRuns = (bundle: string) => ['--enable-source-maps', ...importArgs(bundle)];

const ms = (value: number, sign = false) => `${sign && value >= 0 ? '+' : ''}${value.toFixed(1)}`;
const count = (value: number, sign = false) =>
  `${sign && value >= 0 ? '+' : ''}${value.toLocaleString('en')}`;
const cells = (values: readonly string[], widths: readonly number[]) =>
  values.map((value, i) => (i === 0 ? value.padEnd(widths[i]!) : value.padStart(widths[i]!))).join(' ');

const dir = mkdtempSync(join(tmpdir(), 'bundle-bench-'));
try {
  const built = [];
  for (const variant of BUNDLE_VARIANTS) {
    const outdir = join(dir, `variant-${built.length}`);
    const metafile = await buildVariant(variant, outdir);
    const bundle = join(outdir, 'index.mjs');
    const code = readFileSync(bundle);
    built.push({ ...variant, bundle, bytes: code.length, gzip: gzipSync(code).length, metafile });
  }
  const [shipped, ...others] = built;

  const commands: Array<readonly [string, readonly string[]]> = [
    ['bare', bareArgs],
    ['no maps', importArgs(shipped!.bundle)],
    ...built.map(({ key, bundle }) => [key, asTheFunctionRuns(bundle)] as const),
  ];
  const times = alternatingRuns(commands, ROUNDS);
  const series = (key: string, measure: keyof Sample) => times.get(key)!.map((sample) => sample[measure]);
  const aboveBare = (key: string, measure: keyof Sample) =>
    pairedDifferences(series(key, measure), series('bare', measure));

  console.log(
    `Lambda bundle (infra/function-bundling.ts) and variants, node ${process.version}, ${availableParallelism()} CPUs\n`,
  );
  console.log(
    `Cold import of the entry as the function runs it (--enable-source-maps), in ms: median and p90 of ${ROUNDS} rounds,\n` +
      'each running bare node and every bundle once, in shuffled order; "above bare" pairs a run with its round\'s bare node.\n' +
      'Wall time also counts waits for a core that another process holds; CPU time does not, and the goal is judged on it.\n',
  );
  const widths = [40, 9, 9, 7, 7, 7, 7, 7, 7, 7, 7, 8];
  const header = ['', '', '', 'wall', '', 'above', 'bare', 'CPU', '', 'above', 'bare', 'goal'];
  console.log(cells(header, widths));
  const header2 = [
    '',
    'bytes',
    'gzip',
    'median',
    'p90',
    'median',
    'p90',
    'median',
    'p90',
    'median',
    'p90',
    '<= 60',
  ];
  console.log(cells(header2, widths));
  const figures = (key: string) =>
    (['wall', 'cpu'] as const).flatMap((measure) => {
      const own = series(key, measure);
      if (key === 'bare') return [ms(median(own)), ms(percentile(own, 90)), '', ''];
      const above = aboveBare(key, measure);
      return [
        ms(median(own)),
        ms(percentile(own, 90)),
        ms(median(above), true),
        ms(percentile(above, 90), true),
      ];
    });
  console.log(cells(["bare node -e ''", '', '', ...figures('bare'), ''], widths));
  for (const { key, label, bytes, gzip } of built) {
    const goal = median(aboveBare(key, 'cpu')) <= GOAL_ABOVE_BARE_MS ? 'met' : 'NOT MET';
    console.log(cells([label, count(bytes), count(gzip), ...figures(key), goal], widths));
  }
  const noMaps = [`${shipped!.label}, no source maps`, count(shipped!.bytes), count(shipped!.gzip)];
  console.log(cells([...noMaps, ...figures('no maps'), ''], widths));
  const busy = median(series('bare', 'wall')) / median(series('bare', 'cpu'));
  if (busy > 1.25)
    console.log(`\nThe machine was busy: bare node's wall time was ${busy.toFixed(2)}x its CPU time.`);

  const compare = (key: string, measure: keyof Sample) => {
    const differences = pairedDifferences(series(key, measure), series(shipped!.key, measure));
    const [low, high] = medianInterval(differences);
    return { median: median(differences), low, high };
  };
  const control = others.find((variant) => variant.control);
  const floor = control
    ? Math.max(Math.abs(compare(control.key, 'cpu').low), Math.abs(compare(control.key, 'cpu').high))
    : 0;
  console.log(
    `\nAgainst ${shipped!.label}, paired by round: the median difference in ms and its 90% bootstrap interval.\n` +
      `Noise floor: ${ms(floor)} ms of CPU time, the widest the interval of the same bytes run again reaches (the A/A row);\n` +
      'a difference is noise when its CPU interval holds 0 or its median is within the floor.\n',
  );
  const against = [40, 9, 7, 16, 7, 16, 8];
  console.log(cells(['', 'bytes', 'CPU', '', 'wall', '', 'reading'], against));
  const interval = ({ low, high }: { low: number; high: number }) => `[${ms(low, true)}, ${ms(high, true)}]`;
  for (const { key, label, bytes } of others) {
    const cpu = compare(key, 'cpu');
    const wall = compare(key, 'wall');
    const noise = (cpu.low <= 0 && cpu.high >= 0) || Math.abs(cpu.median) <= floor;
    const reading = noise ? 'noise' : cpu.median > 0 ? 'slower' : 'faster';
    const row = [label, count(bytes - shipped!.bytes, true), ms(cpu.median, true), interval(cpu)];
    console.log(cells([...row, ms(wall.median, true), interval(wall), reading], against));
  }

  console.log(`\nTop contributors to ${shipped!.label} (esbuild metafile, bytes in the minified output)\n`);
  const top = contributors(shipped!.metafile);
  const share = (size: number) => `${((size / shipped!.bytes) * 100).toFixed(1)}%`;
  const row = (name: string, size: number) =>
    console.log(cells([name, `${(size / KIB).toFixed(1)} KiB`, share(size)], [40, 10, 6]));
  for (const [name, size] of top.slice(0, 15)) row(name, size);
  const rest = top.slice(15);
  row(
    `${rest.length} others`,
    rest.reduce((sum, [, size]) => sum + size, 0),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

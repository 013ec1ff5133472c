/**
 * How long the installed CLI takes to answer, side by side with a bare `node -e ''` in the same run
 * (goals: `--help` at most 100 ms above bare node; `select` over 1,000 candidates at most 150 ms above).
 * Runs the compiled CLI that `npm run build` makes (bin/ecr-image-updater.js -> dist/), as a user's
 * shell does: one new process per call. Each figure is the median (and p90) of alternating runs, so a
 * busy moment of the machine falls on every variant alike. Run with `npm run bench`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'ecr-image-updater.js');
const RUNS = 21;

if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
  process.stderr.write('cli-startup bench: no compiled CLI in dist/; run `npm run build` first\n');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'cli-startup-'));
const candidates = join(dir, 'candidates.json');
writeFileSync(
  candidates,
  JSON.stringify(
    Array.from({ length: 1000 }, (_, i) => ({
      tag: `${i % 4}.${Math.floor(i / 4) % 50}.${i}`,
      digest: `sha256:${i.toString(16).padStart(64, '0')}`,
      pushedAt: new Date(1_790_000_000_000 + i * 1000).toISOString(),
    })),
  ),
);

interface Variant {
  readonly name: string;
  readonly args: readonly string[];
  readonly goalMs?: number;
}

const VARIANTS: readonly Variant[] = [
  { name: "bare node -e ''", args: ['-e', ''] },
  { name: 'ecr-image-updater --help', args: [BIN, '--help'], goalMs: 100 },
  {
    name: 'ecr-image-updater select (1,000 candidates)',
    args: [BIN, 'select', '--image', 'flask-app:~1.0', '--candidates', candidates],
    goalMs: 150,
  },
];

function runOnce(args: readonly string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, {
    encoding: 'utf8',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0)
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;
}

// One warm-up each (the file system cache), then alternating runs.
for (const variant of VARIANTS) runOnce(variant.args);
const times = new Map<string, number[]>(VARIANTS.map((v) => [v.name, []]));
for (let run = 0; run < RUNS; run++) {
  for (const variant of VARIANTS) times.get(variant.name)?.push(runOnce(variant.args));
}
rmSync(dir, { recursive: true, force: true });

const bare = percentile(times.get(VARIANTS[0]?.name ?? '') ?? [], 0.5);
const rows = VARIANTS.map((variant) => {
  const samples = times.get(variant.name) ?? [];
  const median = percentile(samples, 0.5);
  const above = median - bare;
  return [
    variant.name,
    median.toFixed(0),
    percentile(samples, 0.9).toFixed(0),
    variant.goalMs === undefined ? '' : `+${above.toFixed(0)}`,
    variant.goalMs === undefined ? '' : `<= +${variant.goalMs}`,
    variant.goalMs === undefined ? '' : above <= variant.goalMs ? 'met' : 'MISSED',
  ];
});
const header = ['command', 'median ms', 'p90 ms', 'above bare node', 'goal', ''];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells: readonly string[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
console.log(`CLI start-up, compiled CLI, ${RUNS} alternating runs each (Node ${process.versions.node})\n`);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of rows) console.log(line(row));

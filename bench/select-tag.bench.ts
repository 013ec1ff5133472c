/**
 * Selection time per strategy over 1,000 and 10,000 tags (goal: 10,000 tags in at most 20 ms).
 * Each figure is the median of repeated runs after a warm-up, building the policy once as a registration
 * does. Run with `npm run bench`.
 */
import { selectTag } from '../lib/domain/tags/select-tag.ts';
import type { TagCandidate } from '../lib/domain/tags/tag-candidate.ts';
import { buildTagPolicy, type TagPolicySettings } from '../lib/domain/tags/tag-policy.ts';

const GOAL_MS = 20;

// A realistic mix: releases, pre-releases, v-prefixed tags, git SHAs and moving tags.
function makeTags(count: number): TagCandidate[] {
  return Array.from({ length: count }, (_, i) => {
    const kind = i % 10;
    const version = `${i % 5}.${Math.floor(i / 5) % 40}.${i}`;
    const tag =
      kind === 7
        ? `v${version}`
        : kind === 8
          ? `${version}-rc.${i % 9}`
          : kind === 9
            ? `sha-${(i * 2654435761).toString(16).slice(0, 7)}`
            : version;
    return {
      tag,
      digest: `sha256:${i.toString(16).padStart(64, '0')}`,
      pushedAt: 1_790_000_000_000 + i * 1000,
    };
  });
}

const SCENARIOS: ReadonlyArray<readonly [string, TagPolicySettings]> = [
  ['semver ~3.1', { constraint: '~3.1' }],
  ['semver >=1.2 <4 || ^4.x-0', { constraint: '>=1.2 <4 || ^4.x-0' }],
  [
    'semver, allow + ignore',
    { constraint: '^2', allowTags: 'regexp:^[0-9]+\\.[0-9]+\\.[0-9]+$', ignoreTags: '*-rc*,2.3.*' },
  ],
  ['newest-build', { strategy: 'newest-build' }],
  ['alphabetical', { strategy: 'alphabetical' }],
  ['digest', { strategy: 'digest', constraint: '3.1.9901' }],
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(settings: TagPolicySettings, tags: TagCandidate[], runs: number): number {
  const policy = buildTagPolicy(settings);
  for (let i = 0; i < 3; i++) selectTag(policy, tags);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    selectTag(policy, tags);
    samples.push(performance.now() - start);
  }
  return median(samples);
}

const small = makeTags(1_000);
const large = makeTags(10_000);
const rows = SCENARIOS.map(([name, settings]) => {
  const ms1k = time(settings, small, 41);
  const ms10k = time(settings, large, 21);
  return { name, ms1k, ms10k, ok: ms10k <= GOAL_MS };
});

const pad = (text: string, width: number) => text.padEnd(width);
const num = (ms: number) => ms.toFixed(2).padStart(9);
console.log(
  `Tag selection, median of repeated runs (node ${process.version}, goal: 10,000 tags <= ${GOAL_MS} ms)\n`,
);
console.log(`${pad('strategy', 28)} ${'1,000 ms'.padStart(9)} ${'10,000 ms'.padStart(9)}  goal`);
console.log(`${'-'.repeat(28)} ${'-'.repeat(9)} ${'-'.repeat(9)}  ----`);
for (const row of rows)
  console.log(`${pad(row.name, 28)} ${num(row.ms1k)} ${num(row.ms10k)}  ${row.ok ? 'met' : 'MISSED'}`);

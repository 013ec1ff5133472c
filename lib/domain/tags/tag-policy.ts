/**
 * A tag policy: strategy, constraint and filters of one image, validated once when built so that
 * selection itself cannot fail. Built from registrations, annotations and CLI flags alike.
 */

import { InvalidInputError, quoteInput } from '../errors.ts';
import { ProblemCollector } from '../problem-collector.ts';
import { alphabeticalStrategy } from './alphabetical-strategy.ts';
import { type Constraint, parseConstraint } from './constraint.ts';
import { digestStrategy } from './digest-strategy.ts';
import { newestBuildStrategy, type SortBy } from './newest-build-strategy.ts';
import { parseScanGate } from './scan-gate.ts';
import { semverStrategy } from './semver-strategy.ts';
import { type AnyTagStrategy, anyTagStrategy, parseStrategyName, type StrategyName } from './strategy.ts';
import {
  parseAllowTags,
  parseIgnoreTags,
  parsePlatforms,
  pausesEveryTag,
  type TagFilter,
} from './tag-filters.ts';

export interface TagPolicySettings {
  /** semver (default), newest-build, alphabetical, digest; old names latest and name. */
  readonly strategy?: string | undefined;
  /** A semver constraint; for `digest`, the tag to follow. Other strategies ignore it, as the anchor does. */
  readonly constraint?: string | undefined;
  readonly allowTags?: string | undefined;
  readonly ignoreTags?: string | readonly string[] | undefined;
  readonly platforms?: string | readonly string[] | undefined;
  /** newest-build only: `pushed` (default, ECR push time) or `created` (the image's build time). */
  readonly sortBy?: string | undefined;
  /** The most findings per severity of a complete scan, e.g. `{ CRITICAL: 0, HIGH: 2 }` (scan-gate.ts). */
  readonly scanGate?: unknown;
}

export type { SortBy };

export interface TagPolicy {
  /** The strategy's name; {@link TagPolicy.tagStrategy} is the strategy itself. */
  readonly strategy: StrategyName;
  /** The strategy, built with its settings: what selection judges, ranks and explains candidates with. */
  readonly tagStrategy: AnyTagStrategy;
  /** The semver constraint, when the strategy is semver and one is given. */
  readonly constraint?: Constraint;
  /** The tag the digest strategy follows. */
  readonly trackedTag?: string;
  readonly sortBy: SortBy;
  /** allow-tags, ignore-tags and platforms, in the order the anchor applies them, then the scan gate. */
  readonly filters: readonly TagFilter[];
  /** True when ignore-tags holds `*`: the image is held where it is. */
  readonly paused: boolean;
  /** Things worth telling whoever reads an explanation, e.g. a constraint that has no effect. */
  readonly notes: readonly string[];
  /** What selection needs to know of images beyond tags, digests and push times. */
  readonly needs: {
    readonly platforms: boolean;
    readonly createdAt: boolean;
    /** With `sortBy: created` and a platforms filter: whose build an image index's build time is. */
    readonly wantedPlatforms?: readonly string[];
    /** A scan gate: each image's scan status and findings (DescribeImages holds them, mostly). */
    readonly scan?: boolean;
  };
}

/** Names a settings field in error messages (registration paths, CLI flags). */
export type FieldNamer = (setting: keyof TagPolicySettings) => string;

const DOCKER_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

// Policies by their settings. The apps a push reaches mostly share settings, and building a policy
// parses its constraint and compiles its filters (an RE2 program, globs) once per app otherwise. A
// policy is never changed after it is built (its matchers keep only caches of their own), so apps with
// the same settings share one. Refusals are not remembered: they name each registration's own field.
const MAX_REMEMBERED_POLICIES = 1_000;
const policies = new Map<string, TagPolicy>();

/** Validates the settings and builds the policy; throws {@link InvalidInputError} naming the bad field. */
export function buildTagPolicy(
  settings: TagPolicySettings,
  field: FieldNamer = (setting) => setting,
): TagPolicy {
  const key = settingsKey(settings);
  const known = policies.get(key);
  if (known) return known;
  const policy = compilePolicy(settings, field);
  if (policies.size >= MAX_REMEMBERED_POLICIES) policies.clear();
  policies.set(key, policy);
  return policy;
}

// Every setting (the type makes a new one a compile error here until it is added), undefined told apart
// from any value; JSON text holds no raw line break.
function settingsKey(settings: TagPolicySettings): string {
  const values: Record<keyof TagPolicySettings, unknown> = {
    strategy: settings.strategy,
    constraint: settings.constraint,
    allowTags: settings.allowTags,
    ignoreTags: settings.ignoreTags,
    platforms: settings.platforms,
    sortBy: settings.sortBy,
    scanGate: settings.scanGate,
  };
  return Object.values(values)
    .map((value) => (value === undefined ? '-' : JSON.stringify(value)))
    .join('\n');
}

// Every setting is checked, so that all problems are reported at once; what depends on the strategy
// is checked only when the strategy is known.
function compilePolicy(settings: TagPolicySettings, field: FieldNamer): TagPolicy {
  const problems = new ProblemCollector();
  const strategy = problems.check(() => parseStrategyName(settings.strategy, field('strategy')));
  const filters = [
    problems.check(() => parseAllowTags(settings.allowTags, field('allowTags'))),
    problems.check(() => parseIgnoreTags(settings.ignoreTags, field('ignoreTags'))),
    problems.check(() => parsePlatforms(settings.platforms, field('platforms'))),
    problems.check(() => parseScanGate(settings.scanGate, field('scanGate'))),
  ].filter((filter) => filter !== undefined);
  const sortBy = strategy && problems.check(() => parseSortBy(settings.sortBy, strategy, field('sortBy')));
  const constraintText = settings.constraint?.trim() ?? '';
  const chosen =
    strategy && problems.check(() => buildStrategy(strategy, constraintText, sortBy ?? 'pushed', field));
  problems.throwIfAny();
  const wantedPlatforms = filters.find((filter) => filter.kind === 'platforms')?.platforms;
  return {
    strategy: strategy!,
    sortBy: sortBy!,
    filters,
    paused: pausesEveryTag(settings.ignoreTags),
    needs: {
      platforms: wantedPlatforms !== undefined,
      createdAt: sortBy === 'created',
      ...(sortBy === 'created' && wantedPlatforms ? { wantedPlatforms } : {}),
      ...(filters.some((filter) => filter.kind === 'scanGate') ? { scan: true } : {}),
    },
    ...chosen!,
  };
}

type BuiltStrategy = Pick<TagPolicy, 'tagStrategy' | 'constraint' | 'trackedTag' | 'notes'>;

function buildStrategy(
  strategy: StrategyName,
  constraintText: string,
  sortBy: SortBy,
  field: FieldNamer,
): BuiltStrategy {
  switch (strategy) {
    case 'semver': {
      const constraint =
        constraintText === '' ? undefined : parseConstraint(constraintText, field('constraint'));
      const tagStrategy = anyTagStrategy(semverStrategy(constraint));
      return { ...(constraint === undefined ? {} : { constraint }), tagStrategy, notes: [] };
    }
    case 'digest':
      if (!DOCKER_TAG.test(constraintText)) {
        throw new InvalidInputError(
          field('constraint'),
          constraintText === ''
            ? 'the digest strategy needs the tag to follow'
            : `${quoteInput(constraintText)} is not a tag`,
          "name the tag after ':' in the image, e.g. my-repo:latest",
        );
      }
      return {
        trackedTag: constraintText,
        tagStrategy: anyTagStrategy(digestStrategy(constraintText)),
        notes: [],
      };
    case 'newest-build':
      return {
        tagStrategy: anyTagStrategy(newestBuildStrategy(sortBy)),
        notes: ignoredConstraint(constraintText, strategy),
      };
    case 'alphabetical':
      return {
        tagStrategy: anyTagStrategy(alphabeticalStrategy),
        notes: ignoredConstraint(constraintText, strategy),
      };
  }
}

function ignoredConstraint(constraintText: string, strategy: StrategyName): string[] {
  return constraintText === ''
    ? []
    : [
        `the constraint ${quoteInput(constraintText)} has no effect on ${strategy} (as in Argo CD Image Updater); narrow with allowTags`,
      ];
}

function parseSortBy(value: string | undefined, strategy: StrategyName, field: string): SortBy {
  const sortBy = value?.trim().toLowerCase() || 'pushed';
  if (sortBy !== 'pushed' && sortBy !== 'created') {
    throw new InvalidInputError(
      field,
      `unknown sort order ${quoteInput(value ?? '')}`,
      'use pushed (ECR push time) or created (image build time)',
    );
  }
  if (sortBy === 'created' && strategy !== 'newest-build') {
    throw new InvalidInputError(
      field,
      `sortBy applies to newest-build only, not ${strategy}`,
      'remove sortBy',
    );
  }
  return sortBy;
}

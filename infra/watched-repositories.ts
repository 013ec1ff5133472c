/**
 * Which ECR repositories of the stack's account and region the updater watches. One value gives both
 * the EventBridge rule's repository filter and the IAM resources of the function's ECR reads, so the
 * two can never disagree.
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { InvalidInputError, quoteInput } from '../lib/domain/errors.ts';

// ECR's own rule for repository names (2 to 256 characters, lowercase, `/`-separated components).
const NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const PREFIX = /^[a-z0-9][a-z0-9._/-]{0,255}$/;

export class WatchedRepositories {
  /** Exactly these repositories (`flask-app`, `team-a/api`). */
  static named(...names: string[]): WatchedRepositories {
    return WatchedRepositories.of({ names });
  }

  /** Every repository whose name starts with one of these (`team-a/`). */
  static withPrefix(...prefixes: string[]): WatchedRepositories {
    return WatchedRepositories.of({ prefixes });
  }

  /** Names and prefixes together. */
  static of(selection: { readonly names?: readonly string[]; readonly prefixes?: readonly string[] }) {
    const names = [...new Set(selection.names ?? [])];
    const prefixes = [...new Set(selection.prefixes ?? [])];
    if (names.length + prefixes.length === 0)
      throw new InvalidInputError(
        'repositories',
        'name at least one repository or prefix',
        'or use WatchedRepositories.all() to watch the whole account',
      );
    for (const name of names)
      if (name.length < 2 || name.length > 256 || !NAME.test(name))
        throw new InvalidInputError(
          'repositories.names',
          `${quoteInput(name)} is not an ECR repository name`,
          'lowercase letters, digits, . _ - and / between components',
        );
    for (const prefix of prefixes)
      if (!PREFIX.test(prefix))
        throw new InvalidInputError(
          'repositories.prefixes',
          `${quoteInput(prefix)} is not the start of an ECR repository name`,
          'lowercase letters, digits, . _ - /',
        );
    const watched = new WatchedRepositories(names, prefixes, false);
    const size = eventPatternSize(watched.eventPattern());
    if (size > EVENT_PATTERN_LIMIT)
      throw new InvalidInputError(
        'repositories',
        `${names.length + prefixes.length} names and prefixes make an event pattern of ${size.toLocaleString('en-US')} characters, more than the ${EVENT_PATTERN_LIMIT.toLocaleString('en-US')} EventBridge allows a rule`,
        'watch repositories by prefix instead ("prefixes": ["team-a/"]): one prefix covers every repository whose name starts with it, those created later included',
      );
    return watched;
  }

  /** Every repository of the account and region. */
  static all(): WatchedRepositories {
    return new WatchedRepositories([], [], true);
  }

  private constructor(
    readonly names: readonly string[],
    readonly prefixes: readonly string[],
    readonly everything: boolean,
  ) {}

  /** The rule's `detail.repository-name` filter; undefined when every repository is watched. */
  eventFilter(): Array<string | { prefix: string }> | undefined {
    if (this.everything) return undefined;
    return [...this.names, ...this.prefixes.map((prefix) => ({ prefix }))];
  }

  /**
   * The rule's event pattern as EventBridge reads it: tagged, successful pushes of the watched
   * repositories (ECR's "ECR Image Action" event).
   */
  eventPattern(): EcrPushPattern {
    const filter = this.eventFilter();
    return {
      source: ['aws.ecr'],
      'detail-type': ['ECR Image Action'],
      detail: {
        'action-type': ['PUSH'],
        result: ['SUCCESS'],
        'image-tag': [{ exists: true }],
        ...(filter ? { 'repository-name': filter } : {}),
      },
    };
  }

  /**
   * The scan rules' event patterns: completed scans of the watched repositories' images, from basic
   * scanning (ECR's "ECR Image Scan", `scan-status` COMPLETE, the repository by name) and from enhanced
   * scanning (Amazon Inspector's "Inspector2 Scan", `scan-status` INITIAL_SCAN_COMPLETE, the repository
   * by ARN: matched by its `:repository/<name>` suffix, or a wildcard for a prefix). ECR user guide,
   * "Amazon ECR events and EventBridge" and "EventBridge events sent for enhanced scanning". Naming
   * repositories by ARN makes a pattern larger than the push rule's, so the repositories are split over
   * as many rules as keep each pattern within EventBridge's limit.
   */
  scanEventPatterns(): EcrPushPattern[] {
    const basic = (names?: readonly unknown[]) => scanPattern('aws.ecr', 'ECR Image Scan', 'COMPLETE', names);
    const enhanced = (names?: readonly unknown[]) =>
      scanPattern('aws.inspector2', 'Inspector2 Scan', 'INITIAL_SCAN_COMPLETE', names);
    const filter = this.eventFilter();
    if (filter === undefined) return [basic(), enhanced()];
    const byArn = [
      ...this.names.map((name) => ({ suffix: `:repository/${name}` })),
      ...this.prefixes.map((prefix) => ({ wildcard: `*:repository/${prefix}*` })),
    ];
    return [...withinLimit(filter, basic), ...withinLimit(byArn, enhanced)];
  }

  /** The repository ARNs the function may read, in the stack's account and region. */
  repositoryArns(scope: IConstruct): string[] {
    const stack = Stack.of(scope);
    const arn = (resourceName: string) =>
      stack.formatArn({
        service: 'ecr',
        resource: 'repository',
        resourceName,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    if (this.everything) return [arn('*')];
    return [...this.names.map(arn), ...this.prefixes.map((prefix) => arn(`${prefix}*`))];
  }

  /**
   * For logs and descriptions (`flask-app, team-a/*`, or `every repository`): the repositories in words, at most `limit` characters: as many as fit, then how many more. Lambda
   * caps a function's description at 256 characters and EventBridge a rule's at 512 (the Lambda API's
   * CreateFunction and EventBridge's PutRule references), so a description that listed every name would
   * fail the deployment past a handful of names.
   */
  describe(limit = Number.POSITIVE_INFINITY): string {
    if (this.everything) return 'every repository';
    const all = [...this.names, ...this.prefixes.map((prefix) => `${prefix}*`)];
    const whole = all.join(', ');
    if (whole.length <= limit) return whole;
    for (let shown = all.length - 1; shown >= 0; shown--) {
      const text = `${all.slice(0, shown).join(', ')}${shown > 0 ? ' ' : ''}and ${all.length - shown} more`;
      if (text.length <= limit) return text;
    }
    return `${all.length} repositories`;
  }
}

/** The pattern of a rule (on ECR pushes, on scans), with EventBridge's own key names. */
export interface EcrPushPattern {
  readonly source: string[];
  readonly 'detail-type': string[];
  readonly detail: Record<string, unknown[]>;
}

/** A pattern as CDK's `events.Rule` takes it (`detailType` for `detail-type`), with any more keys. */
export function rulePattern(
  pattern: EcrPushPattern,
  more: { readonly account?: string[]; readonly region?: string[] } = {},
): {
  source: string[];
  detailType: string[];
  detail: Record<string, unknown[]>;
  account?: string[];
  region?: string[];
} {
  return { source: pattern.source, detailType: pattern['detail-type'], detail: pattern.detail, ...more };
}

/** Which scanning a scan pattern of {@link WatchedRepositories.scanEventPatterns} follows, for descriptions. */
export function scanKind(pattern: EcrPushPattern): 'ECR basic' | 'Amazon Inspector' {
  return pattern.source[0] === 'aws.ecr' ? 'ECR basic' : 'Amazon Inspector';
}

/**
 * EventBridge's quota on one rule's event pattern: 2,048 characters by default ("Event pattern size",
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html). The quota is adjustable; the
 * construct holds to the default, which every account has, so that a deployment never fails on it.
 */
export const EVENT_PATTERN_LIMIT = 2048;

/**
 * The pattern's size as PutRule receives it: its JSON without whitespace. Repository names are ASCII,
 * so characters and bytes are the same count.
 */
export function eventPatternSize(pattern: EcrPushPattern): number {
  return JSON.stringify(pattern).length;
}

function scanPattern(
  source: string,
  detailType: string,
  complete: string,
  names: readonly unknown[] | undefined,
): EcrPushPattern {
  return {
    source: [source],
    'detail-type': [detailType],
    detail: { 'scan-status': [complete], ...(names ? { 'repository-name': [...names] } : {}) },
  };
}

// The items over as few patterns as keep each within the limit, in order.
function withinLimit(
  items: readonly unknown[],
  pattern: (items: readonly unknown[]) => EcrPushPattern,
): EcrPushPattern[] {
  const patterns: EcrPushPattern[] = [];
  let current: unknown[] = [];
  for (const item of items) {
    if (current.length > 0 && eventPatternSize(pattern([...current, item])) > EVENT_PATTERN_LIMIT) {
      patterns.push(pattern(current));
      current = [];
    }
    current.push(item);
  }
  if (current.length > 0) patterns.push(pattern(current));
  return patterns;
}

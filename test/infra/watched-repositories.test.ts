import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import {
  EVENT_PATTERN_LIMIT,
  eventPatternSize,
  WatchedRepositories,
} from '../../infra/watched-repositories.ts';
import { InvalidInputError } from '../../lib/domain/errors.ts';

const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'us-west-2' } });
const resolve = (arns: string[]) => arns.map((arn) => JSON.stringify(stack.resolve(arn)));

describe('WatchedRepositories', () => {
  it('gives the rule filter and the IAM resources of the same names and prefixes', () => {
    const watched = WatchedRepositories.of({ names: ['flask-app', 'flask-app'], prefixes: ['team-a/'] });
    expect(watched.eventFilter()).toEqual(['flask-app', { prefix: 'team-a/' }]);
    expect(resolve(watched.repositoryArns(stack))).toEqual([
      expect.stringContaining(':ecr:us-west-2:123456789012:repository/flask-app"'),
      expect.stringContaining(':ecr:us-west-2:123456789012:repository/team-a/*"'),
    ]);
    expect(watched.describe()).toBe('flask-app, team-a/*');
  });

  it('describes many repositories within a limit, saying how many more there are', () => {
    const names = Array.from({ length: 40 }, (_, i) => `team-${i}/service-${i}`);
    const many = WatchedRepositories.of({ names, prefixes: [] });
    const text = many.describe(160);
    expect(text.length).toBeLessThanOrEqual(160);
    expect(text).toMatch(/^team-0\/service-0, team-1\/service-1, .* and \d+ more$/);
    expect(many.describe()).toBe(names.join(', '));
  });

  it("refuses names past EventBridge's 2,048 characters of event pattern, and takes as many as fit", () => {
    const names: string[] = [];
    let watched = WatchedRepositories.named('team-0/service-0');
    for (let i = 0; i < 1000; i++) {
      names.push(`team-${i}/service-${i}`);
      try {
        watched = WatchedRepositories.of({ names });
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidInputError);
        expect((error as Error).message).toMatch(
          /^repositories: \d+ names and prefixes make an event pattern of 2,0\d\d characters, more than the 2,048 EventBridge allows a rule; watch repositories by prefix instead/,
        );
        break;
      }
    }
    const accepted = eventPatternSize(watched.eventPattern());
    expect(accepted).toBeLessThanOrEqual(EVENT_PATTERN_LIMIT);
    // The next name was the one too many: the limit is met as closely as names allow.
    expect(accepted + names.at(-1)!.length + 3).toBeGreaterThan(EVENT_PATTERN_LIMIT);
    expect(names.length).toBeGreaterThan(50);
    // A prefix in their place keeps the pattern small.
    expect(eventPatternSize(WatchedRepositories.withPrefix('team-').eventPattern())).toBeLessThan(200);
    // The scan rules name each repository (by name, and by ARN for Amazon Inspector) over as many
    // patterns as keep each within the limit, every repository once per kind of scan.
    const scans = watched.scanEventPatterns();
    for (const pattern of scans) expect(eventPatternSize(pattern)).toBeLessThanOrEqual(EVENT_PATTERN_LIMIT);
    const named = (source: string) =>
      scans.filter((p) => p.source[0] === source).flatMap((p) => p.detail['repository-name']!);
    expect(named('aws.ecr')).toEqual(watched.eventFilter());
    expect(named('aws.inspector2')).toHaveLength(watched.names.length);
    expect(scans.length).toBeGreaterThan(2);
  });

  it('watches the whole account only when asked, with no filter', () => {
    const all = WatchedRepositories.all();
    expect(all.eventFilter()).toBeUndefined();
    expect(resolve(all.repositoryArns(stack))).toEqual([expect.stringContaining(':repository/*"')]);
    expect(all.describe()).toBe('every repository');
  });

  it.each([
    [() => WatchedRepositories.named(), 'repositories: name at least one repository or prefix'],
    [() => WatchedRepositories.named('Flask'), "repositories.names: 'Flask' is not an ECR repository name"],
    [() => WatchedRepositories.named('a//b'), "repositories.names: 'a//b' is not an ECR repository name"],
    [() => WatchedRepositories.named('x'), "repositories.names: 'x' is not an ECR repository name"],
    [
      () => WatchedRepositories.withPrefix('*'),
      "repositories.prefixes: '*' is not the start of an ECR repository name",
    ],
    [() => WatchedRepositories.withPrefix(''), "repositories.prefixes: '' is not the start"],
  ])('refuses %#: %s', (make, message) => {
    expect(make).toThrow(message);
  });
});

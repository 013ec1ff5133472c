import { readFileSync } from 'node:fs';
import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ImageUpdaterSpoke, type ImageUpdaterSpokeProps } from '../../infra/image-updater-spoke.ts';
import { WatchedRepositories } from '../../infra/watched-repositories.ts';
import { matchesEventPattern } from '../support/event-pattern.ts';
import { synthesize } from '../support/synth.ts';

const HUB_BUS = 'arn:aws:events:us-west-2:123456789012:event-bus/ecr-image-updater-hub';
const HUB_ROLE = 'arn:aws:iam::123456789012:role/Platform-UpdaterFunctionRole';

function spoke(env: { account: string; region: string }, props: Partial<ImageUpdaterSpokeProps> = {}) {
  return synthesize((app) => {
    const stack = new Stack(app, `Spoke${env.account}${env.region}`, { env });
    new ImageUpdaterSpoke(stack, 'Spoke', {
      hubEventBusArn: HUB_BUS,
      repositories: WatchedRepositories.of({ names: ['shop/api'], prefixes: ['team-b/'] }),
      ...props,
    });
    return stack;
  });
}

// One spoke in the hub's region, one in another region that attaches its reads to the same role.
const sameRegion = spoke({ account: '222222222222', region: 'us-west-2' }, { hubRoleArns: [HUB_ROLE] });
const otherRegion = spoke({ account: '222222222222', region: 'eu-west-1' }, { readRole: 'attach' });

describe('ImageUpdaterSpoke', () => {
  it('passes cdk-nag AwsSolutions in both regions', () => {
    expect(sameRegion.findings).toEqual([]);
    expect(otherRegion.findings).toEqual([]);
  });

  it("forwards the watched repositories' ECR events to the hub bus with a role that may put them there", () => {
    for (const { template } of [sameRegion, otherRegion]) {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: Match.objectLike({
          source: ['aws.ecr'],
          detail: Match.objectLike({ 'repository-name': ['shop/api', { prefix: 'team-b/' }] }),
        }),
        Targets: [
          Match.objectLike({
            Arn: HUB_BUS,
            RoleArn: Match.anyValue(),
            DeadLetterConfig: {
              Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SpokeForwardDeadLetters'), 'Arn'] },
            },
          }),
        ],
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [{ Action: 'events:PutEvents', Effect: 'Allow', Resource: HUB_BUS }],
        },
      });
    }
  });

  it("forwards the watched repositories' completed scans, basic and enhanced, to the hub bus", () => {
    const rules = Object.values(sameRegion.template.findResources('AWS::Events::Rule'));
    const sample = (file: string, repository: string) => {
      const event = JSON.parse(
        readFileSync(new URL(`../fixtures/ecr-events/${file}`, import.meta.url), 'utf8'),
      );
      const arn = 'arn:aws:ecr:us-west-2:222222222222:repository/';
      event.detail['repository-name'] = file.startsWith('inspector2') ? `${arn}${repository}` : repository;
      return event;
    };
    const forwarding = (event: unknown) =>
      rules.filter((rule) => matchesEventPattern(rule.Properties.EventPattern, event));
    for (const file of ['scan-complete.json', 'inspector2-scan-complete.json']) {
      const [rule, ...others] = forwarding(sample(file, 'team-b/web'));
      expect(others, file).toEqual([]);
      expect(rule!.Properties.Targets[0].Arn).toBe(HUB_BUS);
      expect(forwarding(sample(file, 'billing')), file).toEqual([]);
    }
    const without = spoke({ account: '222222222222', region: 'us-west-2' }, { scanEvents: false });
    expect(Object.keys(without.template.findResources('AWS::Events::Rule'))).toHaveLength(1);
  });

  it("makes the read role trusted by the hub functions' roles only", () => {
    sameRegion.template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'ecr-image-updater-spoke-read',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: {
              AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::123456789012:root']] },
            },
            Condition: { ArnEquals: { 'aws:PrincipalArn': [HUB_ROLE] } },
          },
        ],
      },
    });
    expect(
      otherRegion.template.findResources('AWS::IAM::Role', { Properties: { RoleName: Match.anyValue() } }),
    ).toEqual({});
  });

  it("allows the four ECR reads on this region's watched repositories, and nothing more", () => {
    for (const [{ template }, region] of [
      [sameRegion, 'us-west-2'],
      [otherRegion, 'eu-west-1'],
    ] as const) {
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyName: `ecr-image-updater-spoke-read-${region}`,
        Roles: [Match.anyValue()],
        PolicyDocument: {
          Statement: [
            {
              Sid: 'ReadWatchedRepositories',
              Effect: 'Allow',
              Action: [
                'ecr:DescribeImages',
                'ecr:BatchGetImage',
                'ecr:GetDownloadUrlForLayer',
                'ecr:DescribeImageScanFindings',
              ],
              Resource: [
                {
                  'Fn::Join': [
                    '',
                    ['arn:', { Ref: 'AWS::Partition' }, `:ecr:${region}:222222222222:repository/shop/api`],
                  ],
                },
                {
                  'Fn::Join': [
                    '',
                    ['arn:', { Ref: 'AWS::Partition' }, `:ecr:${region}:222222222222:repository/team-b/*`],
                  ],
                },
              ],
            },
          ],
        },
      });
    }
    otherRegion.template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyName: 'ecr-image-updater-spoke-read-eu-west-1',
      Roles: ['ecr-image-updater-spoke-read'],
    });
  });

  it('refuses a hub bus ARN it cannot read, and a spoke in the hub account', () => {
    expect(() => spoke({ account: '222222222222', region: 'us-west-2' }, { hubEventBusArn: 'hub' })).toThrow(
      "hubEventBusArn: 'hub' is not an event bus ARN",
    );
    expect(() => spoke({ account: '123456789012', region: 'us-west-2' })).toThrow(
      "ImageUpdaterSpoke: the stack's account 123456789012 is the hub's; a spoke is another account",
    );
  });
});

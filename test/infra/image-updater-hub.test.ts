import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { describe, expect, it } from 'vitest';
import { WatchedRepositories } from '../../infra/watched-repositories.ts';
import { readRuntimeConfig } from '../../lib/adapters/runtime-config.ts';
import { matchesEventPattern } from '../support/event-pattern.ts';
import { gitopsConnection, platformStack } from '../support/platform-stack.ts';
import { roleStatements, updaterFunction } from '../support/updater-template.ts';

const SPOKE_A = '222222222222';
const SPOKE_B = '333333333333';
const hub = platformStack((stack) => ({
  repositories: WatchedRepositories.named('flask-app'),
  connections: { github: gitopsConnection(stack) },
  spokes: {
    eventBusName: 'ecr-image-updater-hub',
    spokes: [
      { account: SPOKE_A, region: 'us-west-2' },
      { account: SPOKE_B, region: 'eu-west-1', roleArn: `arn:aws:iam::${SPOKE_B}:role/team-b-ecr-read` },
    ],
  },
}));

describe('an ImageUpdater hub of two spokes', () => {
  it('passes cdk-nag AwsSolutions', () => {
    expect(hub.findings).toEqual([]);
  });

  it('has a bus whose policy admits PutEvents from the spoke accounts only', () => {
    hub.template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: {
        Sid: 'cdk-SpokesPutEvents',
        Effect: 'Allow',
        Action: 'events:PutEvents',
        Principal: {
          AWS: [
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${SPOKE_A}:root`]] },
            { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${SPOKE_B}:root`]] },
          ],
        },
      },
    });
  });

  it("hands the spokes' pushes on its bus to the push function, matching the spoke accounts and regions", () => {
    const rules = hub.template.findResources('AWS::Events::Rule', {
      Properties: { EventBusName: Match.anyValue() },
    });
    const pushes = Object.values(rules).filter((r) =>
      r.Properties.EventPattern['detail-type'].includes('ECR Image Action'),
    );
    expect(pushes).toHaveLength(1);
    const [rule] = pushes;
    expect(rule!.Properties.EventPattern).toMatchObject({
      source: ['aws.ecr'],
      account: [SPOKE_A, SPOKE_B],
      region: ['us-west-2', 'eu-west-1'],
    });
    expect(rule!.Properties.Targets[0].Arn).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^UpdaterFunction/), 'Arn'],
    });
  });

  it("hands the spokes' completed scans, basic and enhanced, on its bus to the push function", () => {
    const onBus = Object.values(
      hub.template.findResources('AWS::Events::Rule', { Properties: { EventBusName: Match.anyValue() } }),
    );
    const scan = (file: string, account: string, region: string) => {
      const event = JSON.parse(
        readFileSync(new URL(`../fixtures/ecr-events/${file}`, import.meta.url), 'utf8'),
      );
      return { ...event, account, region };
    };
    const taken = (event: unknown) =>
      onBus.filter((rule) => matchesEventPattern(rule.Properties.EventPattern, event));
    for (const file of ['scan-complete.json', 'inspector2-scan-complete.json']) {
      const [rule, ...others] = taken(scan(file, SPOKE_B, 'eu-west-1'));
      expect(others, file).toEqual([]);
      expect(rule!.Properties.Targets[0].Arn).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^UpdaterFunction/), 'Arn'],
      });
      expect(taken(scan(file, '444444444444', 'eu-west-1')), file).toEqual([]);
      expect(taken(scan(file, SPOKE_B, 'ap-south-1')), file).toEqual([]);
    }
  });

  it("lets the functions assume the spokes' read roles and nothing else of theirs", () => {
    for (const kind of ['push', 'writer'] as const) {
      expect(roleStatements(hub.template, kind)).toContainEqual({
        Sid: 'AssumeSpokeReadRoles',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: [
          {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, `:iam::${SPOKE_A}:role/ecr-image-updater-spoke-read`],
            ],
          },
          `arn:aws:iam::${SPOKE_B}:role/team-b-ecr-read`,
        ],
      });
    }
  });

  it('gives the function the spokes as it reads them', () => {
    const properties = updaterFunction(hub.template, 'push')!.Properties as {
      Environment: { Variables: Record<string, unknown> };
    };
    const environment = properties.Environment.Variables;
    const resolved = JSON.parse(
      JSON.stringify(environment.ECR_IMAGE_UPDATER_SPOKES).replace(/\{"Ref":"AWS::Partition"\}/g, '"aws"'),
    );
    const text = (resolved['Fn::Join'] as [string, unknown[]])[1].join('');
    expect(
      readRuntimeConfig({ ECR_IMAGE_UPDATER_TABLE: 't', ECR_IMAGE_UPDATER_SPOKES: text }).spokes,
    ).toEqual({
      hubAccountId: '123456789012',
      spokes: [
        {
          accountId: SPOKE_A,
          regions: ['us-west-2'],
          roleArn: `arn:aws:iam::${SPOKE_A}:role/ecr-image-updater-spoke-read`,
        },
        {
          accountId: SPOKE_B,
          regions: ['eu-west-1'],
          roleArn: `arn:aws:iam::${SPOKE_B}:role/team-b-ecr-read`,
        },
      ],
    });
  });

  it('admits an organization instead of accounts', () => {
    const org = platformStack(() => ({
      repositories: WatchedRepositories.named('flask-app'),
      spokes: { organizationId: 'o-abcdefghij', spokes: [{ account: SPOKE_A, region: 'us-west-2' }] },
    }));
    org.template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: {
        Principal: { AWS: '*' },
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' } },
      },
    });
    expect(org.findings).toEqual([]);
  });

  it('refuses a spoke that is not an account id, naming it', () => {
    expect(() =>
      platformStack(() => ({
        repositories: WatchedRepositories.named('flask-app'),
        spokes: { spokes: [{ account: 'team-b', region: 'us-west-2' }] },
      })),
    ).toThrow("spokes[0].account: 'team-b' is not a 12-digit account id");
  });

  it('refuses more spokes than the function environment holds, and says what to do', () => {
    const spokes = Array.from({ length: 20 }, (_, i) => ({
      account: String(200000000000 + i),
      region: 'us-west-2',
    }));
    expect(() =>
      platformStack(() => ({ repositories: WatchedRepositories.named('flask-app'), spokes: { spokes } })),
    ).toThrow(
      /^spokes: 20 spokes take about 2,\d{3} bytes of the function's environment, more than the 2,048 they may .*split the spokes between two hubs$/,
    );
  });

  it('leaves the connections what the spokes do not take of the environment', () => {
    const secret = 'arn:aws:secretsmanager:us-west-2:123456789012:secret:x'.padEnd(200, 'x');
    const updater = (spokes?: { spokes: Array<{ account: string; region: string }> }) =>
      platformStack((stack) => ({
        repositories: WatchedRepositories.named('flask-app'),
        ...(spokes ? { spokes } : {}),
        connections: {
          github: Object.fromEntries(
            Array.from({ length: 14 }, (_, i) => [
              `c${i}`,
              {
                secret: secretsmanager.Secret.fromSecretNameV2(stack, `S${i}`, `${secret}${i}`),
                repositories: ['acme/*'],
              },
            ]),
          ),
        },
      }));
    expect(() => updater()).not.toThrow();
    expect(() => updater({ spokes: [{ account: SPOKE_A, region: 'us-west-2' }] })).toThrow(
      /of them the spokes'/,
    );
  });
});

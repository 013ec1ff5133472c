import { Duration, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { createUpdaterFunction } from '../../infra/updater-function.ts';
import { synthesize } from '../support/synth.ts';

/** Two functions from the helper, as the construct makes the push function and the writer. */
const both = synthesize((app) => {
  const stack = new Stack(app, 'Functions', { env: { account: '123456789012', region: 'us-west-2' } });
  const settings = { memorySize: 256, timeout: Duration.seconds(30), environment: { SETTING: 'a' } };
  createUpdaterFunction(new Construct(stack, 'Push'), {
    entryPoint: 'handler',
    description: 'the push function',
    roleDescription: 'the push role',
    logRetention: logs.RetentionDays.ONE_MONTH,
    settings,
    reservedConcurrency: 3,
  });
  createUpdaterFunction(new Construct(stack, 'Writer'), {
    entryPoint: 'writeHandler',
    description: 'the writer',
    roleDescription: 'the writer role',
    logRetention: logs.RetentionDays.ONE_WEEK,
    settings,
  });
  return stack;
});

function byPrefix(type: string, prefix: string) {
  const found = Object.entries(both.template.findResources(type)).filter(([id]) => id.startsWith(prefix));
  expect(found).toHaveLength(1);
  return found[0]![1].Properties as Record<string, unknown>;
}

describe('createUpdaterFunction', () => {
  it('runs one bundle at the entry point asked for, on nodejs22.x and arm64, with the settings given', () => {
    expect(both.findings).toEqual([]);
    const push = byPrefix('AWS::Lambda::Function', 'PushFunction');
    const writer = byPrefix('AWS::Lambda::Function', 'WriterFunction');
    expect(push).toMatchObject({
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: 30,
      ReservedConcurrentExecutions: 3,
      Description: 'the push function',
      Environment: { Variables: { SETTING: 'a' } },
    });
    expect(writer).toMatchObject({
      Handler: 'index.writeHandler',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: 30,
      Description: 'the writer',
      Environment: { Variables: { SETTING: 'a' } },
    });
    expect(writer).not.toHaveProperty('ReservedConcurrentExecutions');
    // One asset: the same code, two exports of it.
    expect(writer.Code).toEqual(push.Code);
  });

  it('gives each function its own log group and a role that may write to it and nothing else', () => {
    expect(byPrefix('AWS::Logs::LogGroup', 'PushLogs').RetentionInDays).toBe(30);
    expect(byPrefix('AWS::Logs::LogGroup', 'WriterLogs').RetentionInDays).toBe(7);
    for (const [name, description] of [
      ['Push', 'the push role'],
      ['Writer', 'the writer role'],
    ]) {
      expect(byPrefix('AWS::IAM::Role', `${name}Role`)).toMatchObject({
        Description: description,
        AssumeRolePolicyDocument: {
          Statement: [
            { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
          ],
        },
      });
      expect(byPrefix('AWS::IAM::Policy', `${name}RoleDefaultPolicy`).PolicyDocument).toMatchObject({
        Statement: [
          {
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
            Resource: { 'Fn::GetAtt': [expect.stringMatching(new RegExp(`^${name}Logs`)), 'Arn'] },
          },
        ],
      });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { parseUpdaterConfig } from '../../infra/config.ts';
import { ImageUpdaterStack } from '../../infra/image-updater-stack.ts';
import { synthesize } from '../support/synth.ts';

const minimal = { repositories: { names: ['flask-app'] } };
const withHub = (hub: unknown) => ({ ...minimal, hub });

describe('the hub of the configuration', () => {
  it('reads the spokes, the organization and the bus name', () => {
    expect(
      parseUpdaterConfig(
        withHub({
          spokes: [
            { account: '222222222222', region: 'eu-west-1' },
            { account: '333333333333', region: 'us-east-1', roleArn: 'arn:aws:iam::333333333333:role/read' },
          ],
          organizationId: 'o-abcdefghij',
          eventBusName: 'ecr-image-updater-hub',
        }),
      ).hub,
    ).toEqual({
      spokes: [
        { account: '222222222222', region: 'eu-west-1' },
        { account: '333333333333', region: 'us-east-1', roleArn: 'arn:aws:iam::333333333333:role/read' },
      ],
      organizationId: 'o-abcdefghij',
      eventBusName: 'ecr-image-updater-hub',
    });
  });

  it('refuses every bad field at once, naming each', () => {
    expect(() =>
      parseUpdaterConfig(
        withHub({
          spokes: [
            { account: '2222', region: 'eu-west-1' },
            { account: '333333333333', region: 'Europe' },
            { account: '444444444444', region: 'eu-west-1', roleArn: 'arn:aws:iam::555555555555:role/read' },
          ],
          organizationId: 'acme',
        }),
      ),
    ).toThrow(
      expect.objectContaining({
        problems: [
          expect.objectContaining({ field: 'config.hub.spokes[0].account' }),
          expect.objectContaining({ field: 'config.hub.spokes[1].region' }),
          expect.objectContaining({
            field: 'config.hub.spokes[2].roleArn',
            problem: "'arn:aws:iam::555555555555:role/read' is not the ARN of a role in account 444444444444",
          }),
          expect.objectContaining({ field: 'config.hub.organizationId' }),
        ],
      }),
    );
    expect(() => parseUpdaterConfig(withHub({ spokes: [] }))).toThrow(
      'config.hub.spokes: is not a list of spokes',
    );
  });

  it('deploys the hub bus and names it in an output for the spokes', () => {
    const { template, findings } = synthesize(
      (app) =>
        new ImageUpdaterStack(app, 'EcrImageUpdater', {
          config: parseUpdaterConfig(withHub({ spokes: [{ account: '222222222222', region: 'eu-west-1' }] })),
          env: { account: '123456789012', region: 'us-west-2' },
        }),
    );
    expect(findings).toEqual([]);
    template.resourceCountIs('AWS::Events::EventBus', 1);
    expect(template.findOutputs('HubEventBusArn')).toEqual({
      HubEventBusArn: expect.objectContaining({ Description: "each ImageUpdaterSpoke's hubEventBusArn" }),
    });
  });
});

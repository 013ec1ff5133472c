import { describe, expect, it } from 'vitest';
import { readRuntimeConfig } from '../../../lib/adapters/runtime-config.ts';

describe('readRuntimeConfig', () => {
  it('reads the table, the connections and the concurrency', () => {
    const connections = {
      github: {
        gitops: { secret: 'github/token', apiUrl: 'http://127.0.0.1:1', repositories: ['acme/*'] },
      },
      argocd: {
        prod: {
          server: 'https://argocd.internal.example.com',
          tokenSecret: 'argocd/token',
          caBundleSecret: 'argocd/ca',
          projects: ['default'],
        },
      },
    };
    expect(
      readRuntimeConfig({
        ECR_IMAGE_UPDATER_TABLE: 't',
        ECR_IMAGE_UPDATER_CONNECTIONS: JSON.stringify(connections),
        ECR_IMAGE_UPDATER_CONCURRENCY: '4',
      }),
    ).toEqual({
      tableName: 't',
      connections: {
        github: [
          {
            name: 'gitops',
            secret: 'github/token',
            apiUrl: 'http://127.0.0.1:1',
            repositories: ['acme/*'],
            requireConsent: true,
          },
        ],
        argocd: [
          {
            name: 'prod',
            server: 'https://argocd.internal.example.com',
            tokenSecret: 'argocd/token',
            caBundleSecret: 'argocd/ca',
            insecure: false,
            projects: ['default'],
            appNamespaces: ['argocd'],
            requireConsent: true,
          },
        ],
        defaultGitHub: 'gitops',
        defaultArgoCd: 'prod',
      },
      concurrency: 4,
    });
  });

  it('prefers --table, defaults the concurrency to 8, and has no connections unless given', () => {
    expect(readRuntimeConfig({ ECR_IMAGE_UPDATER_TABLE: 'env' }, 'flag')).toEqual({
      tableName: 'flag',
      connections: { github: [], argocd: [] },
      concurrency: 8,
    });
  });

  it('refuses connections that are not JSON, or not valid, naming the variable and the field', () => {
    const read = (text: string) => () =>
      readRuntimeConfig({ ECR_IMAGE_UPDATER_TABLE: 't', ECR_IMAGE_UPDATER_CONNECTIONS: text });
    expect(read('{')).toThrow('ECR_IMAGE_UPDATER_CONNECTIONS: is not JSON');
    expect(read('{"github": {"gitops": {"secret": "s"}}}')).toThrow(
      'ECR_IMAGE_UPDATER_CONNECTIONS.github.gitops.repositories: is required',
    );
  });

  it('says how to name the table when none is given', () => {
    expect(() => readRuntimeConfig({})).toThrow(
      'ECR_IMAGE_UPDATER_TABLE: is not set; give --table or set ECR_IMAGE_UPDATER_TABLE',
    );
  });

  it('reads how many days decisions are kept, and refuses what is not a number of days', () => {
    expect(
      readRuntimeConfig({ ECR_IMAGE_UPDATER_TABLE: 't', ECR_IMAGE_UPDATER_HISTORY_DAYS: '30' }),
    ).toMatchObject({
      historyDays: 30,
    });
    expect(() =>
      readRuntimeConfig({ ECR_IMAGE_UPDATER_TABLE: 't', ECR_IMAGE_UPDATER_HISTORY_DAYS: 'forever' }),
    ).toThrow("ECR_IMAGE_UPDATER_HISTORY_DAYS: 'forever' is not a whole number of days from 1 to 3650");
  });

  it('refuses a concurrency that is not 1 to 64', () => {
    expect(() =>
      readRuntimeConfig({ ECR_IMAGE_UPDATER_TABLE: 't', ECR_IMAGE_UPDATER_CONCURRENCY: '0' }),
    ).toThrow('is not a whole number from 1 to 64');
  });

  it("reads the hub's spokes, and refuses a spoke whose role is in another account", () => {
    const role = 'arn:aws:iam::210987654321:role/ecr-image-updater-spoke-read';
    const spokes = (roleArn: string) =>
      JSON.stringify({
        hubAccount: '123456789012',
        spokes: [{ account: '210987654321', region: 'eu-west-1', roleArn }],
      });
    expect(
      readRuntimeConfig({ ECR_IMAGE_UPDATER_TABLE: 't', ECR_IMAGE_UPDATER_SPOKES: spokes(role) }).spokes,
    ).toEqual({
      hubAccountId: '123456789012',
      spokes: [{ accountId: '210987654321', regions: ['eu-west-1'], roleArn: role }],
    });
    expect(() =>
      readRuntimeConfig({
        ECR_IMAGE_UPDATER_TABLE: 't',
        ECR_IMAGE_UPDATER_SPOKES: spokes('arn:aws:iam::123456789012:role/x'),
      }),
    ).toThrow('ECR_IMAGE_UPDATER_SPOKES.spokes[0].roleArn: is not the ARN of a role in account 210987654321');
    expect(() => readRuntimeConfig({ ECR_IMAGE_UPDATER_TABLE: 't', ECR_IMAGE_UPDATER_SPOKES: '{' })).toThrow(
      'ECR_IMAGE_UPDATER_SPOKES: is not JSON',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { readRuntimeConfig } from '../../../lib/adapters/runtime-config.ts';

describe('readRuntimeConfig', () => {
  it('reads the table, the GitHub and Argo CD defaults and the concurrency', () => {
    expect(
      readRuntimeConfig({
        ECR_IMAGE_UPDATER_TABLE: 't',
        ECR_IMAGE_UPDATER_GITHUB_SECRET: 'github/token',
        ECR_IMAGE_UPDATER_GITHUB_API_URL: 'http://127.0.0.1:1',
        ECR_IMAGE_UPDATER_ARGOCD_SERVER: 'https://argocd.internal.example.com',
        ECR_IMAGE_UPDATER_ARGOCD_TOKEN_SECRET: 'argocd/token',
        ECR_IMAGE_UPDATER_ARGOCD_CA_BUNDLE_SECRET: 'argocd/ca',
        ECR_IMAGE_UPDATER_CONCURRENCY: '4',
      }),
    ).toEqual({
      tableName: 't',
      githubSecret: 'github/token',
      githubApiUrl: 'http://127.0.0.1:1',
      argocdServer: 'https://argocd.internal.example.com',
      argocdTokenSecret: 'argocd/token',
      argocdCaBundleSecret: 'argocd/ca',
      concurrency: 4,
    });
  });

  it('prefers --table, and defaults the concurrency to 8', () => {
    expect(readRuntimeConfig({ ECR_IMAGE_UPDATER_TABLE: 'env' }, 'flag')).toEqual({
      tableName: 'flag',
      concurrency: 8,
    });
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
});

import { describe, expect, it } from 'vitest';
import { ImageUpdater } from '../../infra/image-updater.ts';
import { ImageUpdaterSpoke } from '../../infra/image-updater-spoke.ts';

describe('the infra entry point', () => {
  it("is importable as 'ecr-image-updater/infra', as a platform team's CDK app imports it", async () => {
    const exported = await import('ecr-image-updater/infra');
    expect(exported.ImageUpdater).toBe(ImageUpdater);
    expect(exported.ImageUpdaterSpoke).toBe(ImageUpdaterSpoke);
    expect(Object.keys(exported).sort()).toEqual([
      'CONFIG_CONTEXT_KEY',
      'ConfigError',
      'ImageUpdater',
      'ImageUpdaterAlarms',
      'ImageUpdaterDashboard',
      'ImageUpdaterHub',
      'ImageUpdaterSpoke',
      'ImageUpdaterStack',
      'REGISTRY_KEYS',
      'WatchedRepositories',
      'parseUpdaterConfig',
    ]);
  });
});

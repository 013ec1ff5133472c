import { describe, expect, it } from 'vitest';
import { ENVIRONMENT } from '../../../lib/adapters/environment.ts';

describe('ENVIRONMENT', () => {
  it('names every variable ECR_IMAGE_UPDATER_<SETTING>, apart from the SDK’s and Lambda’s own', () => {
    for (const name of Object.values(ENVIRONMENT))
      expect(name).toMatch(/^ECR_IMAGE_UPDATER_[A-Z]+(?:_[A-Z]+)*$/);
  });

  it('gives every setting a variable of its own', () => {
    const names = Object.values(ENVIRONMENT);
    expect(new Set(names).size).toBe(names.length);
  });
});

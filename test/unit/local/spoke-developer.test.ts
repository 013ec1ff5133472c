import {
  spokeDeveloperCredentials,
  spokeOfKey,
  spokeRoleArn,
} from '@ecr-image-updater/local/spoke-developer';
import { describe, expect, it } from 'vitest';

describe('spoke developers of local mode', () => {
  it("tells a spoke developer's key by its account, and no other key", () => {
    expect(spokeOfKey(spokeDeveloperCredentials('210987654321').accessKeyId)).toBe('210987654321');
    expect(spokeOfKey('local')).toBeUndefined();
    expect(spokeOfKey('LOCALSPOKEnot-an-account')).toBeUndefined();
  });

  it('names the read role as the spoke construct does', () => {
    expect(spokeRoleArn('210987654321')).toBe('arn:aws:iam::210987654321:role/ecr-image-updater-spoke-read');
  });
});

import { describe, expect, it } from 'vitest';
import {
  kustomizeEntryKey,
  referenceName,
  referenceVersion,
} from '../../../../lib/domain/images/image-reference.ts';

describe('image references', () => {
  it.each([
    ['registry:5000/team/app:1.2@sha256:ab', 'registry:5000/team/app', '1.2@sha256:ab'],
    ['registry:5000/team/app', 'registry:5000/team/app', undefined],
    ['app@sha256:ab', 'app', 'sha256:ab'],
    ['app:latest', 'app', 'latest'],
  ])('reads %j as %j and %j', (reference, name, version) => {
    expect(referenceName(reference)).toBe(name);
    expect(referenceVersion(reference)).toBe(version);
  });

  it('keys a Kustomize entry by the name it replaces', () => {
    expect(kustomizeEntryKey('web=registry/web:2')).toBe('web');
    expect(kustomizeEntryKey('registry/web:2')).toBe('registry/web');
  });
});

import { describe, expect, it } from 'vitest';
import { parseRegistration } from '../../../../lib/domain/registration/registration.ts';
import { decideUpdate, imageChange } from '../../../../lib/domain/updates/decide-update.ts';
import { ECR_HOST, flaskApp } from '../../../fixtures/registrations.ts';

const image = (fields: Record<string, unknown>) =>
  parseRegistration({ ...structuredClone(flaskApp), images: [{ image: `${ECR_HOST}/flask-app`, ...fields }] })
    .images[0]!;

describe('decideUpdate', () => {
  const semver = image({ constraint: '~1.0' });

  it('updates from what the target holds, or from nothing', () => {
    expect(decideUpdate({ image: semver, tag: '1.0.2' }, '1.0.0')).toEqual({
      kind: 'update',
      from: '1.0.0',
      to: '1.0.2',
    });
    expect(decideUpdate({ image: semver, tag: '1.0.2' }, undefined)).toEqual({ kind: 'update', to: '1.0.2' });
  });

  it('writes nothing when the target holds the choice', () => {
    expect(decideUpdate({ image: semver, tag: '1.0.2' }, '1.0.2')).toEqual({
      kind: 'current',
      version: '1.0.2',
    });
  });

  it('holds a higher version with noDowngrade, the semver default', () => {
    expect(decideUpdate({ image: semver, tag: '1.0.2' }, '1.3.0')).toEqual({
      kind: 'hold',
      reason: 'the target holds 1.3.0, above 1.0.2; noDowngrade keeps it',
    });
  });

  it('moves down when noDowngrade is off, or when what is held is not a version', () => {
    expect(
      decideUpdate({ image: image({ constraint: '~1.0', noDowngrade: false }), tag: '1.0.2' }, '1.3.0'),
    ).toMatchObject({ kind: 'update', to: '1.0.2' });
    expect(decideUpdate({ image: semver, tag: '1.0.2' }, 'hotfix')).toMatchObject({
      kind: 'update',
      from: 'hotfix',
    });
  });

  it('writes tag@digest for the digest strategy and compares it whole', () => {
    const digest = image({ constraint: 'latest', strategy: 'digest' });
    expect(decideUpdate({ image: digest, tag: 'latest', digest: 'sha256:b' }, 'latest@sha256:a')).toEqual({
      kind: 'update',
      from: 'latest@sha256:a',
      to: 'latest@sha256:b',
    });
    expect(
      decideUpdate({ image: digest, tag: 'latest', digest: 'sha256:b' }, 'latest@sha256:b'),
    ).toMatchObject({ kind: 'current' });
  });
});

describe('imageChange', () => {
  it('names the image (and its alias), what the target held, what was written and the digest', () => {
    const aliased = image({ alias: 'web', constraint: '~1.0' });
    expect(
      imageChange(
        { image: aliased, tag: '1.0.2', digest: 'sha256:abc' },
        { kind: 'update', from: '1.0.0', to: '1.0.2' },
      ),
    ).toEqual({
      alias: 'web',
      imageName: aliased.imageName,
      from: '1.0.0',
      to: '1.0.2',
      digest: 'sha256:abc',
    });
  });

  it('leaves out what is unknown: no alias, nothing held before, no digest', () => {
    const plain = image({ constraint: '~1.0' });
    expect(imageChange({ image: plain, tag: '1.0.2' }, { kind: 'update', to: '1.0.2' })).toEqual({
      imageName: plain.imageName,
      to: '1.0.2',
    });
  });
});

import { expect, it } from 'vitest';
import { parseRegistration } from '../../../../lib/domain/registration/registration.ts';
import { versionText } from '../../../../lib/domain/updates/image-update.ts';
import { ECR_HOST, flaskApp } from '../../../fixtures/registrations.ts';

const image = (fields: Record<string, unknown>) =>
  parseRegistration({ ...structuredClone(flaskApp), images: [{ image: `${ECR_HOST}/flask-app`, ...fields }] })
    .images[0]!;

it('writes the tag, or tag@digest for the digest strategy', () => {
  expect(versionText({ image: image({}), tag: '1.0.2', digest: 'sha256:a' })).toBe('1.0.2');
  expect(
    versionText({
      image: image({ strategy: 'digest', constraint: 'latest' }),
      tag: 'latest',
      digest: 'sha256:a',
    }),
  ).toBe('latest@sha256:a');
});

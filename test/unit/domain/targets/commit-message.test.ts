import { describe, expect, it } from 'vitest';
import { renderCommitMessage } from '../../../../lib/domain/targets/commit-message.ts';

const IMAGE = '123456789012.dkr.ecr.us-west-2.amazonaws.com/flask-app';
const DIGEST = `sha256:${'9'.repeat(64)}`;

describe('renderCommitMessage', () => {
  it('names the app, lists the image old -> new, and links the ECR digest in a trailer', () => {
    expect(
      renderCommitMessage('flask-app', [{ imageName: IMAGE, from: '1.0.0', to: '1.0.2', digest: DIGEST }]),
    ).toBe(
      [
        'build(flask-app): update flask-app to 1.0.2',
        '',
        'Updated by ecr-image-updater after an ECR push:',
        `- ${IMAGE}: 1.0.0 -> 1.0.2`,
        '',
        `Image-Digest: ${IMAGE}@${DIGEST}`,
        'Updated-By: ecr-image-updater',
      ].join('\n'),
    );
  });

  it('says (unset) for an image the target did not hold, and counts several images', () => {
    const message = renderCommitMessage('shop', [
      { alias: 'web', imageName: `${IMAGE}-web`, to: '2.0.0' },
      { alias: 'api', imageName: `${IMAGE}-api`, from: '1.1.0', to: 'latest@sha256:abc' },
    ]);
    expect(message.split('\n')[0]).toBe('build(shop): update 2 images');
    expect(message).toContain(`- ${IMAGE}-web: (unset) -> 2.0.0`);
    expect(message).toContain(`- ${IMAGE}-api: 1.1.0 -> latest@sha256:abc`);
    expect(message).not.toContain('Image-Digest');
  });
});

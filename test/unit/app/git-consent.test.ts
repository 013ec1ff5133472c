import { describe, expect, it } from 'vitest';
import { consentPaths, requireConsent } from '../../../lib/app/git-consent.ts';
import { WorkingTree } from '../../../lib/app/git-plan.ts';
import { InvalidTargetError, UpstreamError, WriteRefusedError } from '../../../lib/domain/errors.ts';
import { parseRegistration } from '../../../lib/domain/registration/registration.ts';
import { ECR_HOST, flaskApp } from '../../fixtures/registrations.ts';

const [flask, worker] = parseRegistration({
  ...structuredClone(flaskApp),
  images: [
    { image: `${ECR_HOST}/flask-app` },
    {
      image: `${ECR_HOST}/worker`,
      alias: 'worker',
      helm: { imageName: 'worker.repository', imageTag: 'worker.tag' },
    },
  ],
}).images as [never, never];

/** A working tree over `files` (an Error: the read fails so), counting reads per path. */
const treeOf = (files: Record<string, string | Error>) => {
  const reads: string[] = [];
  const tree = new WorkingTree(async (path) => {
    reads.push(path);
    const file = files[path];
    if (file instanceof Error) throw file;
    return file === undefined ? undefined : { text: file, sha: `sha-of-${path}` };
  });
  return { tree, reads };
};
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error) => error,
  );

describe('consentPaths', () => {
  it('names the root consent file, and the app folder one when the target is below it', () => {
    expect(consentPaths('flask-app', 'flask-app/values.yaml')).toEqual([
      '.ecr-image-updater.yaml',
      'flask-app/.ecr-image-updater.yaml',
    ]);
    expect(consentPaths('flask-app', 'charts/values.yaml')).toEqual(['.ecr-image-updater.yaml']);
  });
});

describe('requireConsent', () => {
  it('answers when a file consents to every image, reading each file once for any number of checks', async () => {
    const { tree, reads } = treeOf({
      '.ecr-image-updater.yaml': `allow:\n  - images: ["${ECR_HOST}/worker"]\n`,
      'flask-app/.ecr-image-updater.yaml': `allow:\n  - images: ["${ECR_HOST}/flask-app"]\n`,
    });
    for (let i = 0; i < 3; i++)
      await requireConsent(tree, 'flask-app', 'flask-app/values.yaml', [flask, worker]);
    expect(reads.sort()).toEqual(['.ecr-image-updater.yaml', 'flask-app/.ecr-image-updater.yaml']);
  });

  it('refuses as not-consented when one image of several is not allowed, naming it', async () => {
    const { tree } = treeOf({ '.ecr-image-updater.yaml': `allow:\n  - images: ["${ECR_HOST}/flask-app"]\n` });
    const error = await refusal(requireConsent(tree, 'flask-app', 'flask-app/values.yaml', [flask, worker]));
    expect(error).toBeInstanceOf(WriteRefusedError);
    expect(error).toMatchObject({ code: 'not-consented', retryable: false });
    expect(error.message).toMatch(
      new RegExp(
        `^no .ecr-image-updater.yaml at the repository root or in flask-app/ allows ${ECR_HOST}/worker to write flask-app/values.yaml; `,
      ),
    );
  });

  it('names the branch it read when that is a branch the write commits onto, not the base', async () => {
    const { tree } = treeOf({});
    const error = await refusal(requireConsent(tree, '', 'values.yaml', [flask], 'main'));
    expect(error).toBeInstanceOf(WriteRefusedError);
    expect(error.message).toMatch(
      /^the branch main, which this write commits onto, must consent too: no .ecr-image-updater.yaml at the repository root allows /,
    );
  });

  it('takes a folder where a consent file should be for a file that consents to nothing', async () => {
    const { tree } = treeOf({
      '.ecr-image-updater.yaml': new InvalidTargetError(
        'acme/gitops@main:.ecr-image-updater.yaml',
        'is not a file',
      ),
    });
    const error = await refusal(requireConsent(tree, '', 'values.yaml', [flask]));
    expect(error).toBeInstanceOf(WriteRefusedError);
    expect(error.message).toContain(
      '.ecr-image-updater.yaml is malformed and consents to nothing: it is not a file',
    );
  });

  it('fails with the read when a consent file cannot be read, rather than deciding without it', async () => {
    const down = new UpstreamError('GitHub', 'reading: 502', { retryable: true, status: 502 });
    const { tree } = treeOf({ 'flask-app/.ecr-image-updater.yaml': down });
    expect(await refusal(requireConsent(tree, 'flask-app', 'flask-app/values.yaml', [flask]))).toBe(down);
  });
});

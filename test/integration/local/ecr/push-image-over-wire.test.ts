import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
} from '@aws-sdk/client-ecr';
import type { ImagePushEvent } from '@ecr-image-updater/local/ecr/ecr-registry-state';
import { FakeEcrServer } from '@ecr-image-updater/local/ecr/fake-ecr-server';
import { pushImageOverWire } from '@ecr-image-updater/local/ecr/push-image-over-wire';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const TWO_PLATFORMS = ['linux/amd64', 'linux/arm64/v8'];

let ecr: FakeEcrServer;
/** A second registry that takes the same pushes server-side, as the reference for digests and state. */
let reference: FakeEcrServer;
let client: ECRClient;
let repoCount = 0;
let repo: string;

beforeAll(async () => {
  [ecr, reference] = await Promise.all([
    FakeEcrServer.start({ now: () => T0 }),
    FakeEcrServer.start({ now: () => T0 }),
  ]);
  client = new ECRClient({
    endpoint: ecr.url,
    region: 'us-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  client.destroy();
  await Promise.all([ecr.close(), reference.close()]);
});

beforeEach(() => {
  repo = `team/wire-${++repoCount}`;
});

async function describeTags(repositoryName: string): Promise<Array<[string | undefined, string[]]>> {
  const { imageDetails = [] } = await client.send(new DescribeImagesCommand({ repositoryName }));
  return imageDetails.map((detail) => [detail.imageDigest, detail.imageTags ?? []]);
}

describe('pushImageOverWire', () => {
  it('pushes a single-platform image with the digests pushImage gives for the same inputs', async () => {
    const options = { repository: repo, tag: '1.0.0', created: T0, provenance: false };
    const pushed = await pushImageOverWire(client, options);
    const expected = reference.pushImage(options);
    expect(pushed).toEqual(expected);
    expect(pushed.children).toEqual([]);
    expect(await describeTags(repo)).toEqual([[expected.digest, ['1.0.0']]]);
    expect(ecr.images(repo)).toEqual(reference.images(repo));
  });

  it('pushes as buildx does by default: an index over the image and its provenance attestation', async () => {
    const options = { repository: repo, tag: '1.0.0', created: T0 };
    const pushed = await pushImageOverWire(client, options);
    expect(pushed).toEqual(reference.pushImage(options));
    expect(pushed.children.map((child) => child.platform)).toEqual(['linux/amd64', 'unknown/unknown']);
    expect(ecr.images(repo)).toEqual(reference.images(repo));
  });

  it('pushes a two-platform index tagged, over children that stay untagged', async () => {
    const options = { repository: repo, tag: '2.0.0', platforms: TWO_PLATFORMS, created: T0 + 1 };
    const pushed = await pushImageOverWire(client, options);
    const expected = reference.pushImage(options);
    expect(pushed).toEqual(expected);
    expect(pushed.children.map((child) => child.platform)).toEqual([
      ...TWO_PLATFORMS,
      'unknown/unknown',
      'unknown/unknown',
    ]);
    expect(await describeTags(repo)).toEqual([
      ...expected.children.map((child) => [child.digest, []]),
      [expected.digest, ['2.0.0']],
    ]);
    expect(ecr.images(repo)).toEqual(reference.images(repo));
  });

  it('reports one push per manifest to onPush, with the tag only on the last', async () => {
    const events: ImagePushEvent[] = [];
    const stop = ecr.onPush((event) => events.push(event));
    const pushed = await pushImageOverWire(client, {
      repository: repo,
      tag: 'v1',
      platforms: TWO_PLATFORMS,
      created: T0,
    });
    stop();
    await Promise.resolve();
    expect(events.map((event) => [event.repositoryName, event.digest, event.tag])).toEqual([
      ...pushed.children.map((child) => [repo, child.digest, undefined]),
      [repo, pushed.digest, 'v1'],
    ]);
  });

  it('changes nothing when the same image is pushed again', async () => {
    const options = { repository: repo, tag: 'x', platforms: TWO_PLATFORMS, created: T0 };
    const first = await pushImageOverWire(client, options);
    const before = ecr.images(repo);
    const events: ImagePushEvent[] = [];
    const stop = ecr.onPush((event) => events.push(event));
    const again = await pushImageOverWire(client, options);
    stop();
    await Promise.resolve();
    expect(again).toEqual(first);
    expect(ecr.images(repo)).toEqual(before);
    expect(events).toEqual([]);
  });

  it('moves the tag to a new build, as pushImage does', async () => {
    const plain = { repository: repo, tag: 'latest', provenance: false };
    const first = await pushImageOverWire(client, { ...plain, created: T0 });
    const second = await pushImageOverWire(client, { ...plain, created: T0 + 1 });
    expect(second.digest).not.toBe(first.digest);
    expect(await describeTags(repo)).toEqual([
      [first.digest, []],
      [second.digest, ['latest']],
    ]);
  });

  it('creates a missing repository in the registry the options name', async () => {
    expect(ecr.repositories('210987654321')).toEqual([]);
    const pushed = await pushImageOverWire(client, {
      repository: repo,
      tag: 'a',
      registryId: '210987654321',
      created: T0,
      provenance: false,
    });
    expect(ecr.repositories('210987654321')).toEqual([repo]);
    expect(ecr.repositories()).not.toContain(repo);
    expect(ecr.images(repo, '210987654321').map((image) => [image.digest, image.tags])).toEqual([
      [pushed.digest, ['a']],
    ]);
  });

  it('pushes into an existing immutable repository, again without error, and leaves it as it was', async () => {
    await client.send(new CreateRepositoryCommand({ repositoryName: repo, imageTagMutability: 'IMMUTABLE' }));
    const options = { repository: repo, tag: 'v1', created: T0, provenance: false };
    const pushed = await pushImageOverWire(client, options);
    await expect(pushImageOverWire(client, options)).resolves.toEqual(pushed);
    const { repositories = [] } = await client.send(
      new DescribeRepositoriesCommand({ repositoryNames: [repo] }),
    );
    expect(repositories.map((repository) => repository.imageTagMutability)).toEqual(['IMMUTABLE']);
    expect(await describeTags(repo)).toEqual([[pushed.digest, ['v1']]]);
  });
});

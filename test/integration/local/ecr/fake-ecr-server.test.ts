import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  CompleteLayerUploadCommand,
  CreateRepositoryCommand,
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetDownloadUrlForLayerCommand,
  ImageAlreadyExistsException,
  ImageDigestDoesNotMatchException,
  ImageNotFoundException,
  ImageTagAlreadyExistsException,
  InitiateLayerUploadCommand,
  InvalidLayerException,
  InvalidLayerPartException,
  InvalidParameterException,
  LayerAlreadyExistsException,
  LayersNotFoundException,
  LimitExceededException,
  ListImagesCommand,
  PutImageCommand,
  paginateDescribeImages,
  paginateListImages,
  ReferencedImagesNotFoundException,
  RepositoryAlreadyExistsException,
  RepositoryNotFoundException,
  ScanNotFoundException,
  StartImageScanCommand,
  UploadLayerPartCommand,
} from '@aws-sdk/client-ecr';
import type { ImagePushEvent } from '@ecr-image-updater/local/ecr/ecr-registry-state';
import { FakeEcrServer } from '@ecr-image-updater/local/ecr/fake-ecr-server';
import type { PushImageOptions } from '@ecr-image-updater/local/ecr/pushed-image';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const ALL_MANIFEST_TYPES = [
  OCI_INDEX,
  OCI_MANIFEST,
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

let clock = T0;
let ecr: FakeEcrServer;
let client: ECRClient;
let repoCount = 0;
let repo: string;

beforeAll(async () => {
  ecr = await FakeEcrServer.start({ now: () => clock, region: 'eu-west-1' });
  client = new ECRClient({
    endpoint: ecr.url,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  client.destroy();
  await ecr.close();
});

beforeEach(() => {
  clock = T0;
  ecr.clearFaults();
  repo = `team/app-${++repoCount}`;
});

/** A push of one plain image manifest (buildx `--provenance=false`), where the push's shape is not the point. */
function pushPlain(options: PushImageOptions) {
  return ecr.pushImage({ provenance: false, ...options });
}

function sha256(content: string | Uint8Array): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

async function uploadBlob(repositoryName: string, bytes: Buffer): Promise<string> {
  const { uploadId } = await client.send(new InitiateLayerUploadCommand({ repositoryName }));
  await client.send(
    new UploadLayerPartCommand({
      repositoryName,
      uploadId,
      partFirstByte: 0,
      partLastByte: bytes.length - 1,
      layerPartBlob: bytes,
    }),
  );
  const digest = sha256(bytes);
  await client.send(new CompleteLayerUploadCommand({ repositoryName, uploadId, layerDigests: [digest] }));
  return digest;
}

async function download(repositoryName: string, layerDigest: string): Promise<Buffer> {
  const { downloadUrl } = await client.send(
    new GetDownloadUrlForLayerCommand({ repositoryName, layerDigest }),
  );
  const response = await fetch(downloadUrl ?? '');
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

function manifestWith(config: string, layers: string[]): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: config, size: 2 },
    layers: layers.map((digest) => ({
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest,
      size: 1,
    })),
  });
}

describe('FakeEcrServer repositories', () => {
  it('creates a repository and describes it as ECR does', async () => {
    clock = T0 + 500;
    const { repository } = await client.send(
      new CreateRepositoryCommand({ repositoryName: repo, imageTagMutability: 'IMMUTABLE' }),
    );
    expect(repository).toEqual({
      repositoryArn: `arn:aws:ecr:eu-west-1:123456789012:repository/${repo}`,
      registryId: '123456789012',
      repositoryName: repo,
      repositoryUri: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${repo}`,
      createdAt: new Date(T0 + 500),
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: false },
      encryptionConfiguration: { encryptionType: 'AES256' },
    });
    const described = await client.send(new DescribeRepositoriesCommand({ repositoryNames: [repo] }));
    expect(described.repositories).toEqual([repository]);
  });

  it('rejects a second repository of the same name and a name ECR would not accept', async () => {
    await client.send(new CreateRepositoryCommand({ repositoryName: repo }));
    await expect(client.send(new CreateRepositoryCommand({ repositoryName: repo }))).rejects.toBeInstanceOf(
      RepositoryAlreadyExistsException,
    );
    await expect(
      client.send(new CreateRepositoryCommand({ repositoryName: 'Upper/Case' })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('keeps registries apart and answers the registryId a request names', async () => {
    const { repository } = await client.send(
      new CreateRepositoryCommand({ registryId: '210987654321', repositoryName: repo }),
    );
    expect(repository?.registryId).toBe('210987654321');
    const error = await client
      .send(new DescribeImagesCommand({ repositoryName: repo }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RepositoryNotFoundException);
    expect((error as Error).message).toBe(
      `The repository with name '${repo}' does not exist in the registry with id '123456789012'`,
    );
    const other = await client.send(
      new DescribeImagesCommand({ registryId: '210987654321', repositoryName: repo }),
    );
    expect(other.imageDetails).toEqual([]);
    expect(ecr.repositories('210987654321')).toEqual([repo]);
  });
});

describe('FakeEcrServer DescribeImages and ListImages', () => {
  it('pages through 2,500 images with paginateDescribeImages, every tag once', async () => {
    for (let i = 0; i < 2_500; i++) pushPlain({ repository: repo, tag: `1.0.${i}`, created: T0 + i });
    pushPlain({ repository: repo, tag: '1.0.0', created: T0 - 1 });
    const calls = ecr.callCount('DescribeImages');
    const tags: string[] = [];
    for await (const page of paginateDescribeImages(
      { client },
      { repositoryName: repo, filter: { tagStatus: 'TAGGED' } },
    )) {
      expect(page.imageDetails?.length).toBeLessThanOrEqual(100);
      for (const detail of page.imageDetails ?? []) tags.push(...(detail.imageTags ?? []));
    }
    expect(tags).toHaveLength(2_500);
    expect(new Set(tags).size).toBe(2_500);
    expect(ecr.callCount('DescribeImages') - calls).toBe(25);
  });

  it('honours maxResults up to 1000 and refuses more', async () => {
    for (let i = 0; i < 5; i++) pushPlain({ repository: repo, tag: `v${i}`, created: T0 + i });
    const pages = [];
    for await (const page of paginateDescribeImages({ client, pageSize: 2 }, { repositoryName: repo })) {
      pages.push(page.imageDetails?.flatMap((detail) => detail.imageTags));
    }
    expect(pages).toEqual([['v0', 'v1'], ['v2', 'v3'], ['v4']]);
    await expect(
      client.send(new DescribeImagesCommand({ repositoryName: repo, maxResults: 1001 })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      client.send(new DescribeImagesCommand({ repositoryName: repo, nextToken: 'not-a-token' })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('filters on tagStatus TAGGED, UNTAGGED and ANY', async () => {
    pushPlain({ repository: repo, tag: 'old', created: T0 });
    pushPlain({ repository: repo, tag: 'old', created: T0 + 1 });
    pushPlain({ repository: repo, tag: 'new', created: T0 + 2 });
    const tagsOf = async (tagStatus: 'TAGGED' | 'UNTAGGED' | 'ANY') => {
      const { imageDetails = [] } = await client.send(
        new DescribeImagesCommand({ repositoryName: repo, filter: { tagStatus } }),
      );
      return imageDetails.map((detail) => detail.imageTags ?? []);
    };
    expect(await tagsOf('TAGGED')).toEqual([['old'], ['new']]);
    expect(await tagsOf('UNTAGGED')).toEqual([[]]);
    expect(await tagsOf('ANY')).toEqual([[], ['old'], ['new']]);
    const untagged = await client.send(
      new ListImagesCommand({ repositoryName: repo, filter: { tagStatus: 'UNTAGGED' } }),
    );
    expect(untagged.imageIds).toEqual([{ imageDigest: ecr.images(repo)[0]?.digest }]);
  });

  it('describes an image once with all its tags, its size, push time and media types', async () => {
    clock = T0 + 1_234;
    const pushed = pushPlain({ repository: repo, tag: '1.0.0' });
    pushPlain({ repository: repo, tag: 'latest', created: T0 + 1_234 });
    const { imageDetails } = await client.send(new DescribeImagesCommand({ repositoryName: repo }));
    const [stored] = ecr.images(repo);
    expect(imageDetails).toEqual([
      {
        registryId: '123456789012',
        repositoryName: repo,
        imageDigest: pushed.digest,
        imageTags: ['1.0.0', 'latest'],
        imageSizeInBytes: stored?.sizeInBytes,
        imagePushedAt: new Date(T0 + 1_234),
        imageManifestMediaType: OCI_MANIFEST,
        artifactMediaType: OCI_CONFIG,
        imageStatus: 'ACTIVE',
      },
    ]);
    expect(stored?.sizeInBytes).toBeGreaterThan(0);
  });

  it('describes the images named by imageIds and fails with ImageNotFoundException for a missing one', async () => {
    const pushed = pushPlain({ repository: repo, tag: 'a' });
    const byTag = await client.send(
      new DescribeImagesCommand({ repositoryName: repo, imageIds: [{ imageTag: 'a' }] }),
    );
    expect(byTag.imageDetails?.map((detail) => detail.imageDigest)).toEqual([pushed.digest]);
    const error = await client
      .send(
        new DescribeImagesCommand({
          repositoryName: repo,
          imageIds: [{ imageTag: 'a' }, { imageTag: 'nope' }],
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImageNotFoundException);
    expect((error as Error).message).toBe(
      `The image with imageId {imageDigest:'null', imageTag:'nope'} does not exist within the repository ` +
        `with name '${repo}' in the registry with id '123456789012'`,
    );
  });

  it('lists one image id per tag, paginated', async () => {
    for (let i = 0; i < 3; i++) pushPlain({ repository: repo, tag: `t${i}`, created: T0 + i });
    pushPlain({ repository: repo, tag: 'also', created: T0 + 1 });
    const ids = [];
    for await (const page of paginateListImages({ client, pageSize: 2 }, { repositoryName: repo })) {
      ids.push(...(page.imageIds ?? []));
    }
    const [first, second, third] = ecr.images(repo).map((image) => image.digest);
    expect(ids).toEqual([
      { imageDigest: first, imageTag: 't0' },
      { imageDigest: second, imageTag: 'also' },
      { imageDigest: second, imageTag: 't1' },
      { imageDigest: third, imageTag: 't2' },
    ]);
  });
});

describe('FakeEcrServer pushImage', () => {
  it('pushes two platforms as buildx does: a tagged index over untagged images and their attestations', async () => {
    clock = T0 + 60_000;
    const pushed = ecr.pushImage({
      repository: repo,
      tag: '2.0.0',
      platforms: ['linux/amd64', 'linux/arm64/v8'],
    });
    expect(pushed).toMatchObject({ manifestMediaType: OCI_INDEX, artifactMediaType: OCI_INDEX });
    expect(pushed.children.map((child) => child.platform)).toEqual([
      'linux/amd64',
      'linux/arm64/v8',
      'unknown/unknown',
      'unknown/unknown',
    ]);

    const { imageDetails = [] } = await client.send(new DescribeImagesCommand({ repositoryName: repo }));
    expect(imageDetails.map((detail) => [detail.imageDigest, detail.imageTags])).toEqual([
      ...pushed.children.map((child) => [child.digest, undefined]),
      [pushed.digest, ['2.0.0']],
    ]);
    const index = imageDetails[4];
    expect(index?.imageSizeInBytes).toBe(
      Math.max(...imageDetails.slice(0, 4).map((d) => d.imageSizeInBytes ?? 0)),
    );

    const { images = [], failures } = await client.send(
      new BatchGetImageCommand({
        repositoryName: repo,
        imageIds: [{ imageTag: '2.0.0' }],
        acceptedMediaTypes: ALL_MANIFEST_TYPES,
      }),
    );
    expect(failures).toEqual([]);
    expect(images[0]?.imageId).toEqual({ imageDigest: pushed.digest, imageTag: '2.0.0' });
    expect(sha256(images[0]?.imageManifest ?? '')).toBe(pushed.digest);
    const manifest = JSON.parse(images[0]?.imageManifest ?? '{}');
    expect(manifest.manifests.map((entry: { platform: unknown }) => entry.platform)).toEqual([
      { architecture: 'amd64', os: 'linux' },
      { architecture: 'arm64', os: 'linux', variant: 'v8' },
      { architecture: 'unknown', os: 'unknown' },
      { architecture: 'unknown', os: 'unknown' },
    ]);
    // Each attestation names the image it is about (docs.docker.com attestation-storage).
    expect(manifest.manifests[3].annotations).toEqual({
      'vnd.docker.reference.digest': pushed.children[1]?.digest,
      'vnd.docker.reference.type': 'attestation-manifest',
    });

    const child = await client.send(
      new BatchGetImageCommand({
        repositoryName: repo,
        imageIds: [{ imageDigest: manifest.manifests[1].digest }],
      }),
    );
    const childManifest = JSON.parse(child.images?.[0]?.imageManifest ?? '{}');
    expect(childManifest.config.mediaType).toBe(OCI_CONFIG);
    const config = JSON.parse((await download(repo, childManifest.config.digest)).toString('utf8'));
    expect(config).toMatchObject({
      os: 'linux',
      architecture: 'arm64',
      variant: 'v8',
      created: '2026-03-01T12:01:00.000Z',
    });
    const layer = gunzipSync(await download(repo, childManifest.layers[0].digest));
    expect(config.rootfs).toEqual({ type: 'layers', diff_ids: [sha256(layer)] });
    expect(layer.subarray(512, 527).toString()).toBe('linux/arm64/v8\n');
  });

  it('pushes one platform as an index with its attestation, and as a plain manifest without provenance', async () => {
    const pushed = ecr.pushImage({ repository: repo, tag: 'buildx', created: T0 });
    expect(pushed).toMatchObject({ manifestMediaType: OCI_INDEX, artifactMediaType: OCI_INDEX });
    expect(pushed.children.map((child) => child.platform)).toEqual(['linux/amd64', 'unknown/unknown']);
    const plain = ecr.pushImage({ repository: repo, tag: 'plain', created: T0, provenance: false });
    expect(plain).toMatchObject({ manifestMediaType: OCI_MANIFEST, artifactMediaType: OCI_CONFIG });
    expect(plain.digest).toBe(pushed.children[0]?.digest);
    expect(plain.children).toEqual([]);
  });

  it('moves a tag to the image of a second push, leaving the first untagged', async () => {
    const first = pushPlain({ repository: repo, tag: 'latest', created: T0 });
    clock = T0 + 10_000;
    const second = pushPlain({ repository: repo, tag: 'latest', created: T0 + 10_000 });
    expect(second.digest).not.toBe(first.digest);
    const { imageDetails = [] } = await client.send(new DescribeImagesCommand({ repositoryName: repo }));
    expect(
      imageDetails.map((detail) => [detail.imageDigest, detail.imageTags, detail.imagePushedAt]),
    ).toEqual([
      [first.digest, undefined, new Date(T0)],
      [second.digest, ['latest'], new Date(T0 + 10_000)],
    ]);
  });

  it('changes nothing when the same content is pushed under the same tag again', async () => {
    const first = ecr.pushImage({
      repository: repo,
      tag: 'x',
      created: T0,
      platforms: ['linux/amd64', 'linux/arm64'],
    });
    const again = ecr.pushImage({
      repository: repo,
      tag: 'x',
      created: T0,
      platforms: ['linux/amd64', 'linux/arm64'],
    });
    expect(again).toEqual(first);
    expect(ecr.images(repo)).toHaveLength(5);
  });

  it('reports every PutImage to onPush listeners, the tag only on the index', async () => {
    const events: ImagePushEvent[] = [];
    const stop = ecr.onPush((event) => events.push(event));
    const pushed = ecr.pushImage({ repository: repo, tag: 'v1', platforms: ['linux/amd64', 'linux/arm64'] });
    stop();
    ecr.pushImage({ repository: repo, tag: 'v2' });
    await Promise.resolve();
    expect(events.map((event) => [event.digest, event.tag])).toEqual([
      ...pushed.children.map((child) => [child.digest, undefined]),
      [pushed.digest, 'v1'],
    ]);
    expect(events[4]).toMatchObject({ registryId: '123456789012', repositoryName: repo, pushedAt: T0 });
  });
});

describe('FakeEcrServer PutImage and layer uploads', () => {
  it('takes a docker push over the wire and serves the blobs back', async () => {
    await client.send(new CreateRepositoryCommand({ repositoryName: repo }));
    const config = await uploadBlob(repo, Buffer.from('{"os":"linux","architecture":"amd64"}'));
    const layer = await uploadBlob(repo, Buffer.from('layer bytes'));
    const manifest = manifestWith(config, [layer]);
    const { image } = await client.send(
      new PutImageCommand({
        repositoryName: repo,
        imageManifest: manifest,
        imageTag: '1.0',
        imageDigest: sha256(manifest),
      }),
    );
    expect(image).toEqual({
      registryId: '123456789012',
      repositoryName: repo,
      imageId: { imageDigest: sha256(manifest), imageTag: '1.0' },
      imageManifest: manifest,
      imageManifestMediaType: OCI_MANIFEST,
    });
    expect((await download(repo, layer)).toString()).toBe('layer bytes');
    expect(ecr.images(repo)[0]?.sizeInBytes).toBe('layer bytes'.length);
  });

  it('rejects uploads whose parts or digests do not add up', async () => {
    await client.send(new CreateRepositoryCommand({ repositoryName: repo }));
    const { uploadId } = await client.send(new InitiateLayerUploadCommand({ repositoryName: repo }));
    const part = (partFirstByte: number, bytes: string) =>
      client.send(
        new UploadLayerPartCommand({
          repositoryName: repo,
          uploadId,
          partFirstByte,
          partLastByte: partFirstByte + bytes.length - 1,
          layerPartBlob: Buffer.from(bytes),
        }),
      );
    expect((await part(0, 'abc')).lastByteReceived).toBe(2);
    const gap = await part(5, 'def').catch((e: unknown) => e);
    expect(gap).toBeInstanceOf(InvalidLayerPartException);
    expect(gap).toMatchObject({ lastValidByteReceived: 2 });
    await part(3, 'def');
    await expect(
      client.send(
        new CompleteLayerUploadCommand({ repositoryName: repo, uploadId, layerDigests: [sha256('other')] }),
      ),
    ).rejects.toBeInstanceOf(InvalidLayerException);
    await uploadBlob(repo, Buffer.from('abcdef'));
    await expect(uploadBlob(repo, Buffer.from('abcdef'))).rejects.toBeInstanceOf(LayerAlreadyExistsException);
  });

  it('refuses a manifest whose blobs are missing, and an index whose manifests are missing', async () => {
    await client.send(new CreateRepositoryCommand({ repositoryName: repo }));
    const config = await uploadBlob(repo, Buffer.from('{}'));
    const missing = sha256('never uploaded');
    await expect(
      client.send(
        new PutImageCommand({
          repositoryName: repo,
          imageManifest: manifestWith(config, [missing]),
          imageTag: 'a',
        }),
      ),
    ).rejects.toBeInstanceOf(LayersNotFoundException);
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [{ mediaType: OCI_MANIFEST, digest: missing, size: 1 }],
    });
    await expect(
      client.send(new PutImageCommand({ repositoryName: repo, imageManifest: index, imageTag: 'a' })),
    ).rejects.toBeInstanceOf(ReferencedImagesNotFoundException);
  });

  it('refuses a repeated push, a wrong digest and an overwritten tag in an immutable repository', async () => {
    await client.send(new CreateRepositoryCommand({ repositoryName: repo, imageTagMutability: 'IMMUTABLE' }));
    const config = await uploadBlob(repo, Buffer.from('{}'));
    const one = manifestWith(config, []);
    const two = manifestWith(config, [config]);
    await client.send(new PutImageCommand({ repositoryName: repo, imageManifest: one, imageTag: 'v1' }));
    await expect(
      client.send(new PutImageCommand({ repositoryName: repo, imageManifest: one, imageTag: 'v1' })),
    ).rejects.toBeInstanceOf(ImageAlreadyExistsException);
    await expect(
      client.send(
        new PutImageCommand({ repositoryName: repo, imageManifest: two, imageDigest: sha256(one) }),
      ),
    ).rejects.toBeInstanceOf(ImageDigestDoesNotMatchException);
    await expect(
      client.send(new PutImageCommand({ repositoryName: repo, imageManifest: two, imageTag: 'v1' })),
    ).rejects.toBeInstanceOf(ImageTagAlreadyExistsException);
    await client.send(
      new PutImageCommand({ repositoryName: repo, imageManifest: one, imageTag: 'v1-alias' }),
    );
    expect(ecr.images(repo).map((image) => image.tags)).toEqual([['v1', 'v1-alias']]);
  });
});

describe('FakeEcrServer BatchGetImage and BatchDeleteImage', () => {
  it('reports each unresolvable image id with the failure code ECR uses', async () => {
    const pushed = pushPlain({ repository: repo, tag: 'a' });
    const other = sha256('other');
    const { images, failures } = await client.send(
      new BatchGetImageCommand({
        repositoryName: repo,
        imageIds: [{ imageTag: 'nope' }, { imageTag: 'a', imageDigest: other }, {}, { imageDigest: 'bad' }],
      }),
    );
    expect(images).toEqual([]);
    expect(failures?.map((failure) => [failure.failureCode, failure.failureReason])).toEqual([
      ['ImageNotFound', 'Requested image not found'],
      [
        'ImageTagDoesNotMatchDigest',
        'Invalid request parameters: given tag does not map to the given digest',
      ],
      ['MissingDigestAndTag', 'Invalid request parameters: both tag and digest cannot be null'],
      [
        'InvalidImageDigest',
        "Invalid request parameters: image digest should satisfy the regex '[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+'",
      ],
    ]);
    expect(failures?.[1]?.imageId).toEqual({ imageTag: 'a', imageDigest: other });
    expect(pushed.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('answers an injected failure code for one image, then the image again', async () => {
    const pushed = pushPlain({ repository: repo, tag: 'a', created: T0 });
    const other = pushPlain({ repository: repo, tag: 'b', created: T0 + 1_000 });
    ecr.failImage({ repository: repo, digest: pushed.digest, failureCode: 'UpstreamUnavailable' });
    const read = () =>
      client.send(
        new BatchGetImageCommand({
          repositoryName: repo,
          imageIds: [{ imageDigest: pushed.digest }, { imageDigest: other.digest }],
          acceptedMediaTypes: ALL_MANIFEST_TYPES,
        }),
      );
    const first = await read();
    expect(first.images?.map((image) => image.imageId?.imageDigest)).toEqual([other.digest]);
    expect(first.failures).toEqual([
      {
        imageId: { imageDigest: pushed.digest },
        failureCode: 'UpstreamUnavailable',
        failureReason: `Injected UpstreamUnavailable for ${pushed.digest}`,
      },
    ]);
    expect((await read()).failures).toEqual([]);
  });

  it('answers a digest once per tag, and only in the accepted media types', async () => {
    const pushed = pushPlain({ repository: repo, tag: 'a' });
    pushPlain({ repository: repo, tag: 'b', created: T0 });
    const { images = [] } = await client.send(
      new BatchGetImageCommand({ repositoryName: repo, imageIds: [{ imageDigest: pushed.digest }] }),
    );
    expect(images.map((image) => image.imageId)).toEqual([
      { imageDigest: pushed.digest, imageTag: 'a' },
      { imageDigest: pushed.digest, imageTag: 'b' },
    ]);
    const refused = await client.send(
      new BatchGetImageCommand({
        repositoryName: repo,
        imageIds: [{ imageTag: 'a' }],
        acceptedMediaTypes: ['application/vnd.docker.distribution.manifest.v2+json'],
      }),
    );
    expect(refused.images).toEqual([]);
    expect(refused.failures?.[0]?.failureCode).toBe('ImageNotFound');
  });

  it('deletes a tag, an image with its last tag, and a whole image by digest', async () => {
    const a = pushPlain({ repository: repo, tag: 'a1', created: T0 });
    pushPlain({ repository: repo, tag: 'a2', created: T0 });
    const b = pushPlain({ repository: repo, tag: 'b', created: T0 + 1 });
    const byTag = await client.send(
      new BatchDeleteImageCommand({ repositoryName: repo, imageIds: [{ imageTag: 'a1' }] }),
    );
    expect(byTag).toMatchObject({ imageIds: [{ imageDigest: a.digest, imageTag: 'a1' }], failures: [] });
    const lastTag = await client.send(
      new BatchDeleteImageCommand({ repositoryName: repo, imageIds: [{ imageTag: 'b' }] }),
    );
    expect(lastTag.imageIds).toEqual([{ imageDigest: b.digest, imageTag: 'b' }]);
    expect(ecr.images(repo).map((image) => image.digest)).toEqual([a.digest]);
    pushPlain({ repository: repo, tag: 'a3', created: T0 });
    const whole = await client.send(
      new BatchDeleteImageCommand({
        repositoryName: repo,
        imageIds: [{ imageDigest: a.digest }, { imageTag: 'a2' }],
      }),
    );
    expect(whole).toMatchObject({
      imageIds: [
        { imageDigest: a.digest, imageTag: 'a2' },
        { imageDigest: a.digest, imageTag: 'a3' },
      ],
      failures: [],
    });
    expect(ecr.images(repo)).toEqual([]);
  });

  it('refuses to delete a manifest an index still lists', async () => {
    const pushed = ecr.pushImage({
      repository: repo,
      tag: 'multi',
      platforms: ['linux/amd64', 'linux/arm64'],
    });
    const child = pushed.children[0]?.digest ?? '';
    const { imageIds, failures } = await client.send(
      new BatchDeleteImageCommand({ repositoryName: repo, imageIds: [{ imageDigest: child }] }),
    );
    expect(imageIds).toEqual([]);
    expect(failures).toEqual([
      {
        imageId: { imageDigest: child },
        failureCode: 'ImageReferencedByManifestList',
        failureReason: `Requested image referenced by manifest list: [${pushed.digest}]`,
      },
    ]);
  });
});

describe('FakeEcrServer on the wire', () => {
  it('has an injected 500 on DescribeImages retried by the SDK', async () => {
    pushPlain({ repository: repo, tag: 'a' });
    const before = ecr.callCount('DescribeImages');
    ecr.injectFault({ target: 'DescribeImages', kind: 'status', status: 500, type: 'ServerException' });
    const { imageDetails } = await client.send(new DescribeImagesCommand({ repositoryName: repo }));
    expect(imageDetails).toHaveLength(1);
    expect(ecr.callCount('DescribeImages') - before).toBe(2);
  });

  it('reports a missing blob download as 404', async () => {
    const response = await fetch(`${ecr.url}/v2/123456789012/${repo}/blobs/${sha256('none')}`);
    expect(response.status).toBe(404);
  });
});

describe('FakeEcrServer artifacts', () => {
  it('stores a cosign signature and a Helm chart, reports their artifact types and announces their pushes', async () => {
    const events: ImagePushEvent[] = [];
    const stop = ecr.onPush((event) => events.push(event));
    const image = pushPlain({ repository: repo, tag: '1.0.0' });
    const signature = ecr.pushArtifact({
      repository: repo,
      artifact: { kind: 'cosign-signature', signs: image.digest },
    });
    const chart = ecr.pushArtifact({
      repository: repo,
      artifact: { kind: 'helm-chart', name: 'app', version: '0.1.0' },
    });
    await Promise.resolve();
    stop();
    const signatureTag = `${image.digest.replace(':', '-')}.sig`;
    const { imageDetails = [] } = await client.send(new DescribeImagesCommand({ repositoryName: repo }));
    expect(imageDetails.map((d) => [d.imageTags, d.imageManifestMediaType, d.artifactMediaType])).toEqual([
      [['1.0.0'], OCI_MANIFEST, OCI_CONFIG],
      [[signatureTag], OCI_MANIFEST, OCI_CONFIG],
      [['0.1.0'], OCI_MANIFEST, 'application/vnd.cncf.helm.config.v1+json'],
    ]);
    expect(events.map((event) => [event.digest, event.tag, event.artifactMediaType])).toEqual([
      [image.digest, '1.0.0', OCI_CONFIG],
      [signature.digest, signatureTag, OCI_CONFIG],
      [chart.digest, '0.1.0', 'application/vnd.cncf.helm.config.v1+json'],
    ]);
    const { images = [] } = await client.send(
      new BatchGetImageCommand({ repositoryName: repo, imageIds: [{ imageTag: signatureTag }] }),
    );
    const layer = JSON.parse(images[0]?.imageManifest ?? '{}').layers[0];
    expect(layer.mediaType).toBe('application/vnd.dev.cosign.simplesigning.v1+json');
    const payload = JSON.parse((await download(repo, layer.digest)).toString());
    expect(payload.critical.image['docker-manifest-digest']).toBe(image.digest);
  });

  it('reports an OCI 1.1 referrer with its subject and artifact type', async () => {
    const image = pushPlain({ repository: repo, tag: '1.0.0' });
    const config = await uploadBlob(repo, Buffer.from('{}'));
    const sbom = await uploadBlob(repo, Buffer.from('{"spdxVersion":"SPDX-2.3"}'));
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: 'application/spdx+json',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: config, size: 2 },
      layers: [{ mediaType: 'application/spdx+json', digest: sbom, size: 26 }],
      subject: { mediaType: OCI_MANIFEST, digest: image.digest, size: 1 },
    });
    await client.send(
      new PutImageCommand({ repositoryName: repo, imageManifest: manifest, imageTag: 'sbom' }),
    );
    const { imageDetails = [] } = await client.send(
      new DescribeImagesCommand({ repositoryName: repo, imageIds: [{ imageTag: 'sbom' }] }),
    );
    expect(imageDetails[0]).toMatchObject({
      artifactMediaType: 'application/spdx+json',
      subjectManifestDigest: image.digest,
    });
  });
});

describe('FakeEcrServer DescribeImages as documented', () => {
  it('refuses an imageStatus outside the SDK enum, and lists only ACTIVE images unless asked', async () => {
    const kept = pushPlain({ repository: repo, tag: 'kept', created: T0 });
    const archived = pushPlain({ repository: repo, tag: 'archived', created: T0 + 1 });
    ecr.setImageStatus(repo, archived.digest, 'ARCHIVED');
    const list = async (imageStatus?: string) => {
      const filter = imageStatus === undefined ? {} : { filter: { imageStatus: imageStatus as 'ANY' } };
      const { imageDetails = [] } = await client.send(
        new DescribeImagesCommand({ repositoryName: repo, ...filter }),
      );
      return imageDetails.map((detail) => [detail.imageTags?.[0], detail.imageStatus]);
    };
    expect(await list()).toEqual([['kept', 'ACTIVE']]);
    expect(await list('ARCHIVED')).toEqual([['archived', 'ARCHIVED']]);
    expect(await list('ANY')).toEqual([
      ['kept', 'ACTIVE'],
      ['archived', 'ARCHIVED'],
    ]);
    await expect(list('DELETED')).rejects.toBeInstanceOf(InvalidParameterException);
    const { imageIds = [] } = await client.send(new ListImagesCommand({ repositoryName: repo }));
    expect(imageIds).toEqual([{ imageDigest: kept.digest, imageTag: 'kept' }]);
  });

  it('reports the scan status and findings of images in a repository that scans on push', async () => {
    await client.send(
      new CreateRepositoryCommand({ repositoryName: repo, imageScanningConfiguration: { scanOnPush: true } }),
    );
    pushPlain({ repository: repo, tag: 'scanned', created: T0 });
    pushPlain({ repository: `${repo}-plain`, tag: 'not-scanned', created: T0 });
    const [scanned] =
      (await client.send(new DescribeImagesCommand({ repositoryName: repo }))).imageDetails ?? [];
    expect(scanned).toMatchObject({
      imageScanStatus: { status: 'COMPLETE' },
      imageScanFindingsSummary: { imageScanCompletedAt: new Date(T0), findingSeverityCounts: {} },
    });
    const [plain] =
      (await client.send(new DescribeImagesCommand({ repositoryName: `${repo}-plain` }))).imageDetails ?? [];
    expect(plain?.imageScanStatus).toBeUndefined();
    expect(plain?.imageScanFindingsSummary).toBeUndefined();
  });

  it('reports the scan states a test sets, in DescribeImages and DescribeImageScanFindings', async () => {
    await client.send(
      new CreateRepositoryCommand({ repositoryName: repo, imageScanningConfiguration: { scanOnPush: true } }),
    );
    ['clean', 'found', 'running', 'failed'].forEach((tag, i) => {
      pushPlain({ repository: repo, tag, created: T0 + i });
    });
    ecr.setScan(repo, 'found', { status: 'COMPLETE', findings: { CRITICAL: 1, HIGH: 3 } });
    ecr.setScan(repo, 'running', { status: 'IN_PROGRESS' });
    ecr.setScan(repo, 'failed', { status: 'FAILED' });
    const { imageDetails = [] } = await client.send(new DescribeImagesCommand({ repositoryName: repo }));
    const byTag = new Map(imageDetails.map((d) => [d.imageTags?.[0], d]));
    expect(byTag.get('clean')?.imageScanFindingsSummary?.findingSeverityCounts).toEqual({});
    expect(byTag.get('found')?.imageScanFindingsSummary?.findingSeverityCounts).toEqual({
      CRITICAL: 1,
      HIGH: 3,
    });
    expect(byTag.get('running')).toMatchObject({ imageScanStatus: { status: 'IN_PROGRESS' } });
    expect(byTag.get('running')?.imageScanFindingsSummary).toBeUndefined();
    expect(byTag.get('failed')?.imageScanStatus?.status).toBe('FAILED');

    const findings = (imageTag: string) =>
      client.send(new DescribeImageScanFindingsCommand({ repositoryName: repo, imageId: { imageTag } }));
    expect(await findings('found')).toMatchObject({
      imageScanStatus: { status: 'COMPLETE' },
      imageScanFindings: { findingSeverityCounts: { CRITICAL: 1, HIGH: 3 }, findings: [] },
    });
    expect((await findings('running')).imageScanFindings).toBeUndefined();
    pushPlain({ repository: `${repo}-plain`, tag: 'not-scanned', created: T0 });
    await expect(
      client.send(
        new DescribeImageScanFindingsCommand({
          repositoryName: `${repo}-plain`,
          imageId: { imageTag: 'not-scanned' },
        }),
      ),
    ).rejects.toBeInstanceOf(ScanNotFoundException);
    await expect(findings('missing')).rejects.toBeInstanceOf(ImageNotFoundException);
  });

  it('scans an image once on StartImageScan, finding what its config label declares', async () => {
    const pushed = pushPlain({
      repository: repo,
      tag: 'manual',
      created: T0,
      labels: { 'org.ecr-image-updater.local.findings': 'CRITICAL=1,high=3' },
    });
    const imageId = { imageDigest: pushed.digest };
    const [before] =
      (await client.send(new DescribeImagesCommand({ repositoryName: repo }))).imageDetails ?? [];
    expect(before?.imageScanStatus).toBeUndefined();
    await expect(
      client.send(new DescribeImageScanFindingsCommand({ repositoryName: repo, imageId })),
    ).rejects.toBeInstanceOf(ScanNotFoundException);
    const started = await client.send(new StartImageScanCommand({ repositoryName: repo, imageId }));
    expect(started.imageScanStatus?.status).toBe('IN_PROGRESS');
    const [after] =
      (await client.send(new DescribeImagesCommand({ repositoryName: repo }))).imageDetails ?? [];
    expect(after).toMatchObject({
      imageScanStatus: { status: 'COMPLETE' },
      imageScanFindingsSummary: { findingSeverityCounts: { CRITICAL: 1, HIGH: 3 } },
    });
    await expect(
      client.send(new StartImageScanCommand({ repositoryName: repo, imageId })),
    ).rejects.toBeInstanceOf(LimitExceededException);
  });

  it('pages in short pages of no particular order, when asked, each image exactly once', async () => {
    for (let i = 0; i < 50; i++) pushPlain({ repository: repo, tag: `1.0.${i}`, created: T0 + i });
    ecr.listing = { pageSize: 7, seed: 'test' };
    try {
      ecr.clearCalls();
      const tags: string[] = [];
      for await (const page of paginateDescribeImages(
        { client },
        { repositoryName: repo, maxResults: 1000 },
      )) {
        expect(page.imageDetails?.length).toBeLessThanOrEqual(7);
        tags.push(...(page.imageDetails ?? []).flatMap((detail) => detail.imageTags ?? []));
      }
      expect(ecr.callCount('DescribeImages')).toBe(8);
      expect([...tags].sort()).toEqual(Array.from({ length: 50 }, (_, i) => `1.0.${i}`).sort());
      expect(tags).not.toEqual(Array.from({ length: 50 }, (_, i) => `1.0.${i}`));
    } finally {
      ecr.listing = undefined;
    }
  });

  it('throttles with HTTP 400 ThrottlingException, which the SDK retries', async () => {
    pushPlain({ repository: repo, tag: 'a' });
    ecr.throttle('DescribeImages', 2);
    ecr.clearCalls();
    const { imageDetails = [] } = await client.send(new DescribeImagesCommand({ repositoryName: repo }));
    expect(imageDetails).toHaveLength(1);
    expect(ecr.callCount('DescribeImages')).toBe(3);
  });

  it('denies a call IAM does not allow, naming the action and the repository, before it looks for it', async () => {
    const allow = ecr.denyAccess({ repository: repo, operations: ['DescribeImages'] });
    const error = await client.send(new DescribeImagesCommand({ repositoryName: repo })).catch((e) => e);
    expect(error).toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 403 },
      message: expect.stringContaining(
        `is not authorized to perform: ecr:DescribeImages on resource: arn:aws:ecr:eu-west-1:123456789012:repository/${repo}`,
      ),
    });
    await expect(client.send(new ListImagesCommand({ repositoryName: repo }))).rejects.toBeInstanceOf(
      RepositoryNotFoundException,
    );
    allow();
    await expect(client.send(new DescribeImagesCommand({ repositoryName: repo }))).rejects.toBeInstanceOf(
      RepositoryNotFoundException,
    );
  });
});

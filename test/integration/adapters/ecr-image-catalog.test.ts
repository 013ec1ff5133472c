import { CreateRepositoryCommand, PutImageCommand } from '@aws-sdk/client-ecr';
import { FakeEcrServer } from '@ecr-image-updater/local/ecr/fake-ecr-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EcrImageCatalog } from '../../../lib/adapters/ecr-image-catalog.ts';
import { failureReason, UpstreamError } from '../../../lib/domain/errors.ts';
import { ecrClient } from '../../support/aws-clients.ts';

let ecr: FakeEcrServer;
let catalog: EcrImageCatalog;
const repo = (repository: string) => ({ accountId: '123456789012', region: 'us-west-2', repository });

beforeAll(async () => {
  let clock = Date.UTC(2026, 10, 16);
  ecr = await FakeEcrServer.start({
    accountId: '123456789012',
    region: 'us-west-2',
    now: () => (clock += 1000),
  });
  catalog = new EcrImageCatalog({ clientFor: (region) => ecrClient(ecr.url, region) });
});
afterAll(() => ecr.close());

describe('EcrImageCatalog', () => {
  it('lists every tag with its digest and push time, one candidate per tag, across pages', async () => {
    for (let i = 0; i < 1_205; i++) ecr.pushImage({ repository: 'many', tag: `1.0.${i}` });
    ecr.clearCalls();
    const tags = await catalog.listTags(repo('many'));
    expect(tags).toHaveLength(1_205);
    expect(new Set(tags.map((t) => t.tag)).size).toBe(1_205);
    expect(tags[0]).toMatchObject({
      tag: '1.0.0',
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      pushedAt: expect.any(Number),
    });
    expect(ecr.callCount('DescribeImages')).toBe(2);
  });

  it("reads each image's scan from DescribeImages, with no call per image when summaries are there", async () => {
    await ecrClient(ecr.url, 'us-west-2').send(
      new CreateRepositoryCommand({
        repositoryName: 'scanned',
        imageScanningConfiguration: { scanOnPush: true },
      }),
    );
    for (const tag of ['1.4.1', '1.4.2', '1.4.3', '1.4.4']) ecr.pushImage({ repository: 'scanned', tag });
    ecr.setScan('scanned', '1.4.2', { status: 'COMPLETE', findings: { CRITICAL: 1, HIGH: 3 } });
    ecr.setScan('scanned', '1.4.3', { status: 'IN_PROGRESS' });
    ecr.setScan('scanned', '1.4.4', { status: 'FAILED' });
    ecr.clearCalls();
    const tags = await catalog.listTags(repo('scanned'));
    const detailed = await catalog.addDetails(repo('scanned'), tags, {
      platforms: false,
      createdAt: false,
      scan: true,
    });
    expect(detailed.map((t) => [t.tag, t.scan])).toEqual([
      ['1.4.1', { status: 'COMPLETE', findings: {} }],
      ['1.4.2', { status: 'COMPLETE', findings: { CRITICAL: 1, HIGH: 3 } }],
      ['1.4.3', { status: 'IN_PROGRESS' }],
      ['1.4.4', { status: 'FAILED' }],
    ]);
    expect(ecr.callCount('DescribeImageScanFindings')).toBe(0);
    expect(ecr.callCount('BatchGetImage')).toBe(0);
  });

  it('reads the counts of a complete scan that came without a summary, for that image alone', async () => {
    const tags = await catalog.listTags(repo('scanned'));
    const withoutSummary = tags.map((t) => (t.tag === '1.4.2' ? { ...t, scan: { status: 'COMPLETE' } } : t));
    ecr.clearCalls();
    const detailed = await catalog.addDetails(repo('scanned'), withoutSummary, {
      platforms: false,
      createdAt: false,
      scan: true,
    });
    expect(detailed.find((t) => t.tag === '1.4.2')?.scan).toEqual({
      status: 'COMPLETE',
      findings: { CRITICAL: 1, HIGH: 3 },
    });
    expect(ecr.callCount('DescribeImageScanFindings')).toBe(1);
  });

  it('gives each tag of a multi-tag image its own candidate, and skips untagged manifests', async () => {
    const build = { platforms: ['linux/amd64', 'linux/arm64/v8'], created: Date.UTC(2026, 0, 1) };
    const pushed = ecr.pushImage({ repository: 'multi', tag: 'v2.3.0', ...build });
    ecr.pushImage({ repository: 'multi', tag: 'stable', ...build });
    const tags = await catalog.listTags(repo('multi'));
    expect(tags.map((t) => [t.tag, t.digest])).toEqual([
      ['v2.3.0', pushed.digest],
      ['stable', pushed.digest],
    ]);
  });

  it('adds platforms from an index, and platform and build time from a plain image config', async () => {
    ecr.pushImage({ repository: 'details', tag: 'multi', platforms: ['linux/amd64', 'linux/arm/v7'] });
    ecr.pushImage({
      repository: 'details',
      tag: 'single',
      platforms: ['linux/arm64'],
      created: Date.UTC(2026, 0, 2),
      provenance: false,
    });
    const tags = await catalog.listTags(repo('details'));
    const detailed = await catalog.addDetails(repo('details'), tags, { platforms: true, createdAt: true });
    expect(detailed.find((t) => t.tag === 'multi')?.platforms).toEqual(['linux/amd64', 'linux/arm/v7']);
    expect(detailed.find((t) => t.tag === 'single')).toMatchObject({
      platforms: ['linux/arm64'],
      createdAt: Date.UTC(2026, 0, 2),
    });
  });

  it('reads the build time of an image buildx pushed as an index, leaving its attestation out', async () => {
    const pushed = ecr.pushImage({ repository: 'buildx', tag: '1.0.0', created: Date.UTC(2026, 0, 3) });
    expect(pushed.children.map((child) => child.platform)).toEqual(['linux/amd64', 'unknown/unknown']);
    const tags = await catalog.listTags(repo('buildx'));
    const detailed = await catalog.addDetails(repo('buildx'), tags, { platforms: true, createdAt: true });
    expect(detailed).toMatchObject([
      { tag: '1.0.0', platforms: ['linux/amd64'], createdAt: Date.UTC(2026, 0, 3) },
    ]);
  });

  it('reads an index build time from the image of a wanted platform, else from its first image', async () => {
    const amd64 = ecr.pushImage({
      repository: 'assembled',
      tag: 'amd64-only',
      platforms: ['linux/amd64'],
      created: Date.UTC(2026, 1, 1),
      provenance: false,
    });
    const arm64 = ecr.pushImage({
      repository: 'assembled',
      tag: 'arm64-only',
      platforms: ['linux/arm64/v8'],
      created: Date.UTC(2026, 1, 2),
      provenance: false,
    });
    // An index put together from two builds, as `docker buildx imagetools create` does.
    const entry = (digest: string, platform: object) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest,
      size: ecr.images('assembled').find((image) => image.digest === digest)?.manifest.length,
      platform,
    });
    await ecrClient(ecr.url).send(
      new PutImageCommand({
        repositoryName: 'assembled',
        imageTag: 'both',
        imageManifest: JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          manifests: [
            entry(amd64.digest, { os: 'linux', architecture: 'amd64' }),
            entry(arm64.digest, { os: 'linux', architecture: 'arm64', variant: 'v8' }),
          ],
        }),
      }),
    );
    const tags = (await catalog.listTags(repo('assembled'))).filter((t) => t.tag === 'both');
    const needs = { platforms: false, createdAt: true };
    const [first] = await catalog.addDetails(repo('assembled'), tags, needs);
    const [arm] = await catalog.addDetails(repo('assembled'), tags, {
      ...needs,
      wantedPlatforms: ['windows/amd64', 'linux/arm64'],
    });
    expect(first?.createdAt).toBe(Date.UTC(2026, 1, 1));
    expect(arm?.createdAt).toBe(Date.UTC(2026, 1, 2));
  });

  it('reads build times with one BatchGetImage for the indexes, one for their images, one config each', async () => {
    for (let i = 0; i < 3; i++) ecr.pushImage({ repository: 'counted', tag: `1.0.${i}`, created: i });
    const tags = await catalog.listTags(repo('counted'));
    ecr.clearCalls();
    const needs = { platforms: false, createdAt: true };
    const detailed = await catalog.addDetails(repo('counted'), tags, needs);
    await catalog.addDetails(repo('counted'), tags, needs);
    expect(detailed.map((t) => t.createdAt)).toEqual([0, 1, 2]);
    expect(ecr.callCount('BatchGetImage')).toBe(2);
    expect(ecr.callCount('GetDownloadUrlForLayer')).toBe(3);
  });

  it('reads each manifest once for the life of the catalog', async () => {
    ecr.pushImage({ repository: 'cached', tag: 'a', platforms: ['linux/amd64'], provenance: false });
    const tags = await catalog.listTags(repo('cached'));
    ecr.clearCalls();
    await catalog.addDetails(repo('cached'), tags, { platforms: true, createdAt: false });
    await catalog.addDetails(repo('cached'), tags, { platforms: true, createdAt: false });
    expect(ecr.callCount('BatchGetImage')).toBe(1);
    expect(ecr.callCount('GetDownloadUrlForLayer')).toBe(1);
  });

  it('lists the same tags from short pages in no particular order', async () => {
    for (let i = 0; i < 40; i++)
      ecr.pushImage({ repository: 'shuffled', tag: `2.0.${i}`, provenance: false });
    const inOrder = await catalog.listTags(repo('shuffled'));
    ecr.listing = { pageSize: 6, seed: 'catalog' };
    try {
      ecr.clearCalls();
      const shuffled = await catalog.listTags(repo('shuffled'));
      expect(ecr.callCount('DescribeImages')).toBe(7);
      const byTag = (a: { tag: string }, b: { tag: string }) => a.tag.localeCompare(b.tag);
      expect([...shuffled].sort(byTag)).toEqual([...inOrder].sort(byTag));
    } finally {
      ecr.listing = undefined;
    }
  });

  it('leaves out archived images, which cannot be pulled', async () => {
    ecr.pushImage({ repository: 'archive', tag: '1.0.0' });
    const old = ecr.pushImage({ repository: 'archive', tag: '0.9.0' });
    ecr.setImageStatus('archive', old.digest, 'ARCHIVED');
    expect((await catalog.listTags(repo('archive'))).map((t) => t.tag)).toEqual(['1.0.0']);
  });

  it('rides out throttling through the SDK retries, and marks a persistent one retryable', async () => {
    ecr.pushImage({ repository: 'throttled', tag: '1.0.0' });
    ecr.throttle('DescribeImages', 2);
    expect(await catalog.listTags(repo('throttled'))).toHaveLength(1);
    ecr.throttle('DescribeImages', 10);
    const error = await catalog.listTags(repo('throttled')).catch((e) => e);
    ecr.clearFaults();
    expect(error).toMatchObject({ retryable: true, message: expect.stringContaining('ThrottlingException') });
  });

  it.each([403, 400] as const)(
    'fails for good when the role may not read the repository (AccessDeniedException, HTTP %i), naming the permission',
    async (status) => {
      ecr.pushImage({ repository: 'denied-repo', tag: '1.0.0' });
      const allow = ecr.denyAccess({ repository: 'denied-repo', operations: ['DescribeImages'], status });
      const error = await catalog.listTags(repo('denied-repo')).catch((e) => e);
      allow();
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error).toMatchObject({
        retryable: false,
        message: expect.stringMatching(
          /^ECR: the role may not call ecr:DescribeImages on 123456789012\/us-west-2\/denied-repo; allow it in the role's policy or the repository policy \(AccessDeniedException: User: .* is not authorized/,
        ),
      });
      expect(failureReason(error)).toBe('denied');
    },
  );

  it('says a missing repository cannot be read, without retrying, and counts it as not-found', async () => {
    const error = await catalog.listTags(repo('gone')).catch((e) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({
      retryable: false,
      message: 'ECR: repository 123456789012/us-west-2/gone does not exist (or the role may not read it)',
    });
    expect(failureReason(error)).toBe('not-found');
  });

  it('survives a 5xx through the SDK retries, and marks a persistent one retryable', async () => {
    ecr.pushImage({ repository: 'flaky', tag: '1.0.0' });
    ecr.injectFault({ target: 'DescribeImages', kind: 'status', status: 503 });
    expect(await catalog.listTags(repo('flaky'))).toHaveLength(1);
    ecr.injectFault({ target: 'DescribeImages', kind: 'status', status: 500, times: 10 });
    const error = await catalog.listTags(repo('flaky')).catch((e) => e);
    ecr.clearFaults();
    expect(error).toMatchObject({ retryable: true });
  });

  it('does not cache a KmsError: the read fails retryably and the next one asks again', async () => {
    const pushed = ecr.pushImage({ repository: 'kms', tag: '1.0.0', platforms: ['linux/amd64'] });
    const tags = await catalog.listTags(repo('kms'));
    ecr.failImage({ repository: 'kms', digest: pushed.digest, failureCode: 'KmsError' });
    const error = await catalog
      .addDetails(repo('kms'), tags, { platforms: true, createdAt: false })
      .catch((e) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ retryable: true, message: expect.stringContaining('KmsError') });
    const detailed = await catalog.addDetails(repo('kms'), tags, { platforms: true, createdAt: false });
    expect(detailed[0]?.platforms).toEqual(['linux/amd64']);
  });

  it('fails for good on an UpstreamAccessDenied, which a person must fix', async () => {
    const pushed = ecr.pushImage({ repository: 'denied', tag: '1.0.0', platforms: ['linux/amd64'] });
    const tags = await catalog.listTags(repo('denied'));
    ecr.failImage({ repository: 'denied', digest: pushed.digest, failureCode: 'UpstreamAccessDenied' });
    const error = await catalog
      .addDetails(repo('denied'), tags, { platforms: true, createdAt: false })
      .catch((e) => e);
    expect(error).toMatchObject({
      retryable: false,
      message: expect.stringContaining('UpstreamAccessDenied'),
    });
  });

  it('caches an image that is not found as one without details', async () => {
    const pushed = ecr.pushImage({ repository: 'notfound', tag: '1.0.0', platforms: ['linux/amd64'] });
    const tags = await catalog.listTags(repo('notfound'));
    ecr.failImage({ repository: 'notfound', digest: pushed.digest, failureCode: 'ImageNotFound' });
    ecr.clearCalls();
    const needs = { platforms: true, createdAt: false };
    expect((await catalog.addDetails(repo('notfound'), tags, needs))[0]?.platforms).toBeUndefined();
    expect((await catalog.addDetails(repo('notfound'), tags, needs))[0]?.platforms).toBeUndefined();
    expect(ecr.callCount('BatchGetImage')).toBe(1);
  });

  it('gives up on a stalled config download, retryably, and reads it on the next try', async () => {
    ecr.pushImage({ repository: 'stall', tag: '1.0.0', platforms: ['linux/arm64'] });
    const hasty = new EcrImageCatalog({
      clientFor: (region) => ecrClient(ecr.url, region),
      blobTimeoutMs: 200,
    });
    const tags = await hasty.listTags(repo('stall'));
    ecr.stallBlobDownloads();
    const started = Date.now();
    const error = await hasty
      .addDetails(repo('stall'), tags, { platforms: true, createdAt: true })
      .catch((e) => e);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({
      retryable: true,
      message: expect.stringMatching(
        /^ECR: image config sha256:[0-9a-f]{64} of 123456789012\/us-west-2\/stall could not be downloaded \(no answer in 200 ms\)$/,
      ),
    });
    const detailed = await hasty.addDetails(repo('stall'), tags, { platforms: true, createdAt: true });
    expect(detailed[0]?.platforms).toEqual(['linux/arm64']);
  });

  it('fails the read on one image while another config download is under way, and leaves none unhandled', async () => {
    const plain = { repository: 'mixed', provenance: false };
    const slow = ecr.pushImage({ ...plain, tag: 'slow', platforms: ['linux/amd64'] });
    const failing = ecr.pushImage({ ...plain, tag: 'failing', platforms: ['linux/arm64'] });
    const hasty = new EcrImageCatalog({
      clientFor: (region) => ecrClient(ecr.url, region),
      blobTimeoutMs: 100,
    });
    const tags = await hasty.listTags(repo('mixed'));
    ecr.stallBlobDownloads();
    ecr.failImage({ repository: 'mixed', digest: failing.digest, failureCode: 'UpstreamUnavailable' });
    const error = await hasty
      .addDetails(repo('mixed'), tags, { platforms: true, createdAt: true })
      .catch((e) => e);
    expect(error).toMatchObject({ retryable: true, message: expect.stringContaining(failing.digest) });
    // The stalled download of the other image times out after the read has failed; nothing awaits it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const detailed = await hasty.addDetails(repo('mixed'), tags, { platforms: true, createdAt: true });
    expect(detailed.map((t) => [t.digest, t.platforms])).toEqual([
      [slow.digest, ['linux/amd64']],
      [failing.digest, ['linux/arm64']],
    ]);
  });
});

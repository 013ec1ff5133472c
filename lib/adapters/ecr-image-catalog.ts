/**
 * The ECR side, read with the Lambda's own role (no registry tokens): the repository's tags from
 * DescribeImages (every page, once per event), and, only when a policy filters by platform or orders by
 * build time, manifests from BatchGetImage and image configs through GetDownloadUrlForLayer. Manifests
 * are immutable, so what is learnt of a digest is cached for the life of the process.
 */
import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  ECRClient,
  GetDownloadUrlForLayerCommand,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import type { DetailNeeds, ImageCatalog, RepositoryRef } from '../app/ports.ts';
import { UpstreamError } from '../domain/errors.ts';
import { artifactReason } from '../domain/tags/artifact-reason.ts';
import type { TagCandidate } from '../domain/tags/tag-candidate.ts';
import { toUpstreamError } from './aws-errors.ts';
import { createAwsClient } from './create-aws-client.ts';
import { type ImageDetails, readManifest } from './oci-manifest.ts';

export interface EcrImageCatalogOptions {
  /** A client per region; by default one ECRClient per region, built on first use. */
  readonly clientFor?: (region: string) => ECRClient;
  /** For image config blobs behind GetDownloadUrlForLayer's pre-signed URL. */
  readonly fetch?: typeof fetch;
  readonly cacheSize?: number;
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];

export class EcrImageCatalog implements ImageCatalog {
  private readonly clients = new Map<string, ECRClient>();
  private readonly details = new Map<string, Promise<ImageDetails>>();
  private readonly clientFor: (region: string) => ECRClient;
  private readonly fetch: typeof fetch;
  private readonly cacheSize: number;

  constructor(options: EcrImageCatalogOptions = {}) {
    this.clientFor = options.clientFor ?? ((region) => createAwsClient(ECRClient, { region }));
    this.fetch = options.fetch ?? globalThis.fetch;
    this.cacheSize = options.cacheSize ?? 5_000;
  }

  async listTags(repository: RepositoryRef): Promise<TagCandidate[]> {
    const client = this.client(repository.region);
    const candidates: TagCandidate[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call(repository, 'DescribeImages', () =>
        client.send(
          new DescribeImagesCommand({
            registryId: repository.accountId,
            repositoryName: repository.repository,
            filter: { tagStatus: 'TAGGED' },
            maxResults: 1000,
            ...(nextToken ? { nextToken } : {}),
          }),
        ),
      );
      for (const detail of page.imageDetails ?? []) {
        const pushedAt = detail.imagePushedAt?.getTime();
        // ImageDetail's artifactMediaType and subjectManifestDigest (ECR API reference, DescribeImages;
        // @aws-sdk/client-ecr's ImageDetail) tell artifacts (Helm charts, referrers) from images.
        const { artifactMediaType, subjectManifestDigest } = detail;
        for (const tag of detail.imageTags ?? []) {
          candidates.push({
            tag,
            ...(detail.imageDigest ? { digest: detail.imageDigest } : {}),
            ...(pushedAt === undefined ? {} : { pushedAt }),
            ...(artifactMediaType ? { artifactMediaType } : {}),
            ...(subjectManifestDigest ? { subjectDigest: subjectManifestDigest } : {}),
          });
        }
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return candidates;
  }

  async addDetails(
    repository: RepositoryRef,
    candidates: readonly TagCandidate[],
    needs: DetailNeeds,
  ): Promise<TagCandidate[]> {
    // An artifact is never a candidate, so its manifest and config are not worth a read.
    const digests = [
      ...new Set(candidates.flatMap((c) => (c.digest && artifactReason(c) === undefined ? [c.digest] : []))),
    ];
    const missing = digests.filter((digest) => !this.details.has(this.cacheKey(repository, digest)));
    await this.loadManifests(repository, missing);
    const resolved = new Map<string, ImageDetails>();
    await Promise.all(
      digests.map(async (digest) =>
        resolved.set(digest, await this.details.get(this.cacheKey(repository, digest))!),
      ),
    );
    return candidates.map((candidate) => {
      const found = candidate.digest ? resolved.get(candidate.digest) : undefined;
      if (!found) return candidate;
      return {
        ...candidate,
        ...(needs.platforms && found.platforms ? { platforms: found.platforms } : {}),
        ...(needs.createdAt && found.createdAt !== undefined ? { createdAt: found.createdAt } : {}),
      };
    });
  }

  // One BatchGetImage per 100 digests; each manifest's details become a cached promise.
  private async loadManifests(repository: RepositoryRef, digests: readonly string[]): Promise<void> {
    const client = this.client(repository.region);
    for (let i = 0; i < digests.length; i += 100) {
      const chunk = digests.slice(i, i + 100);
      const result = await this.call(repository, 'BatchGetImage', () =>
        client.send(
          new BatchGetImageCommand({
            registryId: repository.accountId,
            repositoryName: repository.repository,
            imageIds: chunk.map((imageDigest) => ({ imageDigest })),
            acceptedMediaTypes: MANIFEST_TYPES,
          }),
        ),
      );
      for (const image of result.images ?? []) {
        const digest = image.imageId?.imageDigest;
        if (!digest || !image.imageManifest) continue;
        this.remember(
          this.cacheKey(repository, digest),
          readManifest(image.imageManifest, (configDigest) => this.readConfig(repository, configDigest)),
        );
      }
      for (const digest of chunk) {
        if (!this.details.has(this.cacheKey(repository, digest)))
          this.details.set(this.cacheKey(repository, digest), Promise.resolve({}));
      }
    }
  }

  private async readConfig(repository: RepositoryRef, configDigest: string): Promise<unknown> {
    const client = this.client(repository.region);
    const { downloadUrl } = await this.call(repository, 'GetDownloadUrlForLayer', () =>
      client.send(
        new GetDownloadUrlForLayerCommand({
          registryId: repository.accountId,
          repositoryName: repository.repository,
          layerDigest: configDigest,
        }),
      ),
    );
    if (!downloadUrl) return undefined;
    const response = await this.fetch(downloadUrl);
    if (!response.ok)
      throw new UpstreamError('ECR', `image config ${configDigest} answered HTTP ${response.status}`, {
        retryable: response.status >= 500,
        status: response.status,
      });
    return response.json();
  }

  private remember(key: string, details: Promise<ImageDetails>): void {
    if (this.details.size >= this.cacheSize) this.details.delete(this.details.keys().next().value!);
    // A failed read is not remembered: the next event tries again.
    this.details.set(
      key,
      details.catch((error) => {
        this.details.delete(key);
        throw error;
      }),
    );
  }

  private cacheKey(repository: RepositoryRef, digest: string): string {
    return `${repository.accountId}/${repository.region}/${repository.repository}@${digest}`;
  }

  private client(region: string): ECRClient {
    let client = this.clients.get(region);
    if (!client) {
      client = this.clientFor(region);
      this.clients.set(region, client);
    }
    return client;
  }

  private async call<T>(repository: RepositoryRef, operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      const name = `${repository.accountId}/${repository.region}/${repository.repository}`;
      if (error instanceof RepositoryNotFoundException) {
        // ECR answers RepositoryNotFoundException with HTTP 400, as every AWS JSON error; what it means is
        // a resource that is not there, so it is reported (and counted) as not-found, like GitHub's 404.
        throw new UpstreamError('ECR', `repository ${name} does not exist (or the role may not read it)`, {
          retryable: false,
          status: 404,
          cause: error,
        });
      }
      throw toUpstreamError('ECR', `${operation} on ${name}`, error);
    }
  }
}

/**
 * The ECR side, read with the Lambda's own role (no registry tokens): the repository's tags from
 * DescribeImages (every page, once per event), and, only when a policy filters by platform or orders by
 * build time, manifests from BatchGetImage and image configs through GetDownloadUrlForLayer. An index's
 * build time is its dating image's (see {@link datingImage}): a second BatchGetImage reads those images'
 * manifests for every index at once. Manifests are immutable, so what is learnt of a digest is cached
 * for the life of the process.
 */
import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  ECRClient,
  GetDownloadUrlForLayerCommand,
} from '@aws-sdk/client-ecr';
import type { DetailNeeds, ImageCatalog, RepositoryRef } from '../app/ports.ts';
import { UpstreamError } from '../domain/errors.ts';
import { artifactReason } from '../domain/tags/artifact-reason.ts';
import type { TagCandidate } from '../domain/tags/tag-candidate.ts';
import { AWS_REQUEST_TIMEOUT_MS, createAwsClient } from './create-aws-client.ts';
import { ecrCallError, imageFailureError } from './ecr-image-failures.ts';
import { scanOfDetail, withScanFindings } from './ecr-image-scans.ts';
import { datingImage, type ImageDetails, readManifest } from './oci-manifest.ts';

export interface EcrImageCatalogOptions {
  /**
   * A client per region and account (a spoke's is signed with its read role's credentials); by
   * default one ECRClient per region with the process's credentials. Each is built on first use.
   */
  readonly clientFor?: (region: string, accountId: string) => ECRClient;
  /** For image config blobs behind GetDownloadUrlForLayer's pre-signed URL. */
  readonly fetch?: typeof fetch;
  /** How long a config blob's download may take, in ms: by default as long as any AWS answer (10 s). */
  readonly blobTimeoutMs?: number;
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
  private readonly clientFor: (region: string, accountId: string) => ECRClient;
  private readonly fetch: typeof fetch;
  private readonly blobTimeoutMs: number;
  private readonly cacheSize: number;

  constructor(options: EcrImageCatalogOptions = {}) {
    this.clientFor = options.clientFor ?? ((region) => createAwsClient(ECRClient, { region }));
    this.fetch = options.fetch ?? globalThis.fetch;
    this.blobTimeoutMs = options.blobTimeoutMs ?? AWS_REQUEST_TIMEOUT_MS;
    this.cacheSize = options.cacheSize ?? 5_000;
  }

  async listTags(repository: RepositoryRef): Promise<TagCandidate[]> {
    const client = this.client(repository);
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
        const scan = scanOfDetail(detail);
        for (const tag of detail.imageTags ?? []) {
          candidates.push({
            tag,
            ...(detail.imageDigest ? { digest: detail.imageDigest } : {}),
            ...(pushedAt === undefined ? {} : { pushedAt }),
            ...(artifactMediaType ? { artifactMediaType } : {}),
            ...(subjectManifestDigest ? { subjectDigest: subjectManifestDigest } : {}),
            ...(scan ? { scan } : {}),
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
    const scanned = needs.scan
      ? await withScanFindings(this.client(repository), repository, candidates, (operation, send) =>
          this.call(repository, operation, send),
        )
      : [...candidates];
    if (!needs.platforms && !needs.createdAt) return scanned;
    return this.addManifestDetails(repository, scanned, needs);
  }

  private async addManifestDetails(
    repository: RepositoryRef,
    candidates: readonly TagCandidate[],
    needs: DetailNeeds,
  ): Promise<TagCandidate[]> {
    // An artifact is never a candidate, so its manifest and config are not worth a read.
    const digests = [
      ...new Set(candidates.flatMap((c) => (c.digest && artifactReason(c) === undefined ? [c.digest] : []))),
    ];
    const resolved = await this.detailsOf(repository, digests);
    const builds = new Map<string, number | undefined>();
    if (needs.createdAt) {
      const dating = new Map<string, string>();
      for (const [digest, found] of resolved) {
        const image = found.images && datingImage(found.images, needs.wantedPlatforms);
        if (image) dating.set(digest, image.digest);
      }
      const images = await this.detailsOf(repository, [...new Set(dating.values())]);
      for (const [digest, found] of resolved) {
        const image = dating.get(digest);
        builds.set(digest, image === undefined ? found.createdAt : images.get(image)?.createdAt);
      }
    }
    return candidates.map((candidate) => {
      const found = candidate.digest ? resolved.get(candidate.digest) : undefined;
      if (!found) return candidate;
      const createdAt = builds.get(candidate.digest!);
      return {
        ...candidate,
        ...(needs.platforms && found.platforms ? { platforms: found.platforms } : {}),
        ...(needs.createdAt && createdAt !== undefined ? { createdAt } : {}),
      };
    });
  }

  /** The details of each digest: from the cache, else read with one BatchGetImage per 100. */
  private async detailsOf(
    repository: RepositoryRef,
    digests: readonly string[],
  ): Promise<Map<string, ImageDetails>> {
    const missing = digests.filter((digest) => !this.details.has(this.cacheKey(repository, digest)));
    await this.loadManifests(repository, missing);
    const resolved = new Map<string, ImageDetails>();
    await Promise.all(
      digests.map(async (digest) =>
        resolved.set(digest, await this.details.get(this.cacheKey(repository, digest))!),
      ),
    );
    return resolved;
  }

  // One BatchGetImage per 100 digests; each manifest's details become a cached promise, and so does the
  // absence of an image that is not found. Any other failure fails the read, so the event is retried.
  private async loadManifests(repository: RepositoryRef, digests: readonly string[]): Promise<void> {
    const client = this.client(repository);
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
      const failures = (result.failures ?? []).filter((failure) => failure.failureCode !== 'ImageNotFound');
      if (failures.length > 0) throw imageFailureError(this.nameOf(repository), failures);
      for (const digest of chunk) {
        if (!this.details.has(this.cacheKey(repository, digest)))
          this.details.set(this.cacheKey(repository, digest), Promise.resolve({}));
      }
    }
  }

  private async readConfig(repository: RepositoryRef, configDigest: string): Promise<unknown> {
    const client = this.client(repository);
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
    // The timeout covers the body too; the URL is never quoted, as its query string is a signature.
    const signal = AbortSignal.timeout(this.blobTimeoutMs);
    const what = `image config ${configDigest} of ${this.nameOf(repository)}`;
    let response: Response;
    try {
      response = await this.fetch(downloadUrl, { signal });
      if (response.ok) return await response.json();
    } catch (error) {
      if (error instanceof SyntaxError)
        throw new UpstreamError('ECR', `${what} is not JSON`, { retryable: false, cause: error });
      const why = signal.aborted ? `no answer in ${this.blobTimeoutMs} ms` : String(error).slice(0, 300);
      throw new UpstreamError('ECR', `${what} could not be downloaded (${why})`, {
        retryable: true,
        cause: error,
      });
    }
    await response.body?.cancel();
    throw new UpstreamError('ECR', `${what} answered HTTP ${response.status}`, {
      retryable: response.status >= 500,
      status: response.status,
    });
  }

  private remember(key: string, details: Promise<ImageDetails>): void {
    if (this.details.size >= this.cacheSize) this.details.delete(this.details.keys().next().value!);
    // A failed read is not remembered: the next event tries again. A read that fails after the event
    // itself has failed (another image's failure ended it) has no one awaiting it, and is not an
    // unhandled rejection: whoever awaits it later still sees the error.
    const remembered = details.catch((error) => {
      this.details.delete(key);
      throw error;
    });
    remembered.catch(() => {});
    this.details.set(key, remembered);
  }

  private cacheKey(repository: RepositoryRef, digest: string): string {
    return `${this.nameOf(repository)}@${digest}`;
  }

  private nameOf(repository: RepositoryRef): string {
    return `${repository.accountId}/${repository.region}/${repository.repository}`;
  }

  private client({ accountId, region }: RepositoryRef): ECRClient {
    const key = `${accountId}/${region}`;
    let client = this.clients.get(key);
    if (!client) {
      client = this.clientFor(region, accountId);
      this.clients.set(key, client);
    }
    return client;
  }

  private async call<T>(repository: RepositoryRef, operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw ecrCallError(this.nameOf(repository), operation, error);
    }
  }
}

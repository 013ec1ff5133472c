/**
 * A local Amazon ECR: the ECR API over AWS JSON 1.1 on loopback, with repositories, images, tags and
 * blobs in memory, for tests and local mode. Requests and answers have the shapes, error types and
 * messages ECR uses, so the real SDK client (pagination, exceptions, retries) runs unchanged against it.
 * `pushImage` stores what `docker buildx build --push` (BuildKit, OCI media types) sends, through the same code the
 * wire operations run.
 */
import { AwsJsonPeer, AwsJsonServer } from '../aws-json-server.ts';
import { type ArtifactSpec, buildArtifact } from './artifact-builder.ts';
import { type AccessDenial, type AccountOfKey, EcrAccess } from './ecr-access.ts';
import { EcrImageFaults, type ImageFault } from './ecr-image-faults.ts';
import { ecrImageHandlers } from './ecr-image-handlers.ts';
import { ecrLayerHandlers, serveEcrBlob } from './ecr-layer-handlers.ts';
import {
  EcrRegistryState,
  type EcrRepository,
  type ImagePushEvent,
  type ImageScanState,
} from './ecr-registry-state.ts';
import { ecrRepositoryHandlers } from './ecr-repository-handlers.ts';
import type { ImageStatus, ListingMode } from './ecr-request.ts';
import { ecrScanHandlers } from './ecr-scan-handlers.ts';
import { type EcrSnapshot, repositoriesFromSnapshot, snapshotRepositories } from './ecr-snapshot.ts';
import { type BuiltImage, type BuiltManifest, buildImage } from './image-builder.ts';
import { uploadBlob } from './layer-uploads.ts';
import { type PushedImage, type PushImageOptions, pushedImageOf } from './pushed-image.ts';

export type { AccessDenial, EcrSnapshot, ImageFault, ImageScanState, ImageStatus, ListingMode };

const TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921';

/** Settings of a {@link FakeEcrServer}; every one has a default. */
export interface FakeEcrServerOptions {
  /** The registry used when a request names none; default `123456789012`. */
  readonly accountId?: string;
  /** For ARNs and repository URIs; default `us-east-1`. */
  readonly region?: string;
  /** The clock for push and creation times, in epoch ms; default `Date.now`. */
  readonly now?: () => number;
  readonly latencyMs?: number;
  /** Default 0, a free port. */
  readonly port?: number;
  /** DescribeImages and ListImages in short pages of no particular order; see {@link ListingMode}. */
  readonly listing?: ListingMode;
}

/** An image as the fake holds it, for assertions and local mode. */
export interface StoredImage {
  readonly digest: string;
  readonly tags: readonly string[];
  readonly manifest: string;
  readonly manifestMediaType: string;
  readonly artifactMediaType: string;
  readonly subjectDigest?: string;
  readonly sizeInBytes: number;
  readonly pushedAt: number;
  readonly status?: 'ARCHIVED' | 'ACTIVATING';
  readonly lastArchivedAt?: number;
}

/** The fake ECR. Start it with {@link FakeEcrServer.start}; point an `ECRClient` at `url`. */
export class FakeEcrServer extends AwsJsonPeer {
  readonly accountId: string;
  readonly region: string;
  /**
   * How DescribeImages and ListImages page: undefined for full pages in push order, or short pages in
   * an order of no meaning, as ECR may answer (see {@link ListingMode}). Settable at any time.
   */
  listing: ListingMode | undefined;
  /**
   * Whether a scan on push completes at once (default) or stays IN_PROGRESS until {@link setScan}: ECR
   * starts the scan after the push, and DescribeImages reports it in progress until it is done (ECR user
   * guide, "Scan images for OS vulnerabilities in Amazon ECR"; API reference, ImageScanStatus).
   */
  scansCompleteAtPush = true;
  private readonly state: EcrRegistryState;
  private readonly imageFaults = new EcrImageFaults();
  private readonly access: EcrAccess;

  /** Starts an empty registry on 127.0.0.1. */
  static async start(options: FakeEcrServerOptions = {}): Promise<FakeEcrServer> {
    const fake = new FakeEcrServer(options);
    await fake.wire.listen();
    return fake;
  }

  private constructor(options: FakeEcrServerOptions) {
    const { latencyMs = 0, port = 0 } = options;
    super(new AwsJsonServer({ targetPrefix: TARGET_PREFIX, latencyMs, port }));
    this.accountId = options.accountId ?? '123456789012';
    this.region = options.region ?? 'us-east-1';
    this.state = new EcrRegistryState({
      accountId: this.accountId,
      region: this.region,
      now: options.now ?? Date.now,
    });
    this.listing = options.listing;
    this.access = new EcrAccess(this.state);
    this.state.onPush(({ registryId, repositoryName, digest }) => {
      const repo = this.state.get(registryId, repositoryName);
      const image = repo?.scanOnPush ? repo.images.get(digest) : undefined;
      if (image && !this.scansCompleteAtPush && image.scan === undefined)
        image.scan = { status: 'IN_PROGRESS', findings: {} };
    });
    this.wire.handle(
      this.access.guard({
        ...ecrRepositoryHandlers(this.state),
        ...ecrImageHandlers(this.state, this.imageFaults, () => this.listing),
        ...ecrLayerHandlers(this.state, () => this.url),
        ...ecrScanHandlers(this.state),
      }),
      serveEcrBlob(this.state, this.imageFaults),
    );
  }

  /**
   * From now on a call is made as the account of its access key (`accountOfKey`, e.g. the fake STS's,
   * for keys of an assumed role; other keys are this registry's account), and a call on another
   * account's registry is denied, as ECR denies it without a repository policy (see {@link EcrAccess}).
   */
  checkCallerAccounts(accountOfKey: AccountOfKey): void {
    this.access.accountOfKey = accountOfKey;
  }

  /**
   * Pushes an image as `docker buildx build --push` does by default (see {@link buildImage}): uploads
   * each platform's config and layer, puts each platform's OCI manifest and its provenance attestation
   * untagged, then the OCI index with the tag. With `provenance: false` one platform is a plain tagged
   * manifest. Creates the repository when needed; pushing content that is already there under that tag
   * changes nothing. `created` defaults to the fake's clock, so successive pushes differ as builds do.
   */
  pushImage(options: PushImageOptions): PushedImage {
    const image = buildImage({
      tag: options.tag,
      created: options.created ?? this.state.now(),
      ...(options.platforms === undefined ? {} : { platforms: options.platforms }),
      ...(options.provenance === undefined ? {} : { provenance: options.provenance }),
      ...(options.labels === undefined ? {} : { labels: options.labels }),
    });
    this.store(options.repository, options.registryId, image);
    return pushedImageOf(image);
  }

  /**
   * Pushes an artifact as its tool does: a cosign signature under `sha256-<hex>.sig`, a Helm chart under
   * its version. ECR stores it, reports its `artifactMediaType` and announces its push, as for an image.
   */
  pushArtifact(options: {
    readonly repository: string;
    readonly artifact: ArtifactSpec;
    readonly registryId?: string;
  }): PushedImage {
    const artifact = buildArtifact(options.artifact);
    this.store(options.repository, options.registryId, artifact);
    return artifact.pushed;
  }

  /**
   * The next `times` BatchGetImage reads of an image (default 1) list it under `failures` with
   * `failureCode` (KmsError, UpstreamUnavailable, ...) instead of answering it, as ECR does when KMS or
   * a pull-through cache's upstream fails for that image.
   */
  failImage(fault: ImageFault): void {
    this.imageFaults.failImage(fault, this.accountId);
  }

  /**
   * The next `times` calls of `operation` (default 1) are throttled as AWS JSON services throttle: HTTP
   * 400 with ThrottlingException, "Rate exceeded" (the API references' Common Errors), which the SDK
   * retries with its backoff (@smithy/core's THROTTLING_ERROR_CODES).
   */
  throttle(operation: string, times = 1): void {
    this.injectFault({
      target: operation,
      times,
      kind: 'status',
      status: 400,
      type: 'ThrottlingException',
      message: 'Rate exceeded',
    });
  }

  /**
   * Answers the calls `denial` names with AccessDeniedException, as ECR does when IAM does not allow
   * them, until the returned function is called.
   */
  denyAccess(denial: AccessDenial): () => void {
    return this.access.deny(denial);
  }

  /**
   * Moves an image into ECR's archive storage class (ARCHIVED), or part way back (ACTIVATING), or back
   * (ACTIVE). DescribeImages and ListImages list only ACTIVE images unless `filter.imageStatus` asks.
   */
  setImageStatus(repository: string, digest: string, status: ImageStatus, registryId = this.accountId): void {
    const image = this.state.find(registryId, repository).images.get(digest);
    if (!image) throw new Error(`setImageStatus: ${repository} holds no image ${digest}`);
    if (status === 'ACTIVE') delete image.status;
    else image.status = status;
    if (status === 'ARCHIVED') image.lastArchivedAt = this.state.now();
  }

  /**
   * Sets the scan of an image (by digest or tag) in a repository that scans on push: in progress,
   * failed, or complete with the given findings per severity (`{ CRITICAL: 1, HIGH: 3 }`). A complete
   * scan's time is the fake's clock. Returns the image's digest.
   */
  setScan(
    repository: string,
    image: string,
    scan: { readonly status: ImageScanState['status']; readonly findings?: Readonly<Record<string, number>> },
    registryId = this.accountId,
  ): string {
    const repo = this.state.find(registryId, repository);
    if (!repo.scanOnPush) throw new Error(`setScan: ${repository} does not scan on push`);
    const digest = image.startsWith('sha256:') ? image : repo.tags.get(image);
    const stored = digest === undefined ? undefined : repo.images.get(digest);
    if (!stored) throw new Error(`setScan: ${repository} holds no image ${image}`);
    stored.scan = {
      status: scan.status,
      findings: scan.status === 'COMPLETE' ? { ...scan.findings } : {},
      ...(scan.status === 'COMPLETE' ? { completedAt: this.state.now() } : {}),
    };
    return stored.digest;
  }

  /** The next `times` blob downloads (default 1) get no answer at all until the server closes. */
  stallBlobDownloads(times = 1): void {
    this.imageFaults.stallBlobDownloads(times);
  }

  /** Drops every fault not consumed yet (the calls', the images', the blob stalls) and every denial. */
  override clearFaults(): void {
    super.clearFaults();
    this.imageFaults.clear();
    this.access.clear();
  }

  /** The repository names of a registry (default: the account's), in creation order. */
  repositories(registryId = this.accountId): string[] {
    return this.state.repositoriesOf(registryId).map((repo) => repo.name);
  }

  /** The images of a repository in push order; empty when it does not exist. */
  images(repository: string, registryId = this.accountId): StoredImage[] {
    const images = this.state.get(registryId, repository)?.images.values() ?? [];
    return [...images].map(({ seq: _seq, children: _children, tags, ...image }) => ({
      ...image,
      tags: [...tags],
    }));
  }

  /** A blob's bytes, or undefined when the repository does not hold it. */
  blob(repository: string, digest: string, registryId = this.accountId): Uint8Array | undefined {
    return this.state.get(registryId, repository)?.blobs.get(digest);
  }

  /** Every repository with its images and blobs, as JSON (local mode keeps it across restarts). */
  snapshot(): EcrSnapshot {
    return snapshotRepositories(this.state.allRepositories());
  }

  /** Puts back what {@link snapshot} answered (say, before a restart), replacing same-named repositories. */
  restore(snapshot: EcrSnapshot): void {
    this.state.restore(repositoriesFromSnapshot(snapshot));
  }

  /**
   * Calls `listener` after every successful PutImage (wire or `pushImage`), on a microtask so that a
   * failing listener cannot turn a stored image into an error answer. Returns the unsubscribe function.
   */
  onPush(listener: (event: ImagePushEvent) => void): () => void {
    return this.state.onPush(listener);
  }

  private store(repository: string, registryId = this.accountId, image: BuiltImage): void {
    const repo =
      this.state.get(registryId, repository) ??
      this.state.createRepository(registryId, repository, 'MUTABLE', false);
    for (const blob of image.blobs) uploadBlob(repo, blob.bytes);
    for (const manifest of image.manifests) this.putIfNew(repo, manifest);
  }

  /** PutImage, except that an identical re-push is a no-op rather than ImageAlreadyExistsException. */
  private putIfNew(repo: EcrRepository, { digest, text, mediaType, tag }: BuiltManifest): void {
    const existing = repo.images.get(digest);
    if (existing && (tag === undefined || existing.tags.includes(tag))) return;
    this.state.putImage(repo, text, mediaType, tag, digest);
  }
}

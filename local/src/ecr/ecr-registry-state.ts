/**
 * The fake ECR's registries in memory (repositories, images, tags, blobs, uploads) and the operations
 * that change them. The wire handlers and `pushImage` both run these, so the two paths cannot drift.
 */
import { AwsJsonError } from '../aws-json-server.ts';
import { invalidParameter } from './ecr-request.ts';
import { parseManifest } from './parse-manifest.ts';
import { sha256Digest } from './sha256-digest.ts';

const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;

/** An image as a request names it: by digest, by tag, or both. */
export interface ImageId {
  readonly imageDigest?: string;
  readonly imageTag?: string;
}

/** One entry of the `failures` of BatchGetImage and BatchDeleteImage. */
export interface ImageFailure {
  readonly imageId: ImageId;
  readonly failureCode: string;
  readonly failureReason: string;
}

/** An image manifest or index held in a repository. */
export interface EcrImage {
  readonly digest: string;
  readonly manifest: string;
  readonly manifestMediaType: string;
  readonly artifactMediaType: string;
  readonly sizeInBytes: number;
  readonly pushedAt: number;
  /** Push order; pagination tokens point into it, so pages stay stable while images come and go. */
  readonly seq: number;
  /** The manifests an index lists. */
  readonly children: readonly string[];
  /** The manifest an OCI 1.1 referrer (a signature, an SBOM) names as its `subject`. */
  readonly subjectDigest?: string;
  tags: string[];
  /** Absent while ACTIVE; ARCHIVED in ECR's archive storage class, ACTIVATING on its way back. */
  status?: 'ARCHIVED' | 'ACTIVATING';
  /** When the image last went into the archive, in epoch ms. */
  lastArchivedAt?: number;
  /** The image's scan as a test set it; absent: complete at push with no findings (ecr-scan-handlers.ts). */
  scan?: ImageScanState;
}

/** A basic scan's state: in progress, failed, or complete with counts by severity (CRITICAL, HIGH, ...). */
export interface ImageScanState {
  readonly status: 'COMPLETE' | 'IN_PROGRESS' | 'FAILED';
  readonly findings: Readonly<Record<string, number>>;
  /** When the scan completed, in epoch ms; by default the push time. */
  readonly completedAt?: number;
}

/** A repository with its images (by digest), tags (tag to digest), blobs and unfinished uploads. */
export interface EcrRepository {
  readonly registryId: string;
  readonly name: string;
  readonly createdAt: number;
  readonly mutability: 'MUTABLE' | 'IMMUTABLE';
  readonly scanOnPush: boolean;
  readonly images: Map<string, EcrImage>;
  readonly tags: Map<string, string>;
  readonly blobs: Map<string, Buffer>;
  readonly uploads: Map<string, Buffer[]>;
}

/** A successful PutImage, as ECR reports it to EventBridge (one per manifest; only a tagged one has `tag`). */
export interface ImagePushEvent {
  readonly registryId: string;
  readonly repositoryName: string;
  readonly digest: string;
  readonly tag?: string;
  readonly manifestMediaType: string;
  readonly artifactMediaType: string;
  readonly pushedAt: number;
}

/** The account, region and clock a {@link EcrRegistryState} works with. */
export interface EcrRegistryStateOptions {
  /** The registry used when a request names none. */
  readonly accountId: string;
  /** For ARNs and repository URIs. */
  readonly region: string;
  /** The clock for push and creation times, in epoch ms. */
  readonly now: () => number;
}

/** Every registry the fake holds, keyed by registry id, and the listeners of its pushes. */
export class EcrRegistryState {
  readonly accountId: string;
  readonly region: string;
  readonly now: () => number;
  private readonly registries = new Map<string, Map<string, EcrRepository>>();
  private readonly listeners = new Set<(event: ImagePushEvent) => void>();
  private pushes = 0;

  constructor(options: EcrRegistryStateOptions) {
    this.accountId = options.accountId;
    this.region = options.region;
    this.now = options.now;
  }

  /** The repositories of a registry in creation order. */
  repositoriesOf(registryId: string): EcrRepository[] {
    return [...(this.registries.get(registryId)?.values() ?? [])];
  }

  /** Every repository of every registry, for a snapshot. */
  allRepositories(): EcrRepository[] {
    return [...this.registries.values()].flatMap((registry) => [...registry.values()]);
  }

  /** Puts back repositories from a snapshot, replacing those of the same name; new pushes sort last. */
  restore(repositories: readonly EcrRepository[]): void {
    for (const repo of repositories) {
      const registry = this.registries.get(repo.registryId) ?? new Map<string, EcrRepository>();
      this.registries.set(repo.registryId, registry);
      registry.set(repo.name, repo);
      for (const image of repo.images.values()) this.pushes = Math.max(this.pushes, image.seq);
    }
  }

  /** A repository, or undefined when it does not exist. */
  get(registryId: string, name: string): EcrRepository | undefined {
    return this.registries.get(registryId)?.get(name);
  }

  /** A repository, or RepositoryNotFoundException. */
  find(registryId: string, name: string): EcrRepository {
    const repo = this.get(registryId, name);
    if (!repo) {
      throw new AwsJsonError(
        'RepositoryNotFoundException',
        `The repository with name '${name}' does not exist in the registry with id '${registryId}'`,
      );
    }
    return repo;
  }

  /** Creates an empty repository; InvalidParameterException or RepositoryAlreadyExistsException otherwise. */
  createRepository(
    registryId: string,
    name: string,
    mutability: EcrRepository['mutability'],
    scanOnPush: boolean,
  ): EcrRepository {
    if (name.length < 2 || name.length > 256 || !REPOSITORY_NAME.test(name)) {
      throw invalidParameter('repositoryName', `must satisfy regular expression '${REPOSITORY_NAME.source}'`);
    }
    const registry = this.registries.get(registryId) ?? new Map<string, EcrRepository>();
    this.registries.set(registryId, registry);
    if (registry.has(name)) {
      throw new AwsJsonError(
        'RepositoryAlreadyExistsException',
        `The repository with name '${name}' already exists in the registry with id '${registryId}'`,
      );
    }
    const repo: EcrRepository = {
      registryId,
      name,
      createdAt: this.now(),
      mutability,
      scanOnPush,
      images: new Map(),
      tags: new Map(),
      blobs: new Map(),
      uploads: new Map(),
    };
    registry.set(name, repo);
    return repo;
  }

  /**
   * Stores a manifest as PutImage does, with its checks and exceptions: the declared digest, the blobs
   * and child manifests it references, an identical push, an immutable tag. Moves the tag and announces.
   */
  putImage(
    repo: EcrRepository,
    manifest: string,
    declaredType: string | undefined,
    tag: string | undefined,
    declaredDigest: string | undefined,
  ): EcrImage {
    const parsed = parseManifest(manifest, declaredType);
    const digest = sha256Digest(manifest);
    if (declaredDigest !== undefined && declaredDigest !== digest) {
      throw new AwsJsonError(
        'ImageDigestDoesNotMatchException',
        `The provided image digest '${declaredDigest}' does not match the digest of the manifest '${digest}'`,
      );
    }
    const missingBlobs = parsed.blobs.filter((blob) => !repo.blobs.has(blob));
    if (missingBlobs.length > 0) {
      throw new AwsJsonError(
        'LayersNotFoundException',
        `Layers with digests '[${missingBlobs.join(', ')}]' required for pushing image into repository ` +
          `with name '${repo.name}' in the registry with id '${repo.registryId}' do not exist`,
      );
    }
    const missingChildren = parsed.children.filter((child) => !repo.images.has(child));
    if (missingChildren.length > 0) {
      throw new AwsJsonError(
        'ReferencedImagesNotFoundException',
        `The manifest list references images that do not exist in the repository with name ` +
          `'${repo.name}': [${missingChildren.join(', ')}]`,
      );
    }
    if (tag !== undefined && (tag.length < 1 || tag.length > 300)) {
      throw invalidParameter('imageTag', 'Member must have length between 1 and 300');
    }
    const existing = repo.images.get(digest);
    if (existing && (tag === undefined || existing.tags.includes(tag))) {
      throw new AwsJsonError(
        'ImageAlreadyExistsException',
        `Image with digest '${digest}'${tag === undefined ? '' : ` and tag '${tag}'`} already exists in the ` +
          `repository with name '${repo.name}' in registry with id '${repo.registryId}'`,
      );
    }
    const holder = tag === undefined ? undefined : repo.images.get(repo.tags.get(tag) ?? '');
    if (holder && repo.mutability === 'IMMUTABLE') {
      throw new AwsJsonError(
        'ImageTagAlreadyExistsException',
        `The image tag '${tag}' already exists in the '${repo.name}' repository and cannot be overwritten ` +
          'because the repository is immutable.',
      );
    }
    if (holder) holder.tags = holder.tags.filter((other) => other !== tag);
    const image = existing ?? {
      digest,
      manifest,
      manifestMediaType: parsed.mediaType,
      artifactMediaType: parsed.artifactMediaType,
      sizeInBytes:
        parsed.children.length > 0 ? maxChildSize(repo, parsed.children) : layerSize(repo, parsed.layers),
      pushedAt: this.now(),
      seq: ++this.pushes,
      children: parsed.children,
      ...(parsed.subject === undefined ? {} : { subjectDigest: parsed.subject }),
      tags: [],
    };
    repo.images.set(digest, image);
    if (tag !== undefined) {
      image.tags.push(tag);
      repo.tags.set(tag, digest);
    }
    this.announce(repo, image, tag);
    return image;
  }

  /**
   * Calls `listener` after every successful PutImage, on a microtask so that a failing listener cannot
   * turn a stored image into an error answer. Returns the unsubscribe function.
   */
  onPush(listener: (event: ImagePushEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private announce(repo: EcrRepository, image: EcrImage, tag: string | undefined): void {
    const event: ImagePushEvent = {
      registryId: repo.registryId,
      repositoryName: repo.name,
      digest: image.digest,
      ...(tag === undefined ? {} : { tag }),
      manifestMediaType: image.manifestMediaType,
      artifactMediaType: image.artifactMediaType,
      pushedAt: this.now(),
    };
    for (const listener of this.listeners) queueMicrotask(() => listener(event));
  }
}

/** The compressed size of a manifest's layers, which is what ECR reports. */
function layerSize(repo: EcrRepository, layers: readonly string[]): number {
  return layers.reduce((total, layer) => total + (repo.blobs.get(layer)?.length ?? 0), 0);
}

/** ECR reports an index as large as its largest manifest. */
function maxChildSize(repo: EcrRepository, children: readonly string[]): number {
  return Math.max(0, ...children.map((child) => repo.images.get(child)?.sizeInBytes ?? 0));
}

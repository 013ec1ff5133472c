/**
 * The fake ECR's repositories as plain JSON, so local mode can keep them in its data dir across
 * restarts: blobs in base64, the tag map rebuilt from the images' tags, unfinished uploads dropped (a
 * client that was uploading is gone with the old server).
 */
import type { EcrImage, EcrRepository } from './ecr-registry-state.ts';

/** What {@link snapshotRepositories} answers and {@link repositoriesFromSnapshot} reads. */
export interface EcrSnapshot {
  readonly repositories: readonly EcrRepositorySnapshot[];
}

interface EcrRepositorySnapshot {
  readonly registryId: string;
  readonly name: string;
  readonly createdAt: number;
  readonly mutability: EcrRepository['mutability'];
  readonly scanOnPush: boolean;
  readonly images: readonly EcrImage[];
  /** Blob bytes in base64, by digest. */
  readonly blobs: Readonly<Record<string, string>>;
}

export function snapshotRepositories(repositories: readonly EcrRepository[]): EcrSnapshot {
  return {
    repositories: repositories.map((repo) => ({
      registryId: repo.registryId,
      name: repo.name,
      createdAt: repo.createdAt,
      mutability: repo.mutability,
      scanOnPush: repo.scanOnPush,
      images: [...repo.images.values()].map((image) => ({ ...image, tags: [...image.tags] })),
      blobs: Object.fromEntries([...repo.blobs].map(([digest, bytes]) => [digest, bytes.toString('base64')])),
    })),
  };
}

export function repositoriesFromSnapshot(snapshot: EcrSnapshot): EcrRepository[] {
  return snapshot.repositories.map((saved) => {
    const images = new Map(saved.images.map((image) => [image.digest, { ...image, tags: [...image.tags] }]));
    return {
      registryId: saved.registryId,
      name: saved.name,
      createdAt: saved.createdAt,
      mutability: saved.mutability,
      scanOnPush: saved.scanOnPush,
      images,
      tags: new Map(
        [...images.values()].flatMap((image) => image.tags.map((tag) => [tag, image.digest] as const)),
      ),
      blobs: new Map(
        Object.entries(saved.blobs).map(([digest, base64]) => [digest, Buffer.from(base64, 'base64')]),
      ),
      uploads: new Map(),
    };
  });
}

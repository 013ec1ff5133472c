/**
 * Blob uploads into a repository as ECR runs them: initiate, parts in order, complete with the digest.
 * The wire handlers and `pushImage` both go through these, with the same checks and exceptions.
 */
import { randomUUID } from 'node:crypto';
import { AwsJsonError } from '../aws-json-server.ts';
import type { EcrRepository } from './ecr-registry-state.ts';
import { sha256Digest } from './sha256-digest.ts';

/** Starts an upload and answers its id. */
export function initiateUpload(repo: EcrRepository): string {
  const uploadId = randomUUID();
  repo.uploads.set(uploadId, []);
  return uploadId;
}

/**
 * Appends a part that starts where the upload stands and spans its own length; answers the last byte
 * received, or InvalidLayerPartException with `lastValidByteReceived`, as ECR does.
 */
export function uploadPart(
  repo: EcrRepository,
  uploadId: string,
  first: number,
  last: number,
  bytes: Buffer,
): number {
  const parts = partsOf(repo, uploadId);
  const received = parts.reduce((total, part) => total + part.length, 0);
  if (bytes.length === 0 || first !== received || last !== first + bytes.length - 1) {
    throw new AwsJsonError(
      'InvalidLayerPartException',
      `The layer part must start at byte ${received} and end at its own length; got ${first} to ${last} ` +
        `for ${bytes.length} bytes`,
      400,
      {
        registryId: repo.registryId,
        repositoryName: repo.name,
        uploadId,
        lastValidByteReceived: received - 1,
      },
    );
  }
  parts.push(bytes);
  return last;
}

/**
 * Ends an upload and stores its bytes under `layerDigest` once they hash to it. The upload is gone
 * afterwards whatever the outcome, as in ECR, so a failed one is started again rather than resumed.
 */
export function completeUpload(repo: EcrRepository, uploadId: string, layerDigest: string): void {
  const bytes = Buffer.concat(partsOf(repo, uploadId));
  repo.uploads.delete(uploadId);
  if (bytes.length === 0) {
    throw new AwsJsonError(
      'EmptyUploadException',
      `The upload with id '${uploadId}' contains no layer parts`,
    );
  }
  const digest = sha256Digest(bytes);
  if (digest !== layerDigest) {
    throw new AwsJsonError(
      'InvalidLayerException',
      `The layer digest '${layerDigest}' does not match the digest of the uploaded bytes '${digest}'`,
    );
  }
  if (repo.blobs.has(digest)) {
    throw new AwsJsonError(
      'LayerAlreadyExistsException',
      'The image layer already exists in the associated repository',
    );
  }
  repo.blobs.set(digest, bytes);
}

/** Uploads a whole blob in one part, as a client does, unless the repository already holds it. */
export function uploadBlob(repo: EcrRepository, bytes: Uint8Array): void {
  const digest = sha256Digest(bytes);
  // Clients check layer availability first and upload only what the repository lacks.
  if (repo.blobs.has(digest)) return;
  const uploadId = initiateUpload(repo);
  uploadPart(repo, uploadId, 0, bytes.length - 1, Buffer.from(bytes));
  completeUpload(repo, uploadId, digest);
}

function partsOf(repo: EcrRepository, uploadId: string): Buffer[] {
  const parts = repo.uploads.get(uploadId);
  if (!parts) {
    throw new AwsJsonError(
      'UploadNotFoundException',
      `The upload with id '${uploadId}' does not exist in the repository with name '${repo.name}' ` +
        `in the registry with id '${repo.registryId}'`,
    );
  }
  return parts;
}

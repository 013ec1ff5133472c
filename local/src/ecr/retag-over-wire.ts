/**
 * `docker tag` + `docker push` of an image ECR already holds: put its manifest again under a new tag,
 * as a client does when it retags by digest. Answers what ECR reports for the tagged push.
 */
import {
  BatchGetImageCommand,
  type ECRClient,
  ImageAlreadyExistsException,
  PutImageCommand,
} from '@aws-sdk/client-ecr';
import type { PushedImage } from './pushed-image.ts';

export async function retagOverWire(
  client: ECRClient,
  options: { repository: string; registryId?: string; digest: string; tag: string },
): Promise<PushedImage> {
  const target = {
    repositoryName: options.repository,
    ...(options.registryId ? { registryId: options.registryId } : {}),
  };
  const { images, failures } = await client.send(
    new BatchGetImageCommand({ ...target, imageIds: [{ imageDigest: options.digest }] }),
  );
  const image = images?.[0];
  if (!image?.imageManifest) {
    throw new Error(
      `${options.repository} has no image ${options.digest}${failures?.[0]?.failureReason ? ` (${failures[0].failureReason})` : ''}`,
    );
  }
  try {
    await client.send(
      new PutImageCommand({
        ...target,
        imageManifest: image.imageManifest,
        ...(image.imageManifestMediaType ? { imageManifestMediaType: image.imageManifestMediaType } : {}),
        imageDigest: options.digest,
        imageTag: options.tag,
      }),
    );
  } catch (error) {
    if (!(error instanceof ImageAlreadyExistsException)) throw error;
  }
  const mediaType = image.imageManifestMediaType ?? 'application/vnd.oci.image.manifest.v1+json';
  return {
    digest: options.digest,
    manifestMediaType: mediaType,
    artifactMediaType:
      mediaType.includes('index') || mediaType.includes('list')
        ? mediaType
        : 'application/vnd.oci.image.config.v1+json',
    children: [],
  };
}

/**
 * `docker buildx build --push` through the ECR API: the same built image the fake's `pushImage` stores, sent with the
 * calls a client makes, so tests and local mode can push to any ECR endpoint (the fake or a real one).
 */
import {
  CompleteLayerUploadCommand,
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  type ECRClient,
  ImageAlreadyExistsException,
  InitiateLayerUploadCommand,
  LayerAlreadyExistsException,
  PutImageCommand,
  RepositoryAlreadyExistsException,
  RepositoryNotFoundException,
  UploadLayerPartCommand,
} from '@aws-sdk/client-ecr';
import { type ArtifactSpec, buildArtifact } from './artifact-builder.ts';
import { type BuiltBlob, type BuiltImage, type BuiltManifest, buildImage } from './image-builder.ts';
import { type PushedImage, type PushImageOptions, pushedImageOf } from './pushed-image.ts';

/** The repository every call of one push names. */
interface Target {
  readonly repositoryName: string;
  readonly registryId?: string;
}

/**
 * Pushes the image {@link buildImage} builds for `options` through `client`: creates the repository
 * when DescribeRepositories does not find it, uploads every blob in parts of the size ECR asks for,
 * then puts each manifest in order (children untagged, the tagged one last). A blob or manifest that is
 * already there counts as pushed, so pushing the same image again changes nothing. `created` defaults
 * to `Date.now()`, as a fresh build would stamp it; pass it to get the digests `pushImage` gives.
 */
export async function pushImageOverWire(client: ECRClient, options: PushImageOptions): Promise<PushedImage> {
  const image = buildImage({
    tag: options.tag,
    created: options.created ?? Date.now(),
    ...(options.platforms === undefined ? {} : { platforms: options.platforms }),
    ...(options.provenance === undefined ? {} : { provenance: options.provenance }),
    ...(options.labels === undefined ? {} : { labels: options.labels }),
  });
  await sendOverWire(client, options, image);
  return pushedImageOf(image);
}

/** Pushes an artifact (a cosign signature, a Helm chart) as its tool would, under the tag it would use. */
export async function pushArtifactOverWire(
  client: ECRClient,
  options: { readonly repository: string; readonly artifact: ArtifactSpec; readonly registryId?: string },
): Promise<PushedImage> {
  const artifact = buildArtifact(options.artifact);
  await sendOverWire(client, options, artifact);
  return artifact.pushed;
}

async function sendOverWire(
  client: ECRClient,
  options: { readonly repository: string; readonly registryId?: string },
  image: BuiltImage,
): Promise<void> {
  const target: Target = {
    repositoryName: options.repository,
    ...(options.registryId === undefined ? {} : { registryId: options.registryId }),
  };
  await ensureRepository(client, target);
  for (const blob of image.blobs) await uploadBlob(client, target, blob);
  for (const manifest of image.manifests) await putManifest(client, target, manifest);
}

async function ensureRepository(client: ECRClient, target: Target): Promise<void> {
  try {
    await client.send(
      new DescribeRepositoriesCommand({ ...target, repositoryNames: [target.repositoryName] }),
    );
    return;
  } catch (error) {
    if (!(error instanceof RepositoryNotFoundException)) throw error;
  }
  try {
    await client.send(new CreateRepositoryCommand(target));
  } catch (error) {
    // Another pusher created it in between: the repository exists, which is all this needs.
    if (!(error instanceof RepositoryAlreadyExistsException)) throw error;
  }
}

async function uploadBlob(client: ECRClient, target: Target, blob: BuiltBlob): Promise<void> {
  const { uploadId, partSize } = await client.send(new InitiateLayerUploadCommand(target));
  if (uploadId === undefined) throw new Error(`InitiateLayerUpload answered no uploadId for ${blob.digest}`);
  const size = partSize !== undefined && partSize > 0 ? partSize : blob.bytes.length;
  for (let first = 0; first < blob.bytes.length; first += size) {
    const part = blob.bytes.subarray(first, first + size);
    await client.send(
      new UploadLayerPartCommand({
        ...target,
        uploadId,
        partFirstByte: first,
        partLastByte: first + part.length - 1,
        layerPartBlob: part,
      }),
    );
  }
  try {
    await client.send(new CompleteLayerUploadCommand({ ...target, uploadId, layerDigests: [blob.digest] }));
  } catch (error) {
    // Clients that skip the availability check learn here that the blob is there: pushed already.
    if (!(error instanceof LayerAlreadyExistsException)) throw error;
  }
}

async function putManifest(client: ECRClient, target: Target, manifest: BuiltManifest): Promise<void> {
  try {
    await client.send(
      new PutImageCommand({
        ...target,
        imageManifest: manifest.text,
        imageManifestMediaType: manifest.mediaType,
        imageDigest: manifest.digest,
        ...(manifest.tag === undefined ? {} : { imageTag: manifest.tag }),
      }),
    );
  } catch (error) {
    // ECR answers this only when the digest is there already (with this tag, if any): the push is done.
    if (!(error instanceof ImageAlreadyExistsException)) throw error;
  }
}

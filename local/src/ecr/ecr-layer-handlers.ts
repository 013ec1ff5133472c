/**
 * The layer operations of the ECR API (InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload,
 * GetDownloadUrlForLayer) and the blob downloads their URLs point at.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsJsonHandler, HttpFallback } from '../aws-json-server.ts';
import { AwsJsonError } from '../aws-json-server.ts';
import type { EcrImageFaults } from './ecr-image-faults.ts';
import type { EcrRegistryState } from './ecr-registry-state.ts';
import {
  type EcrInput,
  invalidParameter,
  optionalStrings,
  repositoryOf,
  requiredInteger,
  requiredString,
} from './ecr-request.ts';
import { completeUpload, initiateUpload, uploadPart } from './layer-uploads.ts';

/** What ECR answers InitiateLayerUpload with: the part size a client should upload. */
const PART_SIZE = 10_485_760;
const BLOB_PATH = /^\/v2\/(\d{12})\/(.+)\/blobs\/([^/]+)$/;

/**
 * The layer operations over `state`, by operation name. `baseUrl` is the server's own address, read
 * per call because the port is known only once it listens.
 */
export function ecrLayerHandlers(
  state: EcrRegistryState,
  baseUrl: () => string,
): Record<string, AwsJsonHandler> {
  return {
    InitiateLayerUpload: (input) => ({
      uploadId: initiateUpload(repositoryOf(state, input)),
      partSize: PART_SIZE,
    }),
    UploadLayerPart: (input) => uploadLayerPart(state, input),
    CompleteLayerUpload: (input) => completeLayerUpload(state, input),
    GetDownloadUrlForLayer: (input) => getDownloadUrlForLayer(state, baseUrl(), input),
  };
}

/**
 * `GET /v2/<registry>/<repository>/blobs/<digest>`: where GetDownloadUrlForLayer points (S3, for ECR).
 * A stall injected in `faults` holds the request without an answer until the server closes.
 */
export function serveEcrBlob(state: EcrRegistryState, faults: EcrImageFaults): HttpFallback {
  return (request: IncomingMessage, response: ServerResponse) => {
    const match = BLOB_PATH.exec(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (request.method !== 'GET' || !match) return false;
    if (faults.takeBlobStall()) return true;
    const [, registryId = '', name = '', digest = ''] = match;
    const blob = state.get(registryId, decodeURIComponent(name))?.blobs.get(decodeURIComponent(digest));
    if (!blob) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('no such blob\n');
    } else {
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blob.length });
      response.end(blob);
    }
    return true;
  };
}

function uploadLayerPart(state: EcrRegistryState, input: EcrInput): unknown {
  const repo = repositoryOf(state, input);
  const uploadId = requiredString(input, 'uploadId');
  const bytes = Buffer.from(requiredString(input, 'layerPartBlob'), 'base64');
  const first = requiredInteger(input, 'partFirstByte');
  const last = requiredInteger(input, 'partLastByte');
  const lastByteReceived = uploadPart(repo, uploadId, first, last, bytes);
  return { registryId: repo.registryId, repositoryName: repo.name, uploadId, lastByteReceived };
}

function completeLayerUpload(state: EcrRegistryState, input: EcrInput): unknown {
  const repo = repositoryOf(state, input);
  const uploadId = requiredString(input, 'uploadId');
  const [layerDigest] = optionalStrings(input, 'layerDigests') ?? [];
  if (layerDigest === undefined) {
    throw invalidParameter('layerDigests', 'Member must have length greater than or equal to 1');
  }
  completeUpload(repo, uploadId, layerDigest);
  return { registryId: repo.registryId, repositoryName: repo.name, uploadId, layerDigest };
}

function getDownloadUrlForLayer(state: EcrRegistryState, baseUrl: string, input: EcrInput): unknown {
  const repo = repositoryOf(state, input);
  const layerDigest = requiredString(input, 'layerDigest');
  if (!repo.blobs.has(layerDigest)) {
    throw new AwsJsonError(
      'LayersNotFoundException',
      `The layer with digest '${layerDigest}' does not exist in the repository with name '${repo.name}' ` +
        `in the registry with id '${repo.registryId}'`,
    );
  }
  return { downloadUrl: `${baseUrl}/v2/${repo.registryId}/${repo.name}/blobs/${layerDigest}`, layerDigest };
}

/**
 * The provenance attestation buildx attaches to every platform of an image it pushes (on by default
 * since buildx 0.10, `mode=min`), stored as BuildKit stores attestations: an OCI image manifest whose
 * one layer is an in-toto statement, listed in the image's index with platform `unknown/unknown` and
 * the annotations `vnd.docker.reference.type: attestation-manifest` and `vnd.docker.reference.digest`
 * (the platform manifest it is about). Source: docs.docker.com/build/metadata/attestations/
 * attestation-storage/; moby/buildkit util/attestation/types.go for the annotation names.
 */
import { type BuiltBlob, type BuiltManifest, blobOf, descriptorOf, pretty } from './image-builder.ts';
import { ociMediaTypes } from './oci-media-types.ts';
import { sha256Digest } from './sha256-digest.ts';

/** What an index entry of an attestation manifest carries beside its descriptor. */
export const ATTESTATION_PLATFORM = { architecture: 'unknown', os: 'unknown' } as const;
export const REFERENCE_TYPE = 'vnd.docker.reference.type';
export const REFERENCE_DIGEST = 'vnd.docker.reference.digest';
export const ATTESTATION_MANIFEST = 'attestation-manifest';
const IN_TOTO = 'application/vnd.in-toto+json';
const SLSA_PROVENANCE_02 = 'https://slsa.dev/provenance/v0.2';

/** An attestation manifest and its blobs, for the image manifest `subject` of `platform`. */
export interface BuiltAttestation {
  readonly blobs: readonly BuiltBlob[];
  readonly manifest: BuiltManifest;
  /** The index entry's annotations: the attestation type and the manifest it is about. */
  readonly annotations: Readonly<Record<string, string>>;
}

/**
 * Builds the min-mode provenance attestation of the platform manifest `subject`, finished at `created`
 * (an ISO time). Its config is a valid image config with no time and platform `unknown/unknown`: the
 * docs say to ignore it, and it has no build time to read.
 */
export function buildProvenanceAttestation(
  subject: string,
  platform: string,
  created: string,
): BuiltAttestation {
  const statement = JSON.stringify({
    _type: 'https://in-toto.io/Statement/v0.1',
    predicateType: SLSA_PROVENANCE_02,
    subject: [
      {
        name: `pkg:docker/image?platform=${encodeURIComponent(platform)}`,
        digest: { sha256: subject.replace(/^sha256:/, '') },
      },
    ],
    predicate: {
      builder: { id: '' },
      buildType: 'https://mobyproject.org/buildkit@v1',
      metadata: { buildFinishedOn: created, completeness: { environment: false, materials: false } },
    },
  });
  const layer = blobOf(new TextEncoder().encode(statement), IN_TOTO);
  const config = blobOf(
    new TextEncoder().encode(
      JSON.stringify({
        ...ATTESTATION_PLATFORM,
        config: {},
        rootfs: { type: 'layers', diff_ids: [layer.digest] },
      }),
    ),
    ociMediaTypes.config,
  );
  const text = pretty({
    schemaVersion: 2,
    mediaType: ociMediaTypes.manifest,
    config: descriptorOf(config),
    layers: [{ ...descriptorOf(layer), annotations: { 'in-toto.io/predicate-type': SLSA_PROVENANCE_02 } }],
  });
  return {
    blobs: [layer, config],
    manifest: {
      digest: sha256Digest(text),
      text,
      mediaType: ociMediaTypes.manifest,
      platform: `${ATTESTATION_PLATFORM.os}/${ATTESTATION_PLATFORM.architecture}`,
    },
    annotations: { [REFERENCE_DIGEST]: subject, [REFERENCE_TYPE]: ATTESTATION_MANIFEST },
  };
}

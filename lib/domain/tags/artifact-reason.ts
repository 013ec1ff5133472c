/**
 * Repositories hold artifacts beside images: cosign signatures, attestations and SBOMs, Helm charts,
 * OCI 1.1 referrers. None is ever an image to deploy, whatever its tag or push time, so selection drops
 * each before any filter or strategy sees it, with a reason a user can read in `select --explain`.
 */
import type { TagCandidate } from './tag-candidate.ts';

/**
 * cosign's tag-based discovery: the signed digest with `:` replaced by `-`, then `.sig`, `.att`
 * (attestations) or `.sbom` (sigstore/cosign specs/SIGNATURE_SPEC.md "Tag-based Discovery";
 * pkg/oci/remote/options.go's SignatureTagSuffix, AttestationTagSuffix, SBOMTagSuffix). Needed beside
 * the media type: a signature manifest's config is `application/vnd.oci.image.config.v1+json`, so ECR
 * reports it with an image's artifactMediaType.
 */
const COSIGN_TAG = /^sha256-[0-9a-f]{64}\.(sig|att|sbom)$/;

const COSIGN_KINDS: Readonly<Record<string, string>> = {
  sig: 'a cosign signature',
  att: 'a cosign attestation',
  sbom: 'a cosign SBOM',
};

/**
 * The artifact media types of images. ECR's DescribeImages reports as `artifactMediaType` the
 * manifest's `artifactType`, else its config's media type, and for an index the index's own media type
 * (API reference, ImageDetail; @aws-sdk/client-ecr's ImageDetail model; "OCI Artifact Support In Amazon
 * ECR", AWS Containers blog): an image config or an index is an image, anything else an artifact.
 */
const IMAGE_TYPES = new Set([
  'application/vnd.docker.container.image.v1+json',
  'application/vnd.oci.image.config.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
]);

/** Names for the artifact types users meet most, so the reason says what the tag is. */
const KNOWN_ARTIFACTS: Readonly<Record<string, string>> = {
  // helm pkg/registry/constants.go, ConfigMediaType
  'application/vnd.cncf.helm.config.v1+json': 'a Helm chart',
};

const PREFIX = 'an artifact, not an image: ';

/**
 * Why `candidate` is an artifact rather than an image, as a skip reason; undefined for an image, and
 * for a candidate whose media type is unknown (as from a plain tag list), which is taken for an image.
 */
export function artifactReason(candidate: TagCandidate): string | undefined {
  const cosign = COSIGN_TAG.exec(candidate.tag);
  if (cosign) return `${PREFIX}${COSIGN_KINDS[cosign[1]!]} tag (sha256-<digest>.${cosign[1]})`;
  if (candidate.subjectDigest !== undefined) {
    return `${PREFIX}an OCI referrer (it names a subject manifest)`;
  }
  const type = candidate.artifactMediaType;
  if (type === undefined || IMAGE_TYPES.has(type)) return undefined;
  const known = KNOWN_ARTIFACTS[type];
  return `${PREFIX}${known === undefined ? '' : `${known}, `}artifact media type ${type}`;
}

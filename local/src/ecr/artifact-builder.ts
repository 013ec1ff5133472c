/**
 * The blobs and manifest a tool pushes for an artifact that is not an image, as ECR receives them:
 * a cosign signature for an image's digest, or a Helm chart. Built from the inputs alone, like
 * {@link buildImage}, so a push through the fake and one over the ECR API give the same digests.
 */
import { gzipSync } from 'fflate';
import { type BuiltImage, blobOf, descriptorOf, pretty, tarOf } from './image-builder.ts';
import { ociMediaTypes } from './oci-media-types.ts';
import type { PushedImage } from './pushed-image.ts';
import { sha256Digest } from './sha256-digest.ts';

/** An artifact to push: what it is, and what it is about. */
export type ArtifactSpec =
  /** `cosign sign` of the image with digest `signs`, stored by tag-based discovery. */
  | { readonly kind: 'cosign-signature'; readonly signs: string }
  /** `helm push` of a chart; the chart version is the tag. */
  | { readonly kind: 'helm-chart'; readonly name: string; readonly version: string };

/** An artifact's blobs and its one manifest (tagged), and what ECR reports once it is pushed. */
export interface BuiltArtifact extends BuiltImage {
  readonly pushed: PushedImage;
}

// cosign: the payload's media type, the signature annotation (sigstore/cosign specs/SIGNATURE_SPEC.md,
// "OCI Image Manifest V1"); the manifest's config is an OCI image config, which is why ECR reports a
// signature with an image's artifactMediaType.
const COSIGN_PAYLOAD = 'application/vnd.dev.cosign.simplesigning.v1+json';
const COSIGN_SIGNATURE = 'dev.cosignproject.cosign/signature';
// helm pkg/registry/constants.go: ConfigMediaType, ChartLayerMediaType.
const HELM_CONFIG = 'application/vnd.cncf.helm.config.v1+json';
const HELM_CHART = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';

/** The tag a tool pushes `artifact` under: cosign's `sha256-<hex>.sig`, a chart's version. */
export function artifactTag(artifact: ArtifactSpec): string {
  return artifact.kind === 'cosign-signature' ? `${artifact.signs.replace(':', '-')}.sig` : artifact.version;
}

/** Builds the blobs and the tagged OCI manifest of `artifact`. */
export function buildArtifact(artifact: ArtifactSpec): BuiltArtifact {
  const { config, layer, annotations } =
    artifact.kind === 'cosign-signature' ? cosignParts(artifact.signs) : helmParts(artifact);
  const text = pretty({
    schemaVersion: 2,
    mediaType: ociMediaTypes.manifest,
    config: descriptorOf(config),
    layers: [{ ...descriptorOf(layer), ...(annotations ? { annotations } : {}) }],
  });
  const digest = sha256Digest(text);
  return {
    blobs: [layer, config],
    manifests: [{ digest, text, mediaType: ociMediaTypes.manifest, tag: artifactTag(artifact) }],
    pushed: {
      digest,
      manifestMediaType: ociMediaTypes.manifest,
      artifactMediaType: config.mediaType,
      children: [],
    },
  };
}

function cosignParts(signs: string) {
  const payload = JSON.stringify({
    critical: {
      identity: { 'docker-reference': '' },
      image: { 'docker-manifest-digest': signs },
      type: 'cosign container image signature',
    },
    optional: null,
  });
  const layer = blobOf(new TextEncoder().encode(payload), COSIGN_PAYLOAD);
  // What go-containerregistry's empty image gives cosign as a config: no platform, a zero time.
  const configJson = JSON.stringify({
    architecture: '',
    created: '0001-01-01T00:00:00Z',
    os: '',
    rootfs: { type: 'layers', diff_ids: [layer.digest] },
    config: {},
  });
  const config = blobOf(new TextEncoder().encode(configJson), ociMediaTypes.config);
  const signature = Buffer.from(`not a real signature of ${signs}`).toString('base64');
  return { config, layer, annotations: { [COSIGN_SIGNATURE]: signature } };
}

function helmParts(chart: { readonly name: string; readonly version: string }) {
  const chartYaml = `apiVersion: v2\nname: ${chart.name}\nversion: ${chart.version}\n`;
  const tar = tarOf(`${chart.name}/Chart.yaml`, Buffer.from(chartYaml));
  const layer = blobOf(gzipSync(tar, { level: 9, mtime: 0 }), HELM_CHART);
  const configJson = JSON.stringify({ apiVersion: 'v2', name: chart.name, version: chart.version });
  const config = blobOf(new TextEncoder().encode(configJson), HELM_CONFIG);
  return { config, layer, annotations: undefined };
}

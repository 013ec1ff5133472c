/** One tag of a repository as the selection sees it. */
export interface TagCandidate {
  readonly tag: string;
  /** The image manifest (or index) digest the tag points at, `sha256:...`. */
  readonly digest?: string;
  /** When the tag was pushed, in milliseconds since the epoch (ECR `imagePushedAt`). */
  readonly pushedAt?: number;
  /** When the image was built (its config's `created`), in milliseconds since the epoch. */
  readonly createdAt?: number;
  /** The platforms the image offers, `os/arch[/variant]`; undefined when unknown. */
  readonly platforms?: readonly string[];
  /**
   * What ECR's DescribeImages reports as `artifactMediaType`: the manifest's `artifactType`, else its
   * config's media type, or an index's own media type. Tells images from artifacts (Helm charts, ...).
   */
  readonly artifactMediaType?: string;
  /** ECR's `subjectManifestDigest`: the manifest an OCI 1.1 referrer (a signature, an SBOM) refers to. */
  readonly subjectDigest?: string;
  /**
   * The image's vulnerability scan as DescribeImages reports it: `imageScanStatus.status` and
   * `imageScanFindingsSummary.findingSeverityCounts` (absent when nothing was found). Undefined: never scanned.
   */
  readonly scan?: ImageScan;
}

/** An image's scan: ECR's status word (COMPLETE, ACTIVE, IN_PROGRESS, FAILED, ...) and counts by severity. */
export interface ImageScan {
  readonly status: string;
  readonly findings?: Readonly<Record<string, number>>;
}

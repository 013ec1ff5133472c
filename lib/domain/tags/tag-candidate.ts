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
}

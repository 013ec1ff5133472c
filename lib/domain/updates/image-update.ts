/**
 * What a write-back is asked to do for one image, and what it did.
 */
import type { ImageRegistration } from '../registration/registration-images.ts';

/** The version an image should move to, as the strategy chose it. */
export interface ImageTarget {
  readonly image: ImageRegistration;
  readonly tag: string;
  /** The manifest (or index) digest of the chosen tag, when known. */
  readonly digest?: string;
}

/** One image moved by a write: drives commit messages, history and the timeline. */
export interface ImageChange {
  readonly alias?: string;
  readonly imageName: string;
  /** What the target held before, as written there; undefined when it held nothing for this image. */
  readonly from?: string;
  /** What was written: the tag, or `tag@sha256:...` for the digest strategy. */
  readonly to: string;
  readonly digest?: string;
}

/** The text written for a target: the tag, or `tag@digest` when the strategy follows a digest. */
export function versionText(target: ImageTarget): string {
  return target.image.policy.strategy === 'digest' && target.digest
    ? `${target.tag}@${target.digest}`
    : target.tag;
}

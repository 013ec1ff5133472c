/**
 * Whether a target should move to the version a strategy chose, given what it holds now.
 */

import { compareVersions, parseVersion } from '../tags/version.ts';
import { type ImageChange, type ImageTarget, versionText } from './image-update.ts';

export type UpdateDecision =
  | { readonly kind: 'update'; readonly from?: string; readonly to: string }
  | { readonly kind: 'current'; readonly version: string }
  | { readonly kind: 'hold'; readonly reason: string };

/**
 * Equal: nothing to write. With `noDowngrade` (semver's default), a target that holds a higher version
 * than the choice keeps it: a manual pin above the constraint, or a late out-of-order event, stays.
 */
export function decideUpdate(target: ImageTarget, current: string | undefined): UpdateDecision {
  const to = versionText(target);
  if (current === to) return { kind: 'current', version: current };
  if (current !== undefined && target.image.noDowngrade) {
    const held = parseVersion(current);
    const chosen = parseVersion(target.tag);
    if (held && chosen && compareVersions(held, chosen) > 0) {
      return { kind: 'hold', reason: `the target holds ${current}, above ${to}; noDowngrade keeps it` };
    }
  }
  return current === undefined ? { kind: 'update', to } : { kind: 'update', from: current, to };
}

/** The change an update decision makes to a target, as commit messages, pull requests and history show it. */
export function imageChange(
  target: ImageTarget,
  decision: Extract<UpdateDecision, { kind: 'update' }>,
): ImageChange {
  return {
    ...(target.image.alias ? { alias: target.image.alias } : {}),
    imageName: target.image.imageName,
    ...(decision.from === undefined ? {} : { from: decision.from }),
    to: decision.to,
    ...(target.digest ? { digest: target.digest } : {}),
  };
}

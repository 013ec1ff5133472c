/**
 * The annotations on which Argo CD Image Updater v1.3 gives up on a whole Application: its annotation
 * reader (pkg/argocd/annotations.go) returns an error, and the update loop (pkg/argocd/argocd.go) logs
 * "skipping" and moves on to the next app. The import keeps that outcome visible: every image of such
 * an app is imported paused, with the reason.
 */
import { quoteInput } from '../errors.ts';
import type { ImageUpdaterAnnotations } from './image-updater-annotations.ts';

/** One annotation that makes the anchor skip the app, and what is wrong with it. */
export interface AppSkipReason {
  /** The annotation name, without the prefix. */
  readonly from: string;
  readonly problem: string;
}

const GO_TRUE = ['1', 't', 'T', 'true', 'TRUE', 'True'];
const GO_FALSE = ['0', 'f', 'F', 'false', 'FALSE', 'False'];
const HELM_NAMES = ['helm.image-name', 'helm.image-tag', 'helm.image-spec'] as const;

/** Go's strconv.ParseBool, which the anchor reads force-update with: undefined when it fails. */
export function parseGoBool(text: string): boolean | undefined {
  if (GO_TRUE.includes(text)) return true;
  if (GO_FALSE.includes(text)) return false;
  return undefined;
}

/**
 * Why the anchor would skip the app: an application-wide or per-image `force-update` that is no Go
 * boolean (an empty one too), or Helm and Kustomize names on one alias. `aliasKeys` are the keys of the
 * aliases in `image-list` (options of other aliases are never read).
 */
export function findAppSkipReasons(
  annotations: ImageUpdaterAnnotations,
  aliasKeys: readonly string[],
): AppSkipReason[] {
  const reasons: AppSkipReason[] = [];
  const checkForce = (from: string, value: string | undefined) => {
    if (value !== undefined && parseGoBool(value.trim()) === undefined)
      reasons.push({ from, problem: `${quoteInput(value.trim())} is not true or false` });
  };
  checkForce('force-update', annotations.app.get('force-update'));
  for (const key of new Set(aliasKeys)) {
    const options = annotations.byAlias.get(key);
    if (options === undefined) continue;
    checkForce(`${key}.force-update`, options.get('force-update'));
    const helm = HELM_NAMES.find((name) => options.get(name)?.trim());
    if (helm !== undefined && options.get('kustomize.image-name')?.trim())
      reasons.push({ from: `${key}.kustomize.image-name`, problem: `set beside ${key}.${helm}` });
  }
  return reasons;
}

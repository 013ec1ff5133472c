/**
 * The annotations Argo CD Image Updater reads on an Application, sorted into what they configure: the
 * image list, per-image options (`<alias>.<option>`, with `/` in the alias written `_`), the
 * application-wide defaults of those options, and the write-back settings. What the updater cannot
 * use, or the anchor does not define, comes back as a warning naming the annotation; nothing is dropped
 * silently. Annotations of other tools are none of our business and are skipped.
 */
import { expectObject } from '../registration/document-fields.ts';

export const ANNOTATION_PREFIX = 'argocd-image-updater.argoproj.io/';

/** Options Argo CD Image Updater reads per image, as `<alias>.<option>` (pkg/common/constants.go). */
export const IMAGE_OPTIONS = [
  'update-strategy',
  'allow-tags',
  'tag-match',
  'ignore-tags',
  'platforms',
  'force-update',
  'pull-secret',
  'helm.image-name',
  'helm.image-tag',
  'helm.image-spec',
  'kustomize.image-name',
] as const;
export type ImageOption = (typeof IMAGE_OPTIONS)[number];

/**
 * Image options the anchor also reads without an alias, as the default of every image that does not
 * set its own (`ApplicationWide*Annotation`). `platforms` and `tag-match` are per image only.
 */
export const APP_WIDE_OPTIONS = [
  'update-strategy',
  'allow-tags',
  'ignore-tags',
  'force-update',
  'pull-secret',
] as const;

/** Settings of the whole app. */
export const APP_SETTINGS = [
  'image-list',
  'write-back-method',
  'git-branch',
  'git-repository',
  'write-back-target',
] as const;
export type AppSetting = (typeof APP_SETTINGS)[number] | (typeof APP_WIDE_OPTIONS)[number];

export interface ImageUpdaterAnnotations {
  /** Application-wide settings and option defaults, by name without the prefix. */
  readonly app: ReadonlyMap<AppSetting, string>;
  /** Per-image options by the alias as written in the key (`/` as `_`). */
  readonly byAlias: ReadonlyMap<string, ReadonlyMap<ImageOption, string>>;
  /** Annotations that were read but cannot be mapped, each saying what to do instead. */
  readonly warnings: readonly string[];
}

/** What a pull secret becomes: nothing, and why. */
export const PULL_SECRET =
  "not mapped: ECR is read with the updater's own IAM role, so no pull secret is needed; make sure the repository is in the stack's watched set";
const COMMIT_IDENTITY =
  "not mapped: commits are made through the GitHub API as the token's user or GitHub App; a message template goes in writeBack.git.commitMessage";

/** The path of an annotation in the manifest, for error messages: `metadata.annotations.<key>`. */
export function annotationField(name: string): string {
  return `metadata.annotations.${ANNOTATION_PREFIX}${name}`;
}

/** The key under which an alias's options are written: `/` becomes `_`, as the anchor normalizes it. */
export function aliasKey(alias: string): string {
  return alias.replaceAll('/', '_');
}

/** Sorts `metadata.annotations`; throws only when they are not a mapping. */
export function readImageUpdaterAnnotations(value: unknown): ImageUpdaterAnnotations {
  const annotations =
    value === undefined || value === null ? {} : expectObject(value, 'metadata.annotations');
  const app = new Map<AppSetting, string>();
  const byAlias = new Map<string, Map<ImageOption, string>>();
  const warnings: string[] = [];
  const warn = (name: string, text: string) => warnings.push(`${ANNOTATION_PREFIX}${name}: ${text}`);

  for (const [key, raw] of Object.entries(annotations)) {
    if (!key.startsWith(ANNOTATION_PREFIX)) continue;
    const name = key.slice(ANNOTATION_PREFIX.length);
    const text =
      typeof raw === 'string'
        ? raw
        : typeof raw === 'number' || typeof raw === 'boolean'
          ? String(raw)
          : undefined;
    if (text === undefined) {
      warn(name, 'not mapped: the value is not text (annotation values are strings); quote it');
      continue;
    }
    if (name === 'pull-secret') {
      warn(name, PULL_SECRET);
    } else if (isAppSetting(name)) {
      app.set(name, text);
    } else if (name.startsWith('git-commit-')) {
      warn(name, COMMIT_IDENTITY);
    } else {
      readImageOption(name, text, byAlias, warn);
    }
  }
  return { app, byAlias, warnings };
}

function readImageOption(
  name: string,
  text: string,
  byAlias: Map<string, Map<ImageOption, string>>,
  warn: (name: string, text: string) => void,
): void {
  if ((IMAGE_OPTIONS as readonly string[]).includes(name)) {
    warn(
      name,
      `not mapped: Argo CD Image Updater reads ${name} only per image, as <alias>.${name}; give the image an alias and set it there`,
    );
    return;
  }
  const option = IMAGE_OPTIONS.find((candidate) => name.endsWith(`.${candidate}`));
  if (option === undefined) {
    warn(
      name,
      'not mapped: not an annotation of Argo CD Image Updater that the importer knows; check the name',
    );
    return;
  }
  const alias = name.slice(0, -option.length - 1);
  if (alias === '') {
    warn(
      name,
      'not mapped: an option without an alias (only Argo CD Image Updater 0.x applied it to images without one); give the image an alias',
    );
  } else if (option === 'pull-secret') {
    warn(name, PULL_SECRET);
  } else {
    const options = byAlias.get(alias) ?? new Map<ImageOption, string>();
    options.set(option, text);
    byAlias.set(alias, options);
  }
}

function isAppSetting(name: string): name is AppSetting {
  return (
    (APP_SETTINGS as readonly string[]).includes(name) ||
    (APP_WIDE_OPTIONS as readonly string[]).includes(name)
  );
}

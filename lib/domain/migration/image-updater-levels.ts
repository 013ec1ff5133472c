/**
 * The settings one level of an `ImageUpdater` writes (the spec, an `applicationRef`, an image):
 * `commonUpdateSettings`, `writeBackConfig` and `imagesVerification`, each value with the field that
 * wrote it, and how levels merge, field by field, as the controller merges them (pkg/argocd/argocd.go:
 * mergeCommonUpdateSettings, mergeWBCSettings, mergeImagesVerification).
 */
import { InvalidInputError } from '../errors.ts';
import {
  type DocumentMapping,
  expectObject,
  fieldPath,
  optionalBoolean,
  optionalList,
  optionalString,
} from '../registration/document-fields.ts';
import type { Setting } from './image-from-settings.ts';
import type { ImageOption } from './image-updater-annotations.ts';

/** The settings of `commonUpdateSettings`, by the name the annotations give them. */
export type CommonSetting = Extract<
  ImageOption,
  'update-strategy' | 'allow-tags' | 'ignore-tags' | 'platforms' | 'force-update' | 'pull-secret'
>;
/** The settings of `writeBackConfig`, by the name the annotations give them. */
export type WriteBackSetting = 'write-back-method' | 'git-repository' | 'git-branch' | 'write-back-target';

/** An `imagesVerification` block: `enabled` when it says, and where it is written. */
export interface Verification {
  readonly enabled?: boolean;
  readonly from: string;
}

export interface PullRequestConfig {
  readonly github: boolean;
  readonly gitlab: boolean;
  readonly labels: readonly string[];
  readonly from: string;
}

/** One level's settings: what it sets, and nothing for what it leaves to the level above. */
export interface Level {
  readonly common: ReadonlyMap<CommonSetting, Setting>;
  readonly writeBack: ReadonlyMap<WriteBackSetting, Setting>;
  /** Replaced whole by a lower level that sets it (providers are exclusive). */
  readonly pullRequest?: PullRequestConfig;
  /** The level's `imagesVerification`, if it has one. */
  readonly verification?: Verification;
}

const COMMON: ReadonlyArray<readonly [string, CommonSetting]> = [
  ['updateStrategy', 'update-strategy'],
  ['allowTags', 'allow-tags'],
  ['ignoreTags', 'ignore-tags'],
  ['platforms', 'platforms'],
  ['forceUpdate', 'force-update'],
  ['pullSecret', 'pull-secret'],
];
const GIT: ReadonlyArray<readonly [string, WriteBackSetting]> = [
  ['repository', 'git-repository'],
  ['branch', 'git-branch'],
  ['writeBackTarget', 'write-back-target'],
];

/** Reports a field the level does not know (`at` is the object's path). */
export type UnknownFields = (object: DocumentMapping, at: string, known: readonly string[]) => void;

/**
 * Reads the settings of the level at `at` (`label` names the resource); an image has no
 * writeBackConfig, so its key is simply absent there.
 */
export function readLevel(object: DocumentMapping, at: string, label: string, unknown: UnknownFields): Level {
  const where = (field: string) => ({ from: `${label} ${field}`, field: `${label} ${field}` });
  const common = new Map<CommonSetting, Setting>();
  if (object.commonUpdateSettings !== undefined && object.commonUpdateSettings !== null) {
    const field = fieldPath(at, 'commonUpdateSettings');
    const settings = expectObject(object.commonUpdateSettings, field);
    unknown(
      settings,
      field,
      COMMON.map(([key]) => key),
    );
    for (const [key, name] of COMMON) {
      const value = readCommon(settings, key, field);
      if (value !== undefined) common.set(name, { value, ...where(fieldPath(field, key)) });
    }
  }
  const writeBack = new Map<WriteBackSetting, Setting>();
  let pullRequest: PullRequestConfig | undefined;
  if (object.writeBackConfig !== undefined && object.writeBackConfig !== null) {
    const field = fieldPath(at, 'writeBackConfig');
    const config = expectObject(object.writeBackConfig, field);
    unknown(config, field, ['method', 'gitConfig']);
    const method = optionalString(config, 'method', field);
    if (method !== undefined)
      writeBack.set('write-back-method', { value: method, ...where(fieldPath(field, 'method')) });
    if (config.gitConfig !== undefined && config.gitConfig !== null) {
      const gitAt = fieldPath(field, 'gitConfig');
      const git = expectObject(config.gitConfig, gitAt);
      unknown(git, gitAt, ['repository', 'branch', 'writeBackTarget', 'pullRequest']);
      for (const [key, name] of GIT) {
        const value = optionalString(git, key, gitAt);
        if (value !== undefined) writeBack.set(name, { value, ...where(fieldPath(gitAt, key)) });
      }
      if (git.pullRequest !== undefined && git.pullRequest !== null) {
        const prAt = fieldPath(gitAt, 'pullRequest');
        const pr = expectObject(git.pullRequest, prAt);
        unknown(pr, prAt, ['github', 'gitlab', 'labels']);
        const has = (key: string) => pr[key] !== undefined && pr[key] !== null;
        if (has('github') === has('gitlab'))
          throw new InvalidInputError(
            prAt,
            'needs exactly one of github or gitlab',
            'e.g. pullRequest: { github: {} }',
          );
        pullRequest = {
          github: has('github'),
          gitlab: has('gitlab'),
          labels: optionalList(pr, 'labels', prAt) ?? [],
          from: `${label} ${prAt}`,
        };
      }
    }
  }
  const verification = readVerification(object, at, label);
  return {
    common,
    writeBack,
    ...(pullRequest ? { pullRequest } : {}),
    ...(verification ? { verification } : {}),
  };
}

// Lists are kept as the annotations write them (comma-separated), booleans as text: the image mapping
// reads both forms the same way. A list written as one string, as the upstream docs sometimes show, is
// taken as the list it means.
function readCommon(settings: DocumentMapping, key: string, field: string): string | undefined {
  if (key === 'ignoreTags' || key === 'platforms') return optionalList(settings, key, field)?.join(',');
  if (key === 'forceUpdate') {
    const value = optionalBoolean(settings, key, field);
    return value === undefined ? undefined : String(value);
  }
  return optionalString(settings, key, field);
}

function readVerification(object: DocumentMapping, at: string, label: string): Verification | undefined {
  const value = object.imagesVerification;
  if (value === undefined || value === null) return undefined;
  const field = fieldPath(at, 'imagesVerification');
  const enabled = optionalBoolean(expectObject(value, field), 'enabled', field);
  return { ...(enabled === undefined ? {} : { enabled }), from: `${label} ${field}` };
}

/**
 * The verification an image is under, levels merged field by field as mergeImagesVerification does:
 * none when no level has a block; else enabled unless the last level to say so says false.
 */
export function effectiveVerification(
  ...levels: ReadonlyArray<Verification | undefined>
): string | undefined {
  const blocks = levels.filter((level): level is Verification => level !== undefined);
  if (blocks.length === 0) return undefined;
  const enabled = blocks.reduce<boolean | undefined>((last, block) => block.enabled ?? last, undefined);
  return enabled === false ? undefined : blocks.findLast((block) => block.enabled !== false)?.from;
}

/** Merges levels from the top down: each field is taken from the lowest level that sets it. */
export function mergeLevels<K, V>(...levels: ReadonlyArray<ReadonlyMap<K, V>>): Map<K, V> {
  const merged = new Map<K, V>();
  for (const level of levels) for (const [key, value] of level) merged.set(key, value);
  return merged;
}

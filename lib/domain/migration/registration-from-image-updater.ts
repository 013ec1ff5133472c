/**
 * The registration of one Application selected by an `applicationRef` of an `ImageUpdater`: the ref's
 * images with their settings merged from the spec, the ref and the image (a field not set falls back to
 * the level above), and the write-back merged from the spec and the ref, as the controller resolves
 * them (pkg/argocd/argocd.go: FilterApplicationsForUpdate, parseImageList, newWBCFromSettings). Images
 * and write-back then map through the same rules as annotations (image-from-settings.ts,
 * write-back-from-annotations.ts).
 */
import { InvalidInputError, quoteInput } from '../errors.ts';
import { parseEcrRegistry } from '../images/image-spec.ts';
import { expectObject, requiredString } from '../registration/document-fields.ts';
import { readApplicationSource } from '../targets/application-source.ts';
import {
  type ImageDocument,
  importImage,
  NOT_ECR,
  type Setting,
  type SettingLookup,
} from './image-from-settings.ts';
import { parseAliasedImage } from './image-list-entry.ts';
import { PULL_SECRET } from './image-updater-annotations.ts';
import { effectiveVerification, mergeLevels, type WriteBackSetting } from './image-updater-levels.ts';
import type { ApplicationRef, ImageUpdaterResource } from './image-updater-resource.ts';
import {
  decideSourceType,
  type ImportedApplication,
  type ImportOptions,
  type RegistrationDocument,
  validateImported,
  writeBackScope,
} from './registrations-from-applications.ts';
import { writeBackFromAnnotations } from './write-back-from-annotations.ts';

/** What an `imagesVerification` in force becomes: nothing, and why. */
export const VERIFICATION =
  'not mapped: the updater does not verify image signatures; verify them in the pipeline that pushes to ECR, or keep Argo CD Image Updater for this image';
const PLUGIN =
  'not mapped: the updater writes Helm parameters and Kustomize images only, not Config Management Plugin variables; the image is left out';

/**
 * The registration, or undefined (with a warning in `skipped`) when none of the ref's images is an ECR
 * image. Throws {@link InvalidInputError} naming the field to edit.
 */
export function registrationFromImageUpdater(
  manifest: unknown,
  resource: ImageUpdaterResource,
  ref: ApplicationRef,
  options: ImportOptions,
  skipped: (text: string) => void,
): ImportedApplication | undefined {
  const application = expectObject(manifest, '');
  const metadata = expectObject(application.metadata, 'metadata');
  const name = requiredString(metadata, 'name', 'metadata', 'give the Application a name');
  const warnings: string[] = [];
  const seen = new Set<string>();
  // A setting of an upper level warns once, not once per image that inherits it.
  const warn = (text: string) => {
    if (!seen.has(text)) warnings.push(text);
    seen.add(text);
  };
  const origins = new Map<string, string>([['name', 'metadata.name']]);
  const origin = (field: string, from: string) => origins.set(field, from);
  const spec = expectObject(application.spec, 'spec');
  const source = readApplicationSource(spec, application.status, warn);

  const writeBack = mergeLevels(resource.writeBack, ref.writeBack);
  const value = (key: WriteBackSetting) => writeBack.get(key)?.value.trim() ?? '';
  const kustomizeNamed = ref.images.some((image) => image.targets.has('kustomize.image-name'));
  const sourceType = decideSourceType(name, source, value('write-back-target'), kustomizeNamed, warn);
  const context = {
    sourceType,
    // For an ImageUpdater image, the controller writes Helm values at image.name and image.tag when
    // manifestTargets.helm names none (getHelmParamNames, pkg/argocd/argocd.go), as the registration
    // does: nothing to warn about.
    helmValues: false,
    warn,
    origin,
  };
  const common = mergeLevels(resource.common, ref.common);
  const images: ImageDocument[] = [];
  for (const image of ref.images) {
    const settings = mergeLevels(common, image.common);
    const pullSecret = settings.get('pull-secret');
    if (pullSecret !== undefined) warn(`${pullSecret.from}: ${PULL_SECRET}`);
    const verified = effectiveVerification(resource.verification, ref.verification, image.verification);
    if (verified !== undefined) warn(`${verified}: ${VERIFICATION}`);
    if (image.plugin !== undefined) {
      warn(`${image.plugin}: ${PLUGIN}`);
      continue;
    }
    const spec = parseAliasedImage(
      { alias: image.alias, image: image.imageName },
      options.account,
      warn,
      image.written.field,
    );
    if (spec.registry === undefined || parseEcrRegistry(spec.registry) === undefined) {
      warn(`${image.written.from}: ${quoteInput(image.imageName)} ${NOT_ECR}`);
      continue;
    }
    const lookup: SettingLookup = (option) => image.targets.get(option) ?? settings.get(option as never);
    images.push(importImage(spec, `images[${images.length}]`, image.written, false, lookup, context));
  }
  if (images.length === 0) {
    skipped(
      `Application ${name}: selected by ${ref.at}, whose images name no ECR image (${warnings.join('; ')}); skipped`,
    );
    return undefined;
  }
  const document: RegistrationDocument = {
    name,
    images,
    writeBack: writeBackFromAnnotations({
      name,
      app: new Map([...writeBack].map(([key, setting]) => [key, setting.value])),
      sourceType,
      source,
      ...writeBackScope(metadata, spec, options),
      warn,
      origin,
      where: (key) =>
        writeBack.get(key as WriteBackSetting) ?? {
          from: `${resource.label} spec.writeBackConfig`,
          field: `${resource.label} spec.writeBackConfig`,
        },
    }),
  };
  applyPullRequest(document, ref.pullRequest ?? resource.pullRequest, writeBack.get('git-branch'), warn);
  validateImported(document, origins);
  return { document, warnings };
}

// Pull requests on GitHub map to the registration's pullRequest; GitLab and labels have no equivalent.
function applyPullRequest(
  document: RegistrationDocument,
  pullRequest: ApplicationRef['pullRequest'],
  branch: Setting | undefined,
  warn: (text: string) => void,
): void {
  if (pullRequest === undefined) return;
  // newWBCFromSettings refuses the base:write-branch form in pull request mode, skipping the app.
  if (branch?.value.includes(':'))
    throw new InvalidInputError(
      branch.field,
      `${quoteInput(branch.value)}: a pull request takes only its base branch`,
      'write the base branch alone, e.g. main',
    );
  if (document.writeBack.method !== 'git') {
    warn(`${pullRequest.from}: not mapped: the app is written back through Argo CD, not git`);
    return;
  }
  if (pullRequest.gitlab) {
    warn(
      `${pullRequest.from}.gitlab: not mapped: the updater opens pull requests on GitHub only; the change is committed to the branch instead`,
    );
    return;
  }
  document.writeBack.git.pullRequest = true;
  if (pullRequest.labels.length > 0)
    warn(
      `${pullRequest.from}.labels: not mapped: the updater's pull requests carry no labels (${pullRequest.labels.join(', ')})`,
    );
}

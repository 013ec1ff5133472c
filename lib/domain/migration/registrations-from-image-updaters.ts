/**
 * `apps import` of `ImageUpdater` resources: each resource selects, among the Applications in its own
 * namespace, those whose name matches a ref's `namePattern` (a glob, as Go's filepath.Match) and whose
 * labels match its `labelSelectors`; each Application goes to the most specific ref that matches
 * (application-ref-order.ts) and becomes one registration. The Applications come from the files (or
 * from Argo CD, `--from-argocd`), as the controller lists them (pkg/argocd/argocd.go:
 * FilterApplicationsForUpdate, which lists in the resource's namespace only).
 */
import { InvalidInputError, mapProblems, quoteInput } from '../errors.ts';
import { ProblemCollector } from '../problem-collector.ts';
import type { DocumentMapping } from '../registration/document-fields.ts';
import { compileGlob, GlobSyntaxError } from '../tags/glob.ts';
import { orderApplicationRefs } from './application-ref-order.ts';
import { ANNOTATION_PREFIX } from './image-updater-annotations.ts';
import { effectiveVerification } from './image-updater-levels.ts';
import {
  type ApplicationRef,
  DEFAULT_NAMESPACE,
  IMAGE_UPDATER_API_VERSION,
  type ImageUpdaterResource,
  readImageUpdater,
} from './image-updater-resource.ts';
import { matchesLabels } from './label-selector.ts';
import { registrationFromImageUpdater, VERIFICATION } from './registration-from-image-updater.ts';
import {
  type ImportedApplication,
  type ImportedApplications,
  type ImportOptions,
  listItems,
  registrationFromApplication,
  registrationsFromApplications,
} from './registrations-from-applications.ts';

const APPLICATION_API_VERSION = 'argoproj.io/v1alpha1';

export interface ManifestImportOptions extends ImportOptions {
  /**
   * The Applications Argo CD lists in each namespace an `ImageUpdater` is in (`--from-argocd`); when
   * given, they are the ones selected, and Applications in the files are not.
   */
  readonly argoCdApplications?: ReadonlyMap<string, readonly unknown[]>;
}

/** The namespaces of the `ImageUpdater` resources among the documents: where to list Applications. */
export function imageUpdaterNamespaces(documents: readonly unknown[]): string[] {
  const namespaces = listItems(documents)
    .map(({ item }) => item as DocumentMapping | null)
    .filter(isImageUpdater)
    .map((item) => {
      const namespace = (item.metadata as DocumentMapping | undefined)?.namespace;
      return typeof namespace === 'string' && namespace.trim() !== '' ? namespace.trim() : DEFAULT_NAMESPACE;
    });
  return [...new Set(namespaces)].sort();
}

/**
 * Reads Applications and `ImageUpdater` resources. Without any `ImageUpdater`, the Applications'
 * annotations are imported (registrationsFromApplications). With some, each selected Application
 * becomes one registration; an Application that none selects is skipped with a warning, as v1 ignores
 * its annotations. Throws when nothing is left to register, or naming every invalid document.
 */
export function registrationsFromManifests(
  documents: readonly unknown[],
  options: ManifestImportOptions = {},
): ImportedApplications {
  const items = listItems(documents, options.sources);
  if (!items.some(({ item }) => isImageUpdater(item))) {
    if (options.argoCdApplications !== undefined)
      throw new InvalidInputError(
        '--from-argocd',
        'needs an ImageUpdater resource to select Applications with',
        'give the ImageUpdater manifests, or the Application manifests without --from-argocd',
      );
    return registrationsFromApplications(documents, options);
  }
  const warnings: string[] = [];
  const problems = new ProblemCollector();
  const resources: ImageUpdaterResource[] = [];
  const fromFiles: Array<{ item: DocumentMapping; where: string }> = [];
  for (const { item, where } of items) {
    if (isImageUpdater(item)) {
      const resource = problems.check(() => named(where, () => readImageUpdater(item)));
      if (resource) resources.push(resource);
    } else if (isApplication(item)) {
      if (options.argoCdApplications === undefined) fromFiles.push({ item, where });
      else
        warnings.push(
          `${where}: an Application given beside --from-argocd, which reads them from Argo CD; skipped`,
        );
    } else
      warnings.push(`${where}: ${describeKind(item)} is neither an ImageUpdater nor an Application; skipped`);
  }
  problems.throwIfAny();
  const candidates = (namespace: string) =>
    options.argoCdApplications === undefined
      ? fromFiles.filter(({ item }) => namespaceOf(item) === namespace)
      : (options.argoCdApplications.get(namespace) ?? []).map((item, index) => ({
          item: { apiVersion: APPLICATION_API_VERSION, kind: 'Application', ...(item as DocumentMapping) },
          where: `Argo CD's Application ${index + 1} in ${namespace}`,
        }));

  const claimed = new Map<string, string>();
  const selected = new Set<string>();
  const applications: ImportedApplication[] = [];
  for (const resource of resources) {
    warnings.push(...resource.warnings);
    const refs = usableRefs(resource, warnings);
    const selectedBy = new Map<ApplicationRef, number>();
    for (const { item, where } of candidates(resource.namespace)) {
      const ref = refs.find(({ ref, glob }) => glob.matches(nameOf(item)) && selects(ref, item))?.ref;
      if (ref === undefined) continue;
      selectedBy.set(ref, (selectedBy.get(ref) ?? 0) + 1);
      const key = `${resource.namespace}/${nameOf(item)}`;
      selected.add(key);
      const earlier = claimed.get(key) ?? claimed.get(nameOf(item));
      if (earlier !== undefined) {
        warnings.push(
          `Application ${key}: also selected by ${ref.at}; Argo CD Image Updater would apply both in turn, the import keeps ${earlier} (one registration an app name)`,
        );
        continue;
      }
      const imported = problems.check(() =>
        named(`${where} (${nameOf(item)}, selected by ${ref.at})`, () =>
          importOne(item, resource, ref, options, warnings),
        ),
      );
      if (imported === undefined) continue;
      claimed.set(key, ref.at);
      claimed.set(nameOf(item), ref.at);
      applications.push(imported);
    }
    for (const { ref } of refs)
      if (!selectedBy.has(ref))
        warnings.push(
          `${ref.at}: selects no Application in namespace ${resource.namespace} among ${options.argoCdApplications ? "Argo CD's" : 'those given'} (namePattern ${quoteInput(ref.namePattern)})`,
        );
  }
  problems.throwIfAny();
  const unselected = fromFiles
    .map(({ item }) => `${namespaceOf(item)}/${nameOf(item)}`)
    .filter((key) => !selected.has(key));
  if (unselected.length > 0)
    warnings.push(
      `Applications selected by no ImageUpdater, skipped: ${unselected.join(', ')} (an ImageUpdater selects in its own namespace only; with ImageUpdater resources, Argo CD Image Updater v1 reads an Application's annotations only through a ref with useAnnotations: true)`,
    );
  if (applications.length === 0)
    throw new InvalidInputError(
      'manifest',
      `gives no Application that an ImageUpdater selects and can register${warnings.length ? ` (${warnings.join('; ')})` : ''}`,
      options.argoCdApplications
        ? 'check the namePattern and labelSelectors against the Applications Argo CD lists'
        : 'give the Application manifests the ImageUpdater selects, or --from-argocd to read them from Argo CD',
    );
  return { applications, warnings };
}

// The refs most specific first, each with its glob. A pattern that is no glob makes the controller
// give up on the whole resource (it checks them all first), and so does the import.
function usableRefs(
  resource: ImageUpdaterResource,
  warnings: string[],
): Array<{ ref: ApplicationRef; glob: ReturnType<typeof compileGlob> }> {
  const refs = [];
  for (const ref of orderApplicationRefs(resource.refs)) {
    try {
      refs.push({ ref, glob: compileGlob(ref.namePattern) });
    } catch (error) {
      if (!(error instanceof GlobSyntaxError)) throw error;
      warnings.push(
        `${ref.at}.namePattern: ${error.message}; Argo CD Image Updater then processes none of ${resource.label}'s Applications, and the import skips it`,
      );
      return [];
    }
  }
  for (const { ref } of refs)
    if (ref.selector !== undefined && 'problem' in ref.selector)
      warnings.push(
        `${ref.selector.problem}; Argo CD Image Updater then selects no Application through ${ref.at}, nor does the import`,
      );
  return refs;
}

function selects(ref: ApplicationRef, item: DocumentMapping): boolean {
  if (ref.selector === undefined) return true;
  if ('problem' in ref.selector) return false;
  const labels = (item.metadata as DocumentMapping | undefined)?.labels;
  return matchesLabels(
    ref.selector.requirements,
    typeof labels === 'object' && labels !== null ? (labels as DocumentMapping) : {},
  );
}

// useAnnotations: the ref only selects; the Application's annotations say the rest, and the ref's own
// settings are ignored, as the controller ignores them.
function importOne(
  item: DocumentMapping,
  resource: ImageUpdaterResource,
  ref: ApplicationRef,
  options: ImportOptions,
  warnings: string[],
): ImportedApplication | undefined {
  if (!ref.useAnnotations)
    return registrationFromImageUpdater(item, resource, ref, options, (text) => warnings.push(text));
  const annotations = (item.metadata as DocumentMapping | undefined)?.annotations as
    | DocumentMapping
    | undefined;
  if (annotations?.[`${ANNOTATION_PREFIX}image-list`] === undefined) {
    warnings.push(
      `Application ${nameOf(item)}: selected by ${ref.at} with useAnnotations, but has no ${ANNOTATION_PREFIX}image-list annotation; Argo CD Image Updater skips it, and so does the import`,
    );
    return undefined;
  }
  const imported = registrationFromApplication(item, options);
  // The ref's own imagesVerification still applies then (the spec's does not): mergedImagesVerification.
  const verified = effectiveVerification(ref.verification);
  const ignored = [
    ref.common.size > 0 ? 'commonUpdateSettings' : '',
    ref.writeBack.size > 0 || ref.pullRequest ? 'writeBackConfig' : '',
    ref.images.length > 0 ? 'images' : '',
  ].filter((field) => field !== '');
  return {
    ...imported,
    warnings: [
      ...(ignored.length === 0
        ? []
        : [
            `${ref.at}: ${ignored.join(', ')} ignored: useAnnotations is true, so the Application's annotations say everything, as in Argo CD Image Updater`,
          ]),
      ...(verified === undefined ? [] : [`${verified}: ${VERIFICATION}`]),
      ...imported.warnings,
    ],
  };
}

// An error in a document names it, so that nothing is half imported.
function named<T>(where: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw mapProblems(
      error,
      (problem) => new InvalidInputError(`${where}: ${problem.field}`, problem.problem, problem.fix),
    );
  }
}

function isImageUpdater(item: unknown): item is DocumentMapping {
  return isKind(item, 'ImageUpdater', IMAGE_UPDATER_API_VERSION);
}

function isApplication(item: unknown): item is DocumentMapping {
  return isKind(item, 'Application', APPLICATION_API_VERSION);
}

function isKind(item: unknown, kind: string, apiVersion: string): item is DocumentMapping {
  const object = item as DocumentMapping | null;
  return (
    typeof object === 'object' && object !== null && object.kind === kind && object.apiVersion === apiVersion
  );
}

function describeKind(item: unknown): string {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return 'not a Kubernetes object';
  const { kind, apiVersion } = item as DocumentMapping;
  return `${String(kind ?? 'no kind')} (${String(apiVersion ?? 'no apiVersion')})`;
}

function nameOf(item: DocumentMapping): string {
  const name = (item.metadata as DocumentMapping | undefined)?.name;
  return typeof name === 'string' ? name : '';
}

function namespaceOf(item: DocumentMapping): string {
  const namespace = (item.metadata as DocumentMapping | undefined)?.namespace;
  return typeof namespace === 'string' && namespace.trim() !== '' ? namespace.trim() : DEFAULT_NAMESPACE;
}

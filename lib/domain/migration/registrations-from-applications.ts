/**
 * `apps import`: an Argo CD `Application` annotated for Argo CD Image Updater, read into the
 * registration that gives the same behaviour. Every annotation is either mapped or reported in a
 * warning saying what to do instead; the document is validated as `apps register` would, and an error
 * names the annotation or manifest field to edit rather than the registration field it became.
 */

import { InvalidInputError, mapProblems, quoteInput } from '../errors.ts';
import { ProblemCollector } from '../problem-collector.ts';
import { type DocumentMapping, expectObject, requiredString } from '../registration/document-fields.ts';
import { parseRegistration } from '../registration/registration.ts';
import {
  type ApplicationSourceSummary,
  readApplicationSource,
  type SourceType,
} from '../targets/application-source.ts';
import type { PlainGitHost } from './git-remote-of.ts';
import { ANNOTATION_PREFIX, readImageUpdaterAnnotations } from './image-updater-annotations.ts';
import { type ImageDocument, imagesFromAnnotations } from './images-from-annotations.ts';
import {
  type WriteBackDocument,
  type WriteBackImportContext,
  writeBackFromAnnotations,
  writesHelmValues,
} from './write-back-from-annotations.ts';

/** A registration as `apps register` takes it: a plain object `parseRegistration` accepts. */
export interface RegistrationDocument {
  name: string;
  images: ImageDocument[];
  writeBack: WriteBackDocument;
}

export interface ImportOptions {
  /** The AWS account that replaces a placeholder such as `<account-id>` in ECR image names. */
  readonly account?: string | undefined;
  /** The platform's GitHub connection for git write-back; the default connection when absent. */
  readonly githubConnection?: string | undefined;
  /** The platform's Argo CD connection for write-back method argocd; the default when absent. */
  readonly argocdConnection?: string | undefined;
  /** The platform's plain git connections and their base URLs, for repositories outside GitHub. */
  readonly gitHosts?: readonly PlainGitHost[] | undefined;
  /** What to call each document in messages (`apps.yaml document 2`); `document N` when absent. */
  readonly sources?: readonly string[] | undefined;
}

export interface ImportedApplication {
  readonly document: RegistrationDocument;
  /** What was not mapped, or was mapped differently than written, and what to do about it. */
  readonly warnings: readonly string[];
}

export interface ImportedApplications {
  readonly applications: readonly ImportedApplication[];
  /** Documents that were skipped (not an Application, or without an image list), and why. */
  readonly warnings: readonly string[];
}

const API_VERSION = 'argoproj.io/v1alpha1';
const IMAGE_LIST = `${ANNOTATION_PREFIX}image-list`;

/** Reads one `Application` manifest (parsed YAML) into a registration document and warnings. */
export function registrationFromApplication(
  manifest: unknown,
  options: ImportOptions = {},
): ImportedApplication {
  const application = expectObject(manifest, '');
  if (application.kind !== 'Application' || application.apiVersion !== API_VERSION) {
    throw new InvalidInputError(
      'kind',
      `expected an Argo CD Application (${API_VERSION})`,
      'give the Application manifest',
    );
  }
  if (options.account !== undefined && !/^[0-9]{12}$/.test(options.account)) {
    throw new InvalidInputError(
      '--account',
      `${quoteInput(options.account)} is not an AWS account id`,
      'give 12 digits',
    );
  }
  const metadata = expectObject(application.metadata, 'metadata');
  const name = requiredString(metadata, 'name', 'metadata', 'give the Application a name');
  const annotations = readImageUpdaterAnnotations(metadata.annotations);
  const warnings = [...annotations.warnings];
  const warn = (text: string) => warnings.push(text);
  const origins = new Map<string, string>([['name', 'metadata.name']]);
  const origin = (field: string, from: string) => origins.set(field, from);

  const spec = expectObject(application.spec, 'spec');
  const source = readApplicationSource(spec, application.status, warn);
  const target = annotations.app.get('write-back-target')?.trim() ?? '';
  const method = annotations.app.get('write-back-method')?.trim() ?? '';
  const kustomizeNamed = [...annotations.byAlias.values()].some((options) =>
    options.has('kustomize.image-name'),
  );
  const sourceType = decideSourceType(name, source, target, kustomizeNamed, warn);
  const document: RegistrationDocument = {
    name,
    images: imagesFromAnnotations({
      annotations,
      account: options.account,
      sourceType,
      helmValues: writesHelmValues(target, method, sourceType),
      warn,
      origin,
    }),
    writeBack: writeBackFromAnnotations({
      name,
      app: annotations.app,
      sourceType,
      source,
      ...writeBackScope(metadata, spec, options),
      warn,
      origin,
    }),
  };
  validateImported(document, origins);
  return { document, warnings };
}

/**
 * What the write-back of an Application's registration takes from the Application and the options:
 * its project and namespace, and the connections to name.
 */
export function writeBackScope(
  metadata: DocumentMapping,
  spec: DocumentMapping,
  options: ImportOptions,
): Pick<
  WriteBackImportContext,
  'project' | 'namespace' | 'githubConnection' | 'argocdConnection' | 'gitHosts'
> {
  return {
    project: text(spec.project),
    namespace: text(metadata.namespace),
    githubConnection: options.githubConnection,
    argocdConnection: options.argocdConnection,
    gitHosts: options.gitHosts,
  };
}

/**
 * Reads every `Application` among parsed YAML documents (a `List` of them too). Other kinds, and
 * Applications without an image list, are skipped with a warning; an error in one document is thrown,
 * naming the document, so nothing is half imported. Throws when no Application is left.
 */
export function registrationsFromApplications(
  documents: readonly unknown[],
  options: ImportOptions = {},
): ImportedApplications {
  const applications: ImportedApplication[] = [];
  const warnings: string[] = [];
  const items = listItems(documents, options.sources);
  const problems = new ProblemCollector();
  for (const { item, where } of items) {
    const skip = reasonToSkip(item);
    if (skip !== undefined) {
      warnings.push(`${where}: ${skip}; skipped`);
      continue;
    }
    const application = problems.check(() => {
      try {
        return registrationFromApplication(item, options);
      } catch (error) {
        if (!(error instanceof InvalidInputError) || items.length === 1) throw error;
        throw mapProblems(
          error,
          (problem) => new InvalidInputError(`${where}: ${problem.field}`, problem.problem, problem.fix),
        );
      }
    });
    if (application) applications.push(application);
  }
  problems.throwIfAny();
  if (applications.length === 0) {
    throw new InvalidInputError(
      'manifest',
      `holds no Argo CD Application with the ${IMAGE_LIST} annotation${warnings.length ? ` (${warnings.join('; ')})` : ''}`,
      'give the Application manifests annotated for Argo CD Image Updater',
    );
  }
  return { applications, warnings };
}

/**
 * Every document, and the items of a `List`, with where each is (`document 2, item 1`, or as
 * `sources` name the documents: `apps.yaml document 2`).
 */
export function listItems(
  documents: readonly unknown[],
  sources?: readonly string[],
): Array<{ item: unknown; where: string }> {
  return documents.flatMap((document, index) => {
    const where = sources?.[index] ?? `document ${index + 1}`;
    return isList(document)
      ? (document.items as unknown[]).map((item, at) => ({ item, where: `${where}, item ${at + 1}` }))
      : [{ item: document, where }];
  });
}

/**
 * Helm or Kustomize, as Argo CD Image Updater decides by the source type Argo CD found (a
 * kustomization target forces Kustomize). A manifest does not always say; Helm is the safer guess, as a
 * Kustomize app's images must be named `kustomize` in the registration, unless an image names its
 * Kustomize image (`kustomizeNames`).
 */
export function decideSourceType(
  name: string,
  source: ApplicationSourceSummary,
  target: string,
  kustomizeNames: boolean,
  warn: (text: string) => void,
): SourceType {
  if (target.startsWith('kustomization')) return 'kustomize';
  if (source.type !== undefined) return source.type;
  if (target.startsWith('helmvalues')) return 'helm';
  if (source.unsupportedType !== undefined) {
    warn(
      `${source.field}: Argo CD Image Updater skips apps of source type ${source.unsupportedType} (only Helm and Kustomize); imported as ${kustomizeNames ? 'Kustomize' : 'Helm'}`,
    );
  } else if (kustomizeNames) {
    warn(
      `${source.field}: the manifest does not say Helm or Kustomize; taken for Kustomize, as it names kustomize.image-name`,
    );
  } else {
    warn(
      `${source.field}: the manifest does not say whether ${name} is Helm or Kustomize (Argo CD decides from the files at its path); imported as Helm: if it is Kustomize, give each image kustomize: {}`,
    );
  }
  return kustomizeNames ? 'kustomize' : 'helm';
}

/** The registration's own validation, with errors pointed back at what the user wrote. */
export function validateImported(document: RegistrationDocument, origins: ReadonlyMap<string, string>): void {
  try {
    parseRegistration(document);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw mapProblems(error, (problem) => {
      const key = [...origins.keys()]
        .filter(
          (k) =>
            problem.field === k || problem.field.startsWith(`${k}.`) || problem.field.startsWith(`${k}[`),
        )
        .sort((a, b) => b.length - a.length)[0];
      if (key === undefined) return problem;
      return new InvalidInputError(
        origins.get(key)!,
        `${problem.problem} (as ${problem.field})`,
        problem.fix,
      );
    });
  }
}

function reasonToSkip(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return 'not a Kubernetes object';
  const { kind, apiVersion, metadata } = item as DocumentMapping;
  if (kind === 'ApplicationSet') {
    return 'an ApplicationSet; import the Applications it generates (kubectl get applications -o yaml)';
  }
  if (kind !== 'Application' || apiVersion !== API_VERSION) {
    return `${String(kind ?? 'no kind')} (${String(apiVersion ?? 'no apiVersion')}) is not an Argo CD Application`;
  }
  const annotations = (metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations;
  if (annotations?.[IMAGE_LIST] === undefined) {
    const name = (metadata as { name?: unknown } | undefined)?.name;
    return `Application ${String(name ?? '(no name)')} has no ${IMAGE_LIST} annotation`;
  }
  return undefined;
}

function isList(document: unknown): document is { items: unknown[] } {
  const object = document as { kind?: unknown; items?: unknown } | null;
  return (
    typeof object === 'object' &&
    object !== null &&
    (object.kind === 'List' || object.kind === 'ApplicationList') &&
    Array.isArray(object.items)
  );
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

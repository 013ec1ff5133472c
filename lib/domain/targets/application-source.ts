/**
 * The source of an Argo CD Application that image updates concern: `spec.source`, or the entry of
 * `spec.sources[]` that holds the app's path. Gives the repository, path and revision for a git
 * write-back, and whether the manifest tells Helm from Kustomize (Argo CD decides by the files it finds;
 * a manifest tells only through `status.sourceType`, a `helm` or `kustomize` block, or a `chart`).
 */

import { InvalidInputError } from '../errors.ts';
import { type DocumentMapping, expectObject, fieldPath } from '../registration/document-fields.ts';

export type SourceType = 'helm' | 'kustomize';

/**
 * What an import reads of the chosen source (not the source itself, which is Argo CD's ApplicationSource):
 * where it is, its repository, path and revision, and its type when the manifest tells it.
 */
export interface ApplicationSourceSummary {
  /** Where the chosen source is in the manifest: `spec.source` or `spec.sources[i]`. */
  readonly field: string;
  readonly repoURL?: string;
  readonly path?: string;
  readonly targetRevision?: string;
  /** Helm or Kustomize, when the manifest says which. */
  readonly type?: SourceType;
  /** The manifest field that told the type, e.g. `status.sourceType` or `spec.source.helm`. */
  readonly typeFrom?: string;
  /** A source type Argo CD Image Updater does not update (Directory, Plugin), when the manifest names one. */
  readonly unsupportedType?: string;
}

/** Reads the source of the Application; throws when the spec has neither `source` nor `sources`. */
export function readApplicationSource(
  spec: DocumentMapping,
  status: unknown,
  warn: (text: string) => void,
): ApplicationSourceSummary {
  const statusType = readStatusType(status);
  // Argo CD uses `sources` when it has any, whatever `source` says (ApplicationSpec.GetSources in
  // pkg/apis/application/v1alpha1/types.go).
  const hasSources = Array.isArray(spec.sources) && spec.sources.length > 0;
  if (!hasSources && spec.source !== undefined && spec.source !== null) {
    const source = expectObject(spec.source, 'spec.source');
    return { ...describe(source, 'spec.source'), ...typeOf(source, 'spec.source', statusType) };
  }
  if (!Array.isArray(spec.sources) || spec.sources.length === 0) {
    throw new InvalidInputError(
      'spec.source',
      'is required',
      'an Argo CD Application names spec.source or spec.sources',
    );
  }
  const sources = spec.sources.map((item, index) => expectObject(item, fieldPath('spec.sources', index)));
  const withPath = sources.flatMap((source, index) => (text(source.path) ? [index] : []));
  // Argo CD Image Updater edits the first source with a helm or kustomize block, else the first one.
  const typed = sources.findIndex((source) => isObject(source.helm) || isObject(source.kustomize));
  const chosen =
    typed !== -1 && withPath.includes(typed) ? typed : (withPath[0] ?? (typed === -1 ? 0 : typed));
  const field = fieldPath('spec.sources', chosen);
  const source = describe(sources[chosen]!, field);
  if (withPath.length > 1) {
    warn(
      `spec.sources: ${withPath.length} sources have a path; used ${field} (path ${source.path}); check writeBack.git.path`,
    );
  }
  const typeSource = typed === -1 ? chosen : typed;
  return { ...source, ...typeOf(sources[typeSource]!, fieldPath('spec.sources', typeSource), undefined) };
}

function describe(source: DocumentMapping, field: string): ApplicationSourceSummary {
  const repoURL = text(source.repoURL);
  const path = text(source.path);
  const targetRevision = text(source.targetRevision);
  return {
    field,
    ...(repoURL === undefined ? {} : { repoURL }),
    ...(path === undefined ? {} : { path }),
    ...(targetRevision === undefined ? {} : { targetRevision }),
  };
}

// Argo CD records the type it found in status.sourceType; without it, the blocks of the source tell.
function typeOf(
  source: DocumentMapping,
  field: string,
  statusType: string | undefined,
): Pick<ApplicationSourceSummary, 'type' | 'typeFrom' | 'unsupportedType'> {
  if (statusType === 'Helm') return { type: 'helm', typeFrom: 'status.sourceType' };
  if (statusType === 'Kustomize') return { type: 'kustomize', typeFrom: 'status.sourceType' };
  if (isObject(source.helm)) return { type: 'helm', typeFrom: `${field}.helm` };
  if (isObject(source.kustomize)) return { type: 'kustomize', typeFrom: `${field}.kustomize` };
  if (text(source.chart)) return { type: 'helm', typeFrom: `${field}.chart` };
  if (isObject(source.plugin)) return { unsupportedType: 'Plugin' };
  return statusType === undefined ? {} : { unsupportedType: statusType };
}

function readStatusType(status: unknown): string | undefined {
  return isObject(status) ? text((status as DocumentMapping).sourceType) : undefined;
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * `.argocd-source-<app>.yaml`, the file Argo CD merges into an Application's source from the app's
 * path: Helm parameters (`{name, value, forcestring: true}`, sorted by name) or Kustomize images
 * (`[name=]registry/repo:tag`). Writes merge with what the file holds and keep its comments.
 */
import { Document, isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import { InvalidTargetError } from '../errors.ts';
import { kustomizeEntryKey, referenceVersion } from '../images/image-reference.ts';
import type { ImageRegistration } from '../registration/registration-images.ts';
import { compareByteOrder } from '../tags/byte-order.ts';
import { findDuplicateKey } from './find-duplicate-key.ts';
import { stringNode } from './yaml-scalar.ts';

export function argoCdSourceFileName(appName: string): string {
  return `.argocd-source-${appName}.yaml`;
}

/** An image and the version text to write for it. */
export interface VersionWrite {
  readonly image: ImageRegistration;
  readonly version: string;
}

const STRINGIFY = { indent: 2, indentSeq: false, lineWidth: 0 } as const;

/** What the file holds now for the image (a tag, or tag@digest), or undefined when nothing. */
export function readArgoCdSourceVersion(
  text: string | undefined,
  image: ImageRegistration,
  path: string,
): string | undefined {
  if (text === undefined) return undefined;
  return readSourceVersion(toJS(parsedForRead(text, path), path), image);
}

/**
 * What an Argo CD source's overrides hold for the image (a tag, or tag@digest), or undefined: the
 * shape of both a `.argocd-source-<app>.yaml` file and an Application's `spec.source`, read as
 * untrusted JSON (anything not of the expected shape holds nothing).
 */
export function readSourceVersion(source: unknown, image: ImageRegistration): string | undefined {
  const overrides = source as { helm?: { parameters?: unknown }; kustomize?: { images?: unknown } } | null;
  if (image.kustomize) {
    const images = Array.isArray(overrides?.kustomize?.images) ? overrides.kustomize.images : [];
    const entry = images.find(
      (item): item is string =>
        typeof item === 'string' && kustomizeEntryKey(item) === image.kustomize?.imageName,
    );
    return entry === undefined ? undefined : referenceVersion(entry.slice(entry.indexOf('=') + 1));
  }
  const parameters = Array.isArray(overrides?.helm?.parameters) ? overrides.helm.parameters : [];
  const value = (name: string) => {
    const found = parameters.find((p) => typeof p === 'object' && p !== null && p.name === name);
    return found && found.value !== undefined && found.value !== null ? String(found.value) : undefined;
  };
  if ('imageSpec' in image.helm) {
    const spec = value(image.helm.imageSpec);
    return spec?.startsWith(`${image.imageName}:`) || spec?.startsWith(`${image.imageName}@`)
      ? referenceVersion(spec)
      : undefined;
  }
  return value(image.helm.imageTag);
}

/** The file's new text with the versions written; other parameters and images are kept. */
export function renderArgoCdSourceFile(
  text: string | undefined,
  writes: readonly VersionWrite[],
  path: string,
): string {
  const document = text === undefined || text.trim() === '' ? new Document({}) : parsedForRender(text, path);
  // A file of comments only: give it a mapping built by the document, so it knows the schema.
  if (!isMap(document.contents)) document.contents = document.createNode({});
  for (const write of writes) {
    if (write.image.kustomize) setKustomizeImage(document, write);
    else for (const [name, value] of helmParameters(write)) setHelmParameter(document, name, value);
  }
  const parameters = document.getIn(['helm', 'parameters']);
  if (isSeq(parameters))
    parameters.items.sort((a, b) => compareByteOrder(parameterName(a), parameterName(b)));
  return document.toString(STRINGIFY);
}

/**
 * The last file read, parsed and untouched: a write-back reads a file's versions and then renders its
 * new text from the same text, so the render takes the document the read parsed instead of parsing the
 * file again. Reading only looks (checks, toJS); the render that takes it edits it, so it is taken once.
 */
let readDocument: { readonly text: string; readonly document: Document } | undefined;

function parsedForRead(text: string, path: string): Document {
  if (readDocument?.text === text) return readDocument.document;
  const document = parse(text, path);
  readDocument = { text, document };
  return document;
}

function parsedForRender(text: string, path: string): Document {
  const kept = readDocument;
  readDocument = undefined;
  return kept?.text === text ? kept.document : parse(text, path);
}

function parse(text: string, path: string): Document {
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  const error = document.errors[0];
  if (error) throw new InvalidTargetError(path, `is not valid YAML (${error.message.split('\n')[0]})`);
  const duplicate = findDuplicateKey(document);
  if (duplicate !== undefined)
    throw new InvalidTargetError(path, `is not valid YAML (Map keys must be unique: '${duplicate}' twice)`);
  if (document.contents !== null && !isMap(document.contents))
    throw new InvalidTargetError(path, 'is not a YAML mapping');
  for (const key of ['helm', 'kustomize']) {
    const section = document.get(key);
    if (section !== undefined && section !== null && !isMap(section))
      throw new InvalidTargetError(path, `'${key}' is not a mapping`);
  }
  const parameters = document.getIn(['helm', 'parameters']);
  const images = document.getIn(['kustomize', 'images']);
  if (parameters !== undefined && parameters !== null && !isSeq(parameters))
    throw new InvalidTargetError(path, 'helm.parameters is not a list');
  if (images !== undefined && images !== null && !isSeq(images))
    throw new InvalidTargetError(path, 'kustomize.images is not a list');
  return document;
}

// The yaml package refuses to expand a "billion laughs" of aliases; that is the file's fault, not ours.
function toJS(document: Document, path: string): unknown {
  try {
    return document.toJS();
  } catch (error) {
    throw new InvalidTargetError(path, `cannot be read (${(error as Error).message})`, { cause: error });
  }
}

function helmParameters(write: VersionWrite): Array<[string, string]> {
  const { helm, imageName } = write.image;
  if ('imageSpec' in helm) return [[helm.imageSpec, `${imageName}:${write.version}`]];
  return [
    [helm.imageName, imageName],
    [helm.imageTag, write.version],
  ];
}

function setHelmParameter(document: Document, name: string, value: string): void {
  let parameters = document.getIn(['helm', 'parameters']);
  if (!isSeq(parameters)) {
    parameters = new YAMLSeq();
    document.setIn(['helm', 'parameters'], parameters);
  }
  const seq = parameters as YAMLSeq;
  const existing = seq.items.find((item) => parameterName(item) === name);
  if (isMap(existing)) {
    existing.set('value', stringNode(document, value));
    existing.set('forcestring', true);
  } else {
    const parameter = new YAMLMap();
    parameter.set('name', stringNode(document, name));
    parameter.set('value', stringNode(document, value));
    parameter.set('forcestring', true);
    seq.items.push(parameter);
  }
}

function parameterName(item: unknown): string {
  if (!isMap(item)) return '';
  const name = item.get('name');
  return typeof name === 'string' ? name : '';
}

function setKustomizeImage(document: Document, write: VersionWrite): void {
  const { imageName } = write.image;
  const key = write.image.kustomize!.imageName;
  const entry = key === imageName ? `${imageName}:${write.version}` : `${key}=${imageName}:${write.version}`;
  let images = document.getIn(['kustomize', 'images']);
  if (!isSeq(images)) {
    images = new YAMLSeq();
    document.setIn(['kustomize', 'images'], images);
  }
  const seq = images as YAMLSeq;
  const index = seq.items.findIndex(
    (item) => isScalar(item) && typeof item.value === 'string' && kustomizeEntryKey(item.value) === key,
  );
  if (index === -1) seq.items.push(stringNode(document, entry));
  else seq.items[index] = stringNode(document, entry);
}

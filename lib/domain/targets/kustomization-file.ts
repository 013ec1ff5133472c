/**
 * A kustomization, the `kustomization[:dir]` target: its `images:` edited as
 * `kustomize edit set image <name>=<newName>:<newTag>@<digest>` edits them, so that `kustomize build`
 * deploys the new version, while the rest of the file keeps its bytes (edits go through the CST, see
 * yaml-cst.ts). Unlike the command, which rewrites the whole file with its images sorted by name, the
 * entries keep their order and a new entry is appended.
 *
 * The entry whose `name` is the image's name in the manifests is set as the command sets it: `newName`
 * only when the new name differs from `name`, `newTag` the tag, `digest` the digest when the version
 * carries one (`tag@sha256:...`). Fields the command would not write are removed: a stale `newName` or
 * `digest`, and `tagSuffix`. Fields of a new entry come in the command's order: name, newName, newTag,
 * digest.
 */
import type { CST } from 'yaml';
import { InvalidTargetError } from '../errors.ts';
import type { ImageRegistration } from '../registration/registration-images.ts';
import type { VersionWrite } from './argocd-source-file.ts';
import {
  type CstMap,
  type CstSeq,
  findEntry,
  isInFlow,
  kindOf,
  mapEntries,
  parseYamlCst,
  removeEntry,
  scalarText,
  sequenceItems,
  setEntryScalar,
  type YamlCst,
} from './yaml-cst.ts';
import { appendElement, fillEmptyEntry, insertEntry, type NewYaml } from './yaml-cst-insert.ts';

/** The names kustomize recognizes for a kustomization, in the order it looks for them. */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

const FIELDS = ['name', 'newName', 'newTag', 'digest'] as const;
type Field = (typeof FIELDS)[number];
type KustomizeImage = Partial<Record<Field, string>> & { readonly name: string };

/** What the entry for the image holds: `newTag`, `newTag@digest`, the digest alone, or undefined. */
export function readKustomizationVersion(
  text: string,
  image: ImageRegistration,
  path: string,
): string | undefined {
  const cst = parseYamlCst(text, path);
  const entry = findImage(cst, imageKey(image));
  if (!entry) return undefined;
  const newTag = scalarText(findEntry(entry, 'newTag')?.value);
  const digest = scalarText(findEntry(entry, 'digest')?.value);
  if (newTag !== undefined && digest !== undefined) return `${newTag}@${digest}`;
  return newTag ?? digest;
}

/**
 * The kustomization's new text with each image's entry set. Throws {@link InvalidTargetError} for a
 * file that is not one YAML mapping, `images` that is not a list, or an entry that is not a mapping.
 */
export function renderKustomizationFile(text: string, writes: readonly VersionWrite[], path: string): string {
  let result = text;
  for (const write of writes) {
    const wanted = kustomizeImage(write);
    // One edit at a time, each on a fresh parse; an entry needs at most one edit per field.
    for (let edits = 0; ; edits++) {
      const next = nextEdit(parseYamlCst(result, path), wanted);
      if (next === undefined) break;
      if (edits > FIELDS.length)
        throw new Error(`${path}: the images edit for ${wanted.name} does not settle`);
      result = next;
    }
  }
  return result;
}

// What `set image name=newName:newTag@digest` writes for the version text `tag` or `tag@digest`.
function kustomizeImage({ image, version }: VersionWrite): KustomizeImage {
  const name = imageKey(image);
  const at = version.indexOf('@');
  const newTag = at === -1 ? version : version.slice(0, at);
  return {
    name,
    ...(image.imageName === name ? {} : { newName: image.imageName }),
    ...(newTag === '' ? {} : { newTag }),
    ...(at === -1 ? {} : { digest: version.slice(at + 1) }),
  };
}

function imageKey(image: ImageRegistration): string {
  return image.kustomize?.imageName ?? image.imageName;
}

// The text after the first edit the file still needs for `wanted`, or undefined when it needs none.
function nextEdit(cst: YamlCst, wanted: KustomizeImage): string | undefined {
  const fresh: NewYaml = { map: FIELDS.flatMap((f) => (wanted[f] === undefined ? [] : [[f, wanted[f]]])) };
  const images = cst.root ? findEntry(cst.root, 'images') : undefined;
  if (!images) return insertEntry(cst, cst.root, 'images', { seq: [fresh] });
  const kind = kindOf(images.value);
  if (kind === 'empty') return fillEmptyEntry(cst, images, { seq: [fresh] }, isInFlow(cst, images));
  if (kind !== 'seq') throw new InvalidTargetError(cst.path, "'images' is not a list");
  const entry = findImage(cst, wanted.name);
  if (!entry) return appendElement(cst, images.value as CstSeq, fresh);
  return nextFieldEdit(cst, entry, wanted);
}

function nextFieldEdit(cst: YamlCst, entry: CstMap, wanted: KustomizeImage): string | undefined {
  const stale = findEntry(entry, 'tagSuffix');
  if (stale) return removeEntry(cst, entry, stale);
  for (const [index, field] of FIELDS.entries()) {
    const item = findEntry(entry, field);
    const value = wanted[field];
    if (value === undefined) {
      if (item) return removeEntry(cst, entry, item);
    } else if (!item) {
      return insertEntry(cst, entry, field, value, precedingField(entry, index));
    } else {
      const edited = setEntryScalar(cst, item, value, `images entry ${wanted.name} ${field}`);
      if (edited !== cst.text) return edited;
    }
  }
  return undefined;
}

// A new field goes after the last field that comes before it in kustomize's order, else last.
function precedingField(entry: CstMap, index: number): CST.CollectionItem | undefined {
  for (let i = index - 1; i >= 0; i--) {
    const item = findEntry(entry, FIELDS[i]!);
    if (item) return item;
  }
  return mapEntries(entry).at(-1);
}

function findImage(cst: YamlCst, name: string): CstMap | undefined {
  const images = cst.root ? findEntry(cst.root, 'images') : undefined;
  const kind = kindOf(images?.value);
  if (kind === 'empty') return undefined;
  if (kind !== 'seq') throw new InvalidTargetError(cst.path, "'images' is not a list");
  for (const [index, element] of sequenceItems(images!.value as CstSeq).entries()) {
    if (kindOf(element.value) !== 'map')
      throw new InvalidTargetError(cst.path, `images[${index}] is not a mapping with a name`);
    const entry = element.value as CstMap;
    if (scalarText(findEntry(entry, 'name')?.value) === name) return entry;
  }
  return undefined;
}

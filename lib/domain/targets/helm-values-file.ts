/**
 * A chart's values file, the `helmvalues[:file]` target: the image's Helm keys (`image.tag`,
 * `image.repository`, `a.b[0].c`) set in place, as Argo CD Image Updater's helmvalues write-back does,
 * while every byte the write does not need to change stays: comments, blank lines, indentation, key
 * order and quoting (edits go through the CST, see yaml-cst.ts).
 *
 * A dotted key is looked up as Helm reads `--set`: `a.b.c` is `a: {b: {c: ...}}`, `[i]` indexes a list.
 * A key spelled with dots in the file (`"image.tag": 1.0`) wins over nesting: at each mapping reached,
 * the longest run of the remaining parts that exists as one literal key is taken first. A key that is
 * not there yet is added under its parent, with the parent's missing mappings, at the indentation of
 * its siblings (yaml-cst-insert.ts). A list index that does not exist is refused, never appended.
 */
import type { CST } from 'yaml';
import { InvalidTargetError } from '../errors.ts';
import type { ImageRegistration } from '../registration/registration-images.ts';
import type { VersionWrite } from './argocd-source-file.ts';
import {
  type CstMap,
  type CstSeq,
  findEntry,
  kindOf,
  parseYamlCst,
  scalarText,
  sequenceItems,
  setEntryScalar,
  type YamlCst,
} from './yaml-cst.ts';
import { insertEntry, type NewYaml } from './yaml-cst-insert.ts';

/**
 * What the values file holds now for the image: the text at its tag key (or the version part of its
 * image-spec key); undefined when the key is absent or the file names another image there.
 */
export function readHelmValuesVersion(
  text: string,
  image: ImageRegistration,
  path: string,
): string | undefined {
  const cst = parseYamlCst(text, path);
  if ('imageSpec' in image.helm) {
    const spec = readValue(cst, image.helm.imageSpec);
    if (spec === undefined || !namesImage(referenceName(spec), image)) return undefined;
    return spec.slice(referenceName(spec).length + 1) || undefined;
  }
  const name = readValue(cst, image.helm.imageName);
  if (name !== undefined && !namesImage(name, image)) return undefined;
  return readValue(cst, image.helm.imageTag);
}

/**
 * The values file's new text with each image's version (and name, where it must change) written at its
 * Helm keys. Throws {@link InvalidTargetError} for a file that is not one YAML mapping, and for a key
 * whose parent is a value, an alias or a list without that index.
 */
export function renderHelmValuesFile(text: string, writes: readonly VersionWrite[], path: string): string {
  let result = text;
  for (const write of writes) {
    for (const [key, value] of helmValues(parseYamlCst(result, path), write)) {
      result = setValue(parseYamlCst(result, path), key, value);
    }
  }
  return result;
}

function helmValues(cst: YamlCst, { image, version }: VersionWrite): Array<[string, string]> {
  if ('imageSpec' in image.helm) {
    const held = readValue(cst, image.helm.imageSpec);
    const name = nameToWrite(held === undefined ? undefined : referenceName(held), image);
    return [[image.helm.imageSpec, `${name}:${version}`]];
  }
  return [
    [image.helm.imageName, nameToWrite(readValue(cst, image.helm.imageName), image)],
    [image.helm.imageTag, version],
  ];
}

// The file keeps the form it names the image in, short (the repository) or long (registry/repository);
// the full name replaces another image's name, or goes where there was none.
function nameToWrite(held: string | undefined, image: ImageRegistration): string {
  return held !== undefined && namesImage(held, image) ? held : image.imageName;
}

function namesImage(name: string, image: ImageRegistration): boolean {
  return name === image.imageName || name === image.repository;
}

function readValue(cst: YamlCst, key: string): string | undefined {
  const found = resolve(cst, key);
  return 'item' in found ? scalarText(found.item.value) : undefined;
}

function setValue(cst: YamlCst, key: string, value: string): string {
  const found = resolve(cst, key);
  if ('item' in found) return setEntryScalar(cst, found.item, value, `helm key ${key}`);
  // The missing parents become nested mappings: `a.b.c` under nothing is `a:` / `b:` / `c: value`.
  const [first, ...rest] = found.keys;
  const nested = rest.reduceRight<NewYaml>((inner, name) => ({ map: [[name, inner]] }), value);
  return insertEntry(cst, found.parent, first!, nested);
}

interface Segment {
  readonly name: string;
  readonly indices: readonly number[];
}

type Resolved =
  | { readonly item: CST.CollectionItem }
  | { readonly parent: CstMap | undefined; readonly keys: readonly string[] };

// Walks the key down the file: at each mapping, the longest literal run of parts first.
function resolve(cst: YamlCst, key: string): Resolved {
  const segments = parseKey(key, cst.path);
  const refuse = (problem: string) => new InvalidTargetError(cst.path, `helm key ${key}: ${problem}`);
  let map = cst.root;
  let from = 0;
  while (map) {
    const match = longestLiteral(map, segments, from);
    if (!match) break;
    let item = match.item;
    const segment = segments[match.to]!;
    let at = formatKey([...segments.slice(0, match.to), { name: segment.name, indices: [] }]);
    for (const index of segment.indices) {
      if (kindOf(item.value) !== 'seq') throw refuse(`'${at}' is not a list`);
      const elements = sequenceItems(item.value as CstSeq);
      const element = elements[index];
      if (!element)
        throw refuse(`the list '${at}' has ${elements.length} items, no [${index}]; add it by hand`);
      item = element;
      at += `[${index}]`;
    }
    if (match.to === segments.length - 1) return { item };
    const kind = kindOf(item.value);
    if (kind !== 'map') throw refuse(`'${at}' holds ${describe(kind)}, not a mapping`);
    map = item.value as CstMap;
    from = match.to + 1;
  }
  const missing = segments.slice(from);
  const indexed = missing.find((segment) => segment.indices.length > 0);
  if (indexed) throw refuse(`'${indexed.name}' is not in the file, so it has no [${indexed.indices[0]}]`);
  return { parent: map, keys: missing.map((segment) => segment.name) };
}

function longestLiteral(
  map: CstMap,
  segments: readonly Segment[],
  from: number,
): { item: CST.CollectionItem; to: number } | undefined {
  for (let to = segments.length - 1; to >= from; to--) {
    // A literal key cannot span an index: `a[0].b` is never one key.
    if (segments.slice(from, to).some((segment) => segment.indices.length > 0)) continue;
    const name = segments
      .slice(from, to + 1)
      .map((segment) => segment.name)
      .join('.');
    const item = findEntry(map, name);
    if (item) return { item, to };
  }
  return undefined;
}

function parseKey(key: string, path: string): Segment[] {
  return key.split('.').map((part) => {
    const match = /^(.*?)((?:\[\d+\])*)$/.exec(part)!;
    const name = match[1]!;
    if (name === '') throw new InvalidTargetError(path, `helm key ${key} has an empty part`);
    const indices = [...match[2]!.matchAll(/\[(\d+)\]/g)].map((index) => Number(index[1]));
    return { name, indices };
  });
}

function formatKey(segments: readonly Segment[]): string {
  return segments.map((s) => s.name + s.indices.map((i) => `[${i}]`).join('')).join('.');
}

function describe(kind: ReturnType<typeof kindOf>): string {
  if (kind === 'empty') return 'nothing';
  return kind === 'seq' ? 'a list' : kind === 'alias' ? 'an alias' : 'a value';
}

// The name part of an image reference: before the digest and the tag.
function referenceName(reference: string): string {
  const at = reference.indexOf('@');
  const withoutDigest = at === -1 ? reference : reference.slice(0, at);
  const colon = withoutDigest.lastIndexOf(':');
  return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(0, colon) : withoutDigest;
}

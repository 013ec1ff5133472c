/**
 * The consent of a GitOps repository's owners, written in the repository: `.ecr-image-updater.yaml` at
 * the root or in an app's folder lists the ECR images the updater may write, and where. One platform
 * runs the updater for many teams, so a registration alone must not be enough to write one team's image
 * into another team's path. The file is read strictly: one that is not exactly as documented consents
 * to nothing (fail closed) and says where and why, so that its owners can fix it.
 */

import { isAlias, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { InvalidInputError, quoteInput } from '../errors.ts';
import { ecrRegistryHost, parseEcrRegistry } from '../images/image-spec.ts';
import { suggestField } from '../nearest-name.ts';
import { fieldPath } from '../registration/document-fields.ts';
import { normalizeRepositoryPath } from '../registration/repository-path.ts';
import { compileGlob, type GlobMatcher, GlobSyntaxError } from '../tags/glob.ts';

export const CONSENT_FILE_NAME = '.ecr-image-updater.yaml';

/**
 * What a consent file may hold. A file past them consents to nothing, so that a hostile one costs
 * little: a parse of 64 KiB at most (about 12 ms here) and, at worst, a few ms of glob matching a decision.
 */
export const CONSENT_FILE_LIMITS = {
  bytes: 64 * 1024,
  rules: 100,
  entries: 1_000,
  entryLength: 512,
} as const;

/** One `allow` rule: these images, at these paths (relative to the file's folder), or everywhere under it. */
export interface ConsentRule {
  readonly images: readonly GlobMatcher[];
  /** Each path as its folder names, one glob a name; undefined: everything under the file's folder. */
  readonly paths?: ReadonlyArray<readonly GlobMatcher[]>;
}

/** A consent file as read from one folder ('' is the repository root). */
export type ConsentFile =
  | { readonly kind: 'absent'; readonly folder: string }
  | { readonly kind: 'malformed'; readonly folder: string; readonly problem: string }
  | { readonly kind: 'rules'; readonly folder: string; readonly rules: readonly ConsentRule[] };

const FILE_FIELDS = ['allow'];
const RULE_FIELDS = ['images', 'paths'];
// What a repository glob may hold: an ECR repository's characters (lowercase letters, digits, . _ - /)
// and glob characters; a tag (`:`), a digest (`@`), spaces or upper case would never match anything.
const REPOSITORY_GLOB = /^[a-z0-9._\-/*?[\]^\\]+$/;
const HOST_GLOB = /^[a-z0-9.\-*?[\]^\\]+$/;
const GLOB_CHARACTERS = /[*?[\\]/;

/** Reads the consent file of `folder` (`text` undefined: there is none). Never throws: see {@link ConsentFile}. */
export function parseConsentFile(folder: string, text: string | undefined): ConsentFile {
  if (text === undefined) return { kind: 'absent', folder };
  try {
    return { kind: 'rules', folder, rules: readRules(text) };
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    return { kind: 'malformed', folder, problem: error.message };
  }
}

function readRules(text: string): ConsentRule[] {
  const { bytes, rules: maxRules } = CONSENT_FILE_LIMITS;
  // Every UTF-16 unit is at least one byte of UTF-8: a long text is refused before it is encoded.
  if (text.length > bytes || new TextEncoder().encode(text).length > bytes)
    throw new InvalidInputError(
      'the file',
      `is over ${bytes} bytes`,
      'keep it short: a few rules with globs',
    );
  const lines = new LineCounter();
  // uniqueKeys is off because its check is quadratic; the walk knows every key a mapping may hold.
  // Aliases are never resolved: the walk refuses them, so no alias bomb can expand.
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const [problem] = [...document.errors, ...document.warnings];
  if (problem)
    throw new InvalidInputError(
      `line ${lines.linePos(problem.pos[0]).line}`,
      problem.code === 'MULTIPLE_DOCS'
        ? 'starts a second YAML document'
        : `is not valid YAML (${problem.message})`,
      problem.code === 'MULTIPLE_DOCS' ? 'keep one document: remove the ---' : undefined,
    );
  const root = document.contents;
  if (root === null || (isScalar(root) && root.value === null))
    throw new InvalidInputError('the file', 'is empty', 'write allow: with a list of rules');
  const reader = new StrictReader(lines);
  const allow = reader.mapping(root, '', FILE_FIELDS).get('allow');
  if (allow === undefined)
    throw new InvalidInputError(reader.at(root, 'allow'), 'is required', 'list rules under allow:');
  const rules = reader.list(allow, 'allow');
  if (rules.length > maxRules)
    throw new InvalidInputError(
      reader.at(allow, 'allow'),
      `has ${rules.length} rules, over ${maxRules}`,
      'join rules with globs',
    );
  return rules.map((node, i) => {
    const field = `allow[${i}]`;
    const rule = reader.mapping(node, field, RULE_FIELDS);
    const images = rule.get('images');
    if (images === undefined)
      throw new InvalidInputError(reader.at(node, `${field}.images`), 'is required', LIST_IMAGES);
    const paths = rule.get('paths');
    return {
      images: reader.texts(images, `${field}.images`, LIST_IMAGES).map(imageGlob),
      ...(paths === undefined
        ? {}
        : { paths: reader.texts(paths, `${field}.paths`, LIST_PATHS).map(pathGlob) }),
    };
  });
}

const LIST_IMAGES = 'list the ECR repositories this rule allows';
const LIST_PATHS = 'list paths, or leave paths out to allow everything under this folder';

/** Walks the document's nodes strictly: mappings of known keys, lists and plain text, nothing else. */
class StrictReader {
  private entries = 0;

  constructor(private readonly lines: LineCounter) {}

  /** The field, with the line its node starts on. */
  at(node: unknown, field: string): string {
    const offset = (node as Node | null)?.range?.[0];
    const name = field || 'the file';
    return offset === undefined ? name : `line ${this.lines.linePos(offset).line}, ${name}`;
  }

  mapping(node: unknown, field: string, known: readonly string[]): Map<string, unknown> {
    this.plain(node, field);
    if (!isMap(node))
      throw new InvalidInputError(
        this.at(node, field),
        'expected a mapping',
        `known fields: ${known.join(', ')}`,
      );
    const values = new Map<string, unknown>();
    for (const { key, value } of node.items) {
      this.plain(key, field);
      const name = isScalar(key) ? String(key.value) : 'a key that is not text';
      if (!isScalar(key) || typeof key.value !== 'string' || !known.includes(name))
        throw new InvalidInputError(
          this.at(key, fieldPath(field, name)),
          'unknown field',
          suggestField(name, known),
        );
      if (values.has(name))
        throw new InvalidInputError(this.at(key, fieldPath(field, name)), 'appears twice', 'keep one');
      values.set(name, value);
    }
    return values;
  }

  list(node: unknown, field: string): unknown[] {
    this.plain(node, field);
    if (!isSeq(node)) throw new InvalidInputError(this.at(node, field), 'expected a list');
    return node.items;
  }

  /** A non-empty list of text entries, each with where it is written (line and field). */
  texts(node: unknown, field: string, fix: string): Array<[text: string, where: string]> {
    const items = this.list(node, field);
    if (items.length === 0) throw new InvalidInputError(this.at(node, field), 'is empty', fix);
    return items.map((item, i) => {
      const where = this.at(item, `${field}[${i}]`);
      this.plain(item, `${field}[${i}]`);
      const { entries, entryLength } = CONSENT_FILE_LIMITS;
      if (++this.entries > entries)
        throw new InvalidInputError(where, `is entry ${this.entries}, over ${entries}`, 'use globs');
      if (!isScalar(item) || typeof item.value !== 'string')
        throw new InvalidInputError(where, 'expected text');
      if (item.value.length > entryLength)
        throw new InvalidInputError(where, `${quoteInput(item.value)} is over ${entryLength} characters`);
      return [item.value, where];
    });
  }

  // Tags (`!!binary`, `!include`, `!!python/object`), anchors and aliases are YAML's programming
  // features: a list of names needs none of them, and refusing them leaves nothing to expand or resolve.
  private plain(node: unknown, field: string): void {
    if (isAlias(node) || (node as Node | null)?.anchor !== undefined)
      throw new InvalidInputError(
        this.at(node, field),
        'uses an anchor (&) or alias (*)',
        'write the values out',
      );
    const tag = (node as Node | null)?.tag;
    if (tag !== undefined)
      throw new InvalidInputError(
        this.at(node, field),
        `has the tag ${quoteInput(tag)}`,
        'write plain text, without !tags',
      );
  }
}

// `host/repository`: the host as ecrRegistryHost writes it (the name matched against), or a glob of it.
function imageGlob([text, where]: [string, string]): GlobMatcher {
  const slash = text.indexOf('/');
  const fix =
    'write the full reference without tag, e.g. 123456789012.dkr.ecr.us-west-2.amazonaws.com/flask-app';
  if (slash <= 0 || slash === text.length - 1)
    throw new InvalidInputError(where, `${quoteInput(text)} is not registry/repository`, fix);
  let host = text.slice(0, slash).toLowerCase();
  const repository = text.slice(slash + 1);
  if (!HOST_GLOB.test(host))
    throw new InvalidInputError(where, `${quoteInput(host)} is not an ECR registry host`, fix);
  if (!REPOSITORY_GLOB.test(repository))
    throw new InvalidInputError(
      where,
      `${quoteInput(repository)} is not an ECR repository name (a tag or digest is not written here)`,
      fix,
    );
  if (!GLOB_CHARACTERS.test(host)) {
    const registry = parseEcrRegistry(host);
    if (!registry) throw new InvalidInputError(where, `${quoteInput(host)} is not an ECR registry host`, fix);
    host = ecrRegistryHost(registry);
  }
  return compiled(`${host}/${repository}`, where);
}

// A file or folder relative to the consent file's folder, as one glob per name.
function pathGlob([text, where]: [string, string]): GlobMatcher[] {
  if (text.startsWith('/') || /^[A-Za-z]:/.test(text))
    throw new InvalidInputError(
      where,
      `${quoteInput(text)} is absolute`,
      "name paths relative to this file's folder",
    );
  if (text.split(/[/\\]/).includes('..'))
    throw new InvalidInputError(
      where,
      `${quoteInput(text)} leaves the file's folder`,
      "a consent file speaks for its own folder only: name paths below it, without '..'",
    );
  const path = normalizeRepositoryPath(text, where);
  return path === '' ? [] : path.split('/').map((name) => compiled(name, where));
}

function compiled(pattern: string, where: string): GlobMatcher {
  try {
    return compileGlob(pattern);
  } catch (error) {
    if (error instanceof GlobSyntaxError) throw new InvalidInputError(where, error.message);
    throw error;
  }
}

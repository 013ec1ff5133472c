/**
 * A registration: one Argo CD app, the ECR images it follows and how updates are written back. Every
 * field is validated here, in one place, for the CLI, for `apps import` and for the Lambda that reads
 * the stored document back; a bad field is refused with its path and the fix, and nothing is stored.
 */

import { InvalidInputError, quoteInput } from '../errors.ts';
import { ProblemCollector } from '../problem-collector.ts';
import { type DocumentMapping, expectObject, rejectUnknownKeys, requiredString } from './document-fields.ts';
import { type ImageRegistration, parseImages, watchKey } from './registration-images.ts';
import { parseWriteBack, type WriteBack } from './registration-write-back.ts';

export interface Registration {
  /** The Argo CD Application name: the registration's unique key. */
  readonly name: string;
  readonly images: readonly ImageRegistration[];
  readonly writeBack: WriteBack;
  /** The document as it was given, once valid: what is stored and shown. */
  readonly document: DocumentMapping;
}

// A Kubernetes object name (DNS-1123 subdomain), as Argo CD Applications are named.
const APP_NAME = /^[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?$/;

/**
 * Validates a registration document (parsed YAML or JSON). Every field is read, so that a document with
 * several mistakes is refused with all of them at once.
 */
export function parseRegistration(input: unknown): Registration {
  const document = expectObject(input, '');
  const problems = new ProblemCollector();
  problems.check(() => rejectUnknownKeys(document, '', ['name', 'images', 'writeBack']));
  const name = problems.check(() =>
    validateAppName(
      requiredString(document, 'name', '', 'give the Argo CD Application name, e.g. flask-app'),
    ),
  );
  const images = problems.check(() => parseImages(document.images, 'images'));
  const writeBack = problems.check(() => parseWriteBack(document.writeBack, 'writeBack'));
  problems.throwIfAny();
  return { name: name!, images: images!, writeBack: writeBack!, document };
}

/**
 * An app's name, as registrations have it (the Argo CD Application name, a DNS-1123 subdomain); a name
 * no app can have is refused naming `field` and the rule, so that `history 'bad name!'` is not
 * answered with "nothing recorded".
 */
export function validateAppName(name: string, field = 'name'): string {
  if (!APP_NAME.test(name)) {
    throw new InvalidInputError(
      field,
      `${quoteInput(name)} is not an Argo CD Application name`,
      'use lowercase letters, digits, - and . (at most 253)',
    );
  }
  return name;
}

/** The repository keys (`<account>/<region>/<repository>`) whose pushes concern this app. */
export function watchKeysOf(registration: Registration): string[] {
  return [...new Set(registration.images.map((image) => watchKey(image.registry, image.repository)))];
}

export type { ImageRegistration, WriteBack };
export { watchKey };

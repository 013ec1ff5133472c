import { describe, expect, it } from 'vitest';
import { CONSENT_FILE_LIMITS, parseConsentFile } from '../../../../lib/domain/consent/consent-file.ts';
import {
  consentFilePath,
  consentFolders,
  decideConsent,
} from '../../../../lib/domain/consent/decide-consent.ts';
import { ECR_HOST } from '../../../fixtures/registrations.ts';

const FLASK = `${ECR_HOST}/flask-app`;
const OTHER = `${ECR_HOST}/other-app`;
const TARGET = 'flask-app/.argocd-source-flask.yaml';

/** Consent files by folder ('' the root; undefined: absent), decided for `image` into `target`. */
const decide = (files: Record<string, string | undefined>, image: string, target: string) =>
  decideConsent(
    Object.entries(files).map(([folder, text]) => parseConsentFile(folder, text)),
    image,
    target,
  );
const rule = (images: readonly string[], paths?: readonly string[]) =>
  `allow:\n  - images: ${JSON.stringify(images)}\n${paths ? `    paths: ${JSON.stringify(paths)}\n` : ''}`;

describe('consentFolders', () => {
  it.each([
    ['flask-app', 'flask-app/values.yaml', ['', 'flask-app']],
    ['flask-app', 'flask-app/deep/kustomization.yaml', ['', 'flask-app']],
    ['flask-app', 'other-app/values.yaml', ['']],
    ['flask-app', 'flask-app-2/values.yaml', ['']],
    ['', 'values.yaml', ['']],
  ])('hears the root and the app folder %j for %s only when it holds the target', (app, target, folders) => {
    expect(consentFolders(app, target)).toEqual(folders);
  });

  it('names the consent file of a folder', () => {
    expect(consentFilePath('')).toBe('.ecr-image-updater.yaml');
    expect(consentFilePath('apps/flask')).toBe('apps/flask/.ecr-image-updater.yaml');
  });
});

describe('decideConsent', () => {
  it.each([
    // [files, image, target, consenting file or undefined]
    [{ '': rule([FLASK]) }, FLASK, TARGET, '.ecr-image-updater.yaml'],
    [{ '': rule([FLASK], ['flask-app']) }, FLASK, TARGET, '.ecr-image-updater.yaml'],
    [{ '': rule([FLASK], ['other-app']) }, FLASK, TARGET, undefined],
    [{ '': rule([OTHER]) }, FLASK, TARGET, undefined],
    [{ '': undefined, 'flask-app': rule([FLASK]) }, FLASK, TARGET, 'flask-app/.ecr-image-updater.yaml'],
    [{ '': rule([OTHER]), 'flask-app': rule([FLASK]) }, FLASK, TARGET, 'flask-app/.ecr-image-updater.yaml'],
    [{ '': rule([FLASK]), 'flask-app': 'allow: [' }, FLASK, TARGET, '.ecr-image-updater.yaml'],
    [{ '': 'allow: [', 'flask-app': rule([FLASK]) }, FLASK, TARGET, 'flask-app/.ecr-image-updater.yaml'],
    [
      { 'flask-app': rule([FLASK], ['.argocd-source-*.yaml']) },
      FLASK,
      TARGET,
      'flask-app/.ecr-image-updater.yaml',
    ],
    // The app folder's file names paths relative to its folder, not to the root.
    [{ 'flask-app': rule([FLASK], ['flask-app']) }, FLASK, TARGET, undefined],
    [{ '': 'allow: []\n', 'flask-app': undefined }, FLASK, TARGET, undefined],
  ])('decides %j for %s into %s: %s', (files, image, target, file) => {
    const consent = decide(files, image, target);
    expect(consent).toEqual(
      file ? { kind: 'consented', file } : expect.objectContaining({ kind: 'refused' }),
    );
  });

  it("never lets an app folder's file speak for another folder", () => {
    // The registrant names flask-app as its path, whose owners allow its image there, and a values file of
    // other-app as its target: the flask-app file is not heard for other-app, with or without globs.
    for (const paths of [undefined, ['*'], ['*/*'], ['.']]) {
      expect(decide({ 'flask-app': rule([FLASK], paths) }, FLASK, 'other-app/values.yaml').kind).toBe(
        'refused',
      );
    }
    expect(decide({ 'flask-app': rule([FLASK]) }, FLASK, 'flask-app-2/values.yaml').kind).toBe('refused');
  });

  it('never writes a consent file, even where every image is allowed', () => {
    for (const target of ['.ecr-image-updater.yaml', 'flask-app/.ecr-image-updater.yaml']) {
      expect(decide({ '': rule(['*/*']), 'flask-app': rule(['*/*']) }, FLASK, target)).toEqual({
        kind: 'refused',
        reason: `${target} is a consent file of the repository's owners: ecr-image-updater never writes one`,
      });
    }
  });

  it('says which files it heard, for which image and file, and how the owners consent', () => {
    expect(decide({ '': undefined, 'flask-app': undefined }, FLASK, TARGET)).toEqual({
      kind: 'refused',
      reason:
        `no .ecr-image-updater.yaml at the repository root or in flask-app/ allows ${FLASK} to write ${TARGET}; ` +
        `the repository's owners consent with a rule in one of them (docs/write-back.md, "Consent of the repository's owners")`,
    });
    expect(decide({ '': undefined, 'flask-app': undefined }, FLASK, 'values.yaml')).toMatchObject({
      reason: expect.stringMatching(/^no .ecr-image-updater.yaml at the repository root allows /),
    });
  });

  it('says which file is malformed, where and why', () => {
    const consent = decide(
      { '': undefined, 'flask-app': `allow:\n  - images: [${FLASK}]\n    paths: [../other-app]\n` },
      FLASK,
      TARGET,
    );
    expect(consent.kind === 'refused' && consent.reason.split('; ')).toEqual([
      `no .ecr-image-updater.yaml at the repository root or in flask-app/ allows ${FLASK} to write ${TARGET}`,
      "flask-app/.ecr-image-updater.yaml is malformed and consents to nothing: line 3, allow[0].paths[0]: '../other-app' leaves the file's folder",
      "a consent file speaks for its own folder only: name paths below it, without '..'",
      expect.stringContaining("the repository's owners consent"),
    ]);
  });

  it('decides quickly on a file at its limits built to make globs backtrack', () => {
    const { bytes, entryLength } = CONSENT_FILE_LIMITS;
    const glob = `${ECR_HOST}/${'*a'.repeat((entryLength - ECR_HOST.length) / 2 - 2)}*b`;
    // As many of the longest entries as the size limit lets in (the entry limit is not reached first).
    const count = Math.floor((bytes - 100) / (glob.length + 3));
    const text = `allow:\n  - images: ${JSON.stringify(Array(count).fill(glob))}\n`;
    const file = parseConsentFile('', text);
    expect(file.kind).toBe('rules');
    const image = `${ECR_HOST}/${'a'.repeat(250)}`;
    const started = performance.now();
    expect(decideConsent([file], image, 'values.yaml').kind).toBe('refused');
    // About 3 ms here (2 cores); the bound only catches a matcher gone exponential.
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

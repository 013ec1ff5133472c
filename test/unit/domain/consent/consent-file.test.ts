import { describe, expect, it } from 'vitest';
import {
  CONSENT_FILE_LIMITS,
  CONSENT_FILE_NAME,
  parseConsentFile,
} from '../../../../lib/domain/consent/consent-file.ts';
import { decideConsent } from '../../../../lib/domain/consent/decide-consent.ts';
import { ECR_HOST } from '../../../fixtures/registrations.ts';

const FLASK = `${ECR_HOST}/flask-app`;

/** The documented example, as an owner would write it. */
const EXAMPLE = `# Which ECR images ecr-image-updater may write, and where (read by the platform's updater)
allow:
  - images:          # ECR repositories as full references, without tag; globs with * (does not cross /)
      - ${ECR_HOST}/flask-app
      - ${ECR_HOST}/team-a/*
    paths:           # files or folders, relative to this file's folder; omitted: everything under it
      - flask-app
`;

/** Whether the root file `text` lets `image` be written into `target`. */
const allows = (text: string, image: string, target: string) =>
  decideConsent([parseConsentFile('', text)], image, target).kind === 'consented';

/** What is wrong with the root file `text`, as the owners read it. */
const problemOf = (text: string) => {
  const file = parseConsentFile('', text);
  return file.kind === 'malformed' ? file.problem : `not malformed: ${file.kind}`;
};

describe('parseConsentFile', () => {
  it('reads the documented example', () => {
    const file = parseConsentFile('', EXAMPLE);
    expect(file.kind).toBe('rules');
    expect(allows(EXAMPLE, FLASK, 'flask-app/.argocd-source-flask-app.yaml')).toBe(true);
    expect(allows(EXAMPLE, `${ECR_HOST}/team-a/api`, 'flask-app/values.yaml')).toBe(true);
  });

  it('answers absent for a file that is not there', () => {
    expect(parseConsentFile('apps', undefined)).toEqual({ kind: 'absent', folder: 'apps' });
  });

  it.each([
    // [image, target, allowed]: the example's rules
    [FLASK, 'flask-app/values.yaml', true],
    [FLASK, 'flask-app/deep/er/kustomization.yaml', true],
    [FLASK, 'flask-app', true],
    [FLASK, 'flask-app-2/values.yaml', false],
    [FLASK, 'other/flask-app/values.yaml', false],
    [FLASK, 'values.yaml', false],
    [`${ECR_HOST}/flask-app-2`, 'flask-app/values.yaml', false],
    [`${ECR_HOST}/team-a/api`, 'flask-app/values.yaml', true],
    [`${ECR_HOST}/team-a/api/v2`, 'flask-app/values.yaml', false],
    [`${ECR_HOST}/team-b/api`, 'flask-app/values.yaml', false],
    ['999999999999.dkr.ecr.us-west-2.amazonaws.com/flask-app', 'flask-app/values.yaml', false],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/flask-app', 'flask-app/values.yaml', false],
  ])('allows %s into %s: %s', (image, target, allowed) => {
    expect(allows(EXAMPLE, image, target)).toBe(allowed);
  });

  it.each([
    ['123456789012.dkr.ecr-fips.us-west-2.amazonaws.com/flask-app', 'a FIPS host'],
    ['123456789012.dkr-ecr.us-west-2.on.aws/flask-app', 'a dual-stack host'],
    ['123456789012.DKR.ECR.US-WEST-2.AMAZONAWS.COM/flask-app', 'an upper-case host'],
  ])('reads %s (%s) as the registry it names', (entry) => {
    const text = `allow:\n  - images: [${entry}]\n`;
    expect(allows(text, FLASK, 'flask-app/values.yaml')).toBe(true);
  });

  it('matches a glob of the host against the canonical host', () => {
    const text = 'allow:\n  - images: ["*.dkr.ecr.us-west-2.amazonaws.com/flask-app"]\n';
    expect(allows(text, FLASK, 'x.yaml')).toBe(true);
    expect(allows(text, '123456789012.dkr.ecr.eu-west-1.amazonaws.com/flask-app', 'x.yaml')).toBe(false);
  });

  it.each([
    ['flask-app/values.yaml', 'flask-app/values.yaml', true],
    ['flask-app/values.yaml', 'flask-app/values-prod.yaml', false],
    ['*/values.yaml', 'any/values.yaml', true],
    ['*/values.yaml', 'any/deeper/values.yaml', false],
    ['apps/*', 'apps/flask/kustomization.yaml', true],
    ['apps/*', 'apps', false],
    ['./apps//flask/', 'apps/flask/values.yaml', true],
    ['.', 'anything/at/all.yaml', true],
    ['flask-app/.argocd-source-*.yaml', 'flask-app/.argocd-source-flask-app.yaml', true],
    ['flask-app/.argocd-source-*.yaml', 'flask-app/values.yaml', false],
  ])('reads the path %j as covering %s: %s', (path, target, covered) => {
    const text = `allow:\n  - images: [${FLASK}]\n    paths: [${JSON.stringify(path)}]\n`;
    expect(allows(text, FLASK, target)).toBe(covered);
  });

  it('reads an empty allow list as consenting to nothing', () => {
    expect(parseConsentFile('', 'allow: []\n')).toEqual({ kind: 'rules', folder: '', rules: [] });
  });

  it.each([
    // Which file is wrong is said by the caller; the problem says where (line, field) and why.
    ['', 'the file: is empty; write allow: with a list of rules'],
    ['# nothing yet\n', 'the file: is empty'],
    ['- a\n- b\n', 'line 1, the file: expected a mapping; known fields: allow'],
    ['alow: []\n', "line 1, alow: unknown field; did you mean 'allow'?"],
    ['allow: []\nowner: team-a\n', 'line 2, owner: unknown field'],
    ['allow: []\nallow: []\n', 'line 2, allow: appears twice'],
    ['version: 1\n', 'line 1, version: unknown field'],
    ['1: x\n', 'line 1, 1: unknown field'],
    ['allow:\n  images: [a/b]\n', 'line 2, allow: expected a list'],
    ['allow:\n  - paths: [x]\n', 'line 2, allow[0].images: is required'],
    ['allow:\n  - images: []\n', 'line 2, allow[0].images: is empty; list the ECR repositories'],
    ['allow:\n  - images:\n', 'line 2, allow[0].images: expected a list'],
    [
      `allow:\n  - images: [${FLASK}]\n    paths: []\n`,
      'line 3, allow[0].paths: is empty; list paths, or leave',
    ],
    [
      `allow:\n  - images: [${FLASK}]\n    path: [x]\n`,
      "line 3, allow[0].path: unknown field; did you mean 'paths'?",
    ],
    [`allow:\n  - images: [${FLASK}]\n    paths: x\n`, 'line 3, allow[0].paths: expected a list'],
    ['allow:\n  - images: [123]\n', 'line 2, allow[0].images[0]: expected text'],
    ['allow:\n  - images: [{a: b}]\n', 'line 2, allow[0].images[0]: expected text'],
    ['allow:\n  - images: [flask-app]\n', "'flask-app' is not registry/repository"],
    ['allow:\n  - images: [docker.io/library/nginx]\n', "'docker.io' is not an ECR registry host"],
    [
      `allow:\n  - images: ["${FLASK}:1.0"]\n`,
      "'flask-app:1.0' is not an ECR repository name (a tag or digest",
    ],
    [`allow:\n  - images: ["${FLASK}@sha256:abc"]\n`, 'is not an ECR repository name'],
    [`allow:\n  - images: ["${ECR_HOST}/Flask-App"]\n`, 'is not an ECR repository name'],
    [
      `allow:\n  - images: ["${ECR_HOST}/[a"]\n`,
      "line 2, allow[0].images[0]: '123456789012.dkr.ecr.us-west-2.amazonaws.com/[a' is not a valid glob",
    ],
    ['allow:\n  - images: [a/b\n', 'line 3: is not valid YAML'],
    [
      'allow: []\n---\nallow: []\n',
      'line 2: starts a second YAML document; keep one document: remove the ---',
    ],
    ['allow: [\n', 'is not valid YAML'],
  ])('refuses %j: %s', (text, problem) => {
    expect(problemOf(text)).toContain(problem);
  });

  describe('refuses hostile files', () => {
    it.each([
      ['../other', "'../other' leaves the file's folder; a consent file speaks for its own folder only"],
      ['flask-app/../../other', 'leaves the file'],
      ['..\\other', 'leaves the file'],
      ['/etc', "'/etc' is absolute; name paths relative to this file's folder"],
      ['C:/x', 'is absolute'],
      ['%2e%2e/other', 'percent-encoded'],
      ['a\\b', 'backslash'],
    ])('a path %j: %s', (path, problem) => {
      expect(problemOf(`allow:\n  - images: [${FLASK}]\n    paths: [${JSON.stringify(path)}]\n`)).toContain(
        `line 3, allow[0].paths[0]: `,
      );
      expect(problemOf(`allow:\n  - images: [${FLASK}]\n    paths: [${JSON.stringify(path)}]\n`)).toContain(
        problem,
      );
    });

    it('a file over the size limit, whatever it holds', () => {
      const big = `allow: []\n${'# padding\n'.repeat(CONSENT_FILE_LIMITS.bytes / 10)}`;
      expect(problemOf(big)).toBe('the file: is over 65536 bytes; keep it short: a few rules with globs');
      // Counted in bytes: a short text of wide characters is over the limit too.
      expect(problemOf(`allow: []\n# ${'é'.repeat(CONSENT_FILE_LIMITS.bytes / 2)}\n`)).toContain('is over');
    });

    it('more rules or entries than the limits', () => {
      const rule = `  - images: [${FLASK}]\n`;
      expect(problemOf(`allow:\n${rule.repeat(CONSENT_FILE_LIMITS.rules + 1)}`)).toBe(
        'line 2, allow: has 101 rules, over 100; join rules with globs',
      );
      const entries = Array.from({ length: CONSENT_FILE_LIMITS.entries + 1 }, () => FLASK).join(', ');
      expect(problemOf(`allow:\n  - images: [${entries}]\n`)).toContain(
        'allow[0].images[1000]: is entry 1001, over 1000; use globs',
      );
      expect(problemOf(`allow:\n  - images: ["${ECR_HOST}/${'a'.repeat(600)}"]\n`)).toContain(
        'is over 512 characters',
      );
    });

    it('an alias bomb, without expanding it', () => {
      // Nine levels of nine aliases: 9^9 (387 million) entries once expanded.
      const levels = Array.from({ length: 9 }, (_, i) =>
        i === 0
          ? '  - images: &a0 [x, x, x, x, x, x, x, x, x]'
          : `  - images: &a${i} [${Array(9)
              .fill(`*a${i - 1}`)
              .join(', ')}]`,
      );
      const started = performance.now();
      expect(problemOf(`allow:\n${levels.join('\n')}\n  - images: *a8\n`)).toBe(
        'line 2, allow[0].images: uses an anchor (&) or alias (*); write the values out',
      );
      expect(performance.now() - started).toBeLessThan(1_000);
    });

    it.each([
      [`allow: &rules\n  - images: [${FLASK}]\n`, 'line 2, allow: uses an anchor'],
      [`allow:\n  - images: [${FLASK}]\n    paths: *img\n`, 'line 3, allow[0].paths: uses an anchor'],
      [`allow:\n  - images: [&img ${FLASK}]\n`, 'line 2, allow[0].images[0]: uses an anchor'],
    ])('anchors and aliases anywhere: %j', (text, problem) => {
      expect(problemOf(text)).toContain(problem);
    });

    it.each([
      ['allow:\n  - images: !!python/object/apply:os.system ["id"]\n', 'is not valid YAML (Unresolved tag'],
      ['allow: !include other.yaml\n', 'Unresolved tag: !include'],
      [
        'allow:\n  - images: !!binary aGVsbG8=\n',
        "line 2, allow[0].images: has the tag 'tag:yaml.org,2002:binary'",
      ],
      [`allow:\n  - images: [!!str ${FLASK}]\n`, 'has the tag'],
      ['!!map\nallow: []\n', 'line 2, the file: has the tag'],
    ])('a YAML tag: %j', (text, problem) => {
      expect(problemOf(text)).toContain(problem);
    });

    it('an entry that smuggles YAML or a newline into a reference', () => {
      // A quoted scalar stays one value: it names no repository, and adds no rule.
      expect(problemOf(`allow:\n  - images: ["${FLASK}\\n  - images: ['*/*']"]\n`)).toContain(
        'is not an ECR repository name',
      );
      expect(problemOf(`allow:\n  - images: ["${FLASK} # ok"]\n`)).toContain('is not an ECR repository name');
    });

    it('quotes what it repeats, short and on one line', () => {
      const problem = problemOf(`allow:\n  - images: ["${'x'.repeat(200)}\\n/a"]\n`);
      expect(problem).not.toContain('\n');
      expect(problem.length).toBeLessThan(400);
    });
  });

  it('names the consent file as the owners write it', () => {
    expect(CONSENT_FILE_NAME).toBe('.ecr-image-updater.yaml');
  });
});

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { registrationsFromApplications } from '../../lib/domain/migration/registrations-from-applications.ts';
import { registrationsFromManifests } from '../../lib/domain/migration/registrations-from-image-updaters.ts';
import { parseRegistration } from '../../lib/domain/registration/registration.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

const examples = readdirSync(join(ROOT, 'examples')).filter((name) => /\.ya?ml$/.test(name));
const pages = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
  ...readdirSync(join(ROOT, 'docs', 'adr')).map((name) => `docs/adr/${name}`),
];

describe('examples/', () => {
  it.each(examples)('%s opens with a comment that says what it shows', (name) => {
    expect(read(`examples/${name}`)).toMatch(/^# \S/);
  });

  it.each(examples)('%s registers as it is (or imports, for an Application)', (name) => {
    const documents = parseAllDocuments(read(`examples/${name}`)).map((document) => document.toJS());
    if (documents.some((document) => (document as { kind?: unknown }).kind === 'ImageUpdater')) {
      expect(registrationsFromManifests(documents, { account: '123456789012' }).applications).not.toEqual([]);
      return;
    }
    for (const document of documents) {
      if ((document as { kind?: unknown }).kind === 'Application')
        expect(
          registrationsFromApplications([document], { account: '123456789012' }).applications,
        ).toHaveLength(1);
      else expect(parseRegistration(document).name).toMatch(/^[a-z]/);
    }
  });

  it('gives each app its own name, so that trying one example never replaces another', () => {
    const documents = examples.flatMap((name) =>
      parseAllDocuments(read(`examples/${name}`)).map(
        (document) => document.toJS() as { kind?: string; name?: string; metadata?: { name?: string } },
      ),
    );
    const applications = documents.filter((d) => d.kind === 'Application').map((d) => d.metadata?.name);
    const registrations = documents.filter((d) => d.kind === undefined).map((d) => parseRegistration(d));
    // An argocd registration is the registration of the Application it patches: one app, two spellings.
    const apps = [
      ...applications,
      ...registrations.filter((r) => r.writeBack.method === 'git').map((r) => r.name),
    ];
    expect(apps.filter((name, index) => apps.indexOf(name) !== index)).toEqual([]);
    const patched = registrations.filter((r) => r.writeBack.method === 'argocd').map((r) => r.name);
    expect(patched.filter((name) => !applications.includes(name))).toEqual([]);
  });

  it('holds a registration for every write-back target', () => {
    const writeBacks = examples
      .flatMap((name) => parseAllDocuments(read(`examples/${name}`)).map((document) => document.toJS()))
      .filter((document) => (document as { kind?: unknown }).kind === undefined)
      .map((document) => parseRegistration(document).writeBack);
    const kinds = new Set(
      writeBacks.flatMap((w) =>
        w.method === 'argocd' ? ['argocd'] : [w.target.kind, ...(w.pullRequest ? ['pull-request'] : [])],
      ),
    );
    expect([...kinds].sort()).toEqual(
      ['argocd', 'argocd-source', 'helmvalues', 'kustomization', 'pull-request'].sort(),
    );
  });
});

describe('README.md and docs/', () => {
  it('keeps the two quick-start commands in the README', () => {
    const readme = read('README.md');
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
  });

  // GitHub's heading anchors: lowercase, punctuation dropped, spaces as hyphens.
  const anchorsOf = (path: string) =>
    new Set(
      [
        ...read(path)
          .replace(/```[\s\S]*?```/g, '')
          .matchAll(/^#+ (.*)$/gm),
      ].map((m) =>
        m[1]!
          .trim()
          .toLowerCase()
          .replace(/[^\w\- ]/g, '')
          .replaceAll(' ', '-'),
      ),
    );

  it.each(pages)('%s links only to files and headings that exist', (page) => {
    const broken = [...read(page).matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1]!)
      .filter((link) => !/^[a-z]+:/.test(link))
      .filter((link) => {
        const [path, anchor] = link.split('#') as [string, string | undefined];
        const target = path === '' ? page : normalize(join(dirname(page), path));
        if (!existsSync(join(ROOT, target))) return true;
        return anchor !== undefined && target.endsWith('.md') && !anchorsOf(target).has(anchor);
      });
    expect(broken).toEqual([]);
  });
});

describe('.gitignore', () => {
  // Files a page or the CLI tells a user to make in their clone: local up's env file and data folder
  // (a name with a dot or a slash, so that prose like '--env-file is accepted' is not taken for one).
  const sourcesOf = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? sourcesOf(join(dir, entry.name))
        : entry.name.endsWith('.ts')
          ? [join(dir, entry.name)]
          : [],
    );
  const texts = [...pages, ...sourcesOf('local/src'), ...sourcesOf('cli')].map(read);
  const made = new Set(
    texts.flatMap((text) =>
      [...text.matchAll(/--(?:env-out|env-file|data-dir) ([.\w][\w-]*[./][\w./-]*)/g)].map((m) =>
        m[1]!.replace(/\/$/, ''),
      ),
    ),
  );
  const ignored = read('.gitignore')
    .split('\n')
    .map((line) => line.trim().replace(/^\//, '').replace(/\/$/, ''));

  it('ignores every file the docs and the CLI tell a user to make in the clone', () => {
    expect([...made].length).toBeGreaterThan(0);
    expect([...made].filter((name) => !ignored.includes(name))).toEqual([]);
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStack } from '@ecr-image-updater/local/local-stack';
import { CONSENT_FILE_NAME } from 'ecr-image-updater/lib/domain/consent/consent-file';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { parseRegistration } from '../../lib/domain/registration/registration.ts';
import { application, HOST, KUSTOMIZE_SOURCE } from '../fixtures/argocd/applications.ts';
import { runCli } from '../support/run-cli.ts';

const SEED = new URL('../fixtures/argocd/seed-application.yaml', import.meta.url).pathname;
const IMAGE_LIST = 'metadata.annotations.argocd-image-updater.argoproj.io/image-list';

let stack: LocalStack;
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'apps-import-'));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const apps = (...args: string[]) => runCli(['apps', ...args], '', env);

beforeAll(async () => {
  stack = await LocalStack.start();
  env = stack.env();
});
afterAll(async () => {
  await stack.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ecr-image-updater apps import', () => {
  it("prints the seed's registration as YAML with --dry-run, and its warnings on stderr", async () => {
    const result = await apps('import', SEED, '--account', '123456789012', '--dry-run');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^# flask-app: valid; would be registered as revision 1; not stored \(--dry-run\)\n/,
    );
    const document = parse(result.stdout);
    expect(document).toEqual({
      name: 'flask-app',
      images: [{ image: `${HOST}/flask-app:~1.0`, strategy: 'newest-build' }],
      writeBack: { method: 'argocd', argocd: { project: 'default', appNamespace: 'argocd' } },
    });
    expect(() => parseRegistration(document)).not.toThrow();
    expect(result.stderr).toBe(
      '  warning: flask-app: spec.source: the manifest does not say whether flask-app is Helm or Kustomize (Argo CD decides from the files at its path); imported as Helm: if it is Kustomize, give each image kustomize: {}\n',
    );
    expect((await apps('show', 'flask-app')).code).toBe(1);
  });

  it('registers a git write-back manifest read from standard input, which apps show then shows', async () => {
    const manifest = application({
      'image-list': `web=${HOST}/web:~2.0`,
      'web.helm.image-name': 'image.repository',
      'web.helm.image-tag': 'image.tag',
      'write-back-method': 'git:secret:argocd/git-creds',
      'web.pull-secret': 'pullsecret:argocd/ecr',
    });
    const result = await runCli(['apps', 'import', '-'], stringify(manifest), env);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      `registered web (revision 1): follows ${HOST}/web (semver ~2.0); writes acme/gitops@main:apps/web/.argocd-source-web.yaml\n`,
    );
    expect(result.stderr).toContain(
      '  warning: web: argocd-image-updater.argoproj.io/web.pull-secret: not mapped: ECR is read with the updater',
    );
    expect(result.stderr).toContain('the Kubernetes secret argocd/git-creds cannot be read by the updater');
    const shown = await apps('show', 'web');
    expect(shown.code).toBe(0);
    expect(shown.stdout.split('\n')[1]).toMatch(
      /^# revision 1, registered by arn:aws:iam::123456789012:user\/local-developer at \S+Z$/,
    );
    expect(parse(shown.stdout)).toEqual({
      name: 'web',
      images: [
        {
          alias: 'web',
          image: `${HOST}/web:~2.0`,
          helm: { imageName: 'image.repository', imageTag: 'image.tag' },
        },
      ],
      writeBack: { method: 'git', git: { repo: 'acme/gitops', path: 'apps/web', branch: 'main' } },
    });
  });

  it('says what it changed when an Application replaces an app of the same name', async () => {
    const git = {
      name: 'web-app',
      images: [{ image: `${HOST}/web:~2.0` }],
      writeBack: { method: 'git', git: { repo: 'acme/gitops', path: 'apps/web' } },
    };
    expect((await runCli(['apps', 'register', '-f', '-'], stringify(git), env)).code).toBe(0);
    const manifest = application({ 'image-list': `${HOST}/web:~2.0`, 'write-back-method': 'argocd' });
    manifest.metadata.name = 'web-app';
    const result = await runCli(['apps', 'import', '-', '--json'], stringify(manifest), env);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).apps[0]).toMatchObject({
      name: 'web-app',
      revision: 2,
      registeredBy: 'arn:aws:iam::123456789012:user/local-developer',
      replaced: { revision: 1, changes: ['writeBack git -> argocd'] },
    });
    const again = await runCli(['apps', 'import', '-'], stringify(manifest), env);
    expect(again.stdout).toBe('replaced web-app (revision 2 -> 3): no field changed\n');
  });

  // The edge cases of Argo CD Image Updater's own tests (pkg/argocd/annotations_test.go): spaces around
  // '=', an empty alias, and an alias that names an image with a registry port.
  it('reads spaced entries, an empty alias and an alias with a registry port as Argo CD Image Updater v1.3 does', async () => {
    const manifest = application(
      {
        'image-list': `  web = ${HOST}/nginx:1.21  ,  =${HOST}/api:~2  , registry.example:5000/team/old=${HOST}/worker:0.2`,
        'write-back-method': 'argocd',
      },
      { source: KUSTOMIZE_SOURCE },
    );
    manifest.metadata.name = 'spaced';
    const result = await runCli(['apps', 'import', '-', '--dry-run'], stringify(manifest), env);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(parse(result.stdout).images).toEqual([
      { alias: 'web', image: `${HOST}/nginx:1.21`, kustomize: {} },
      { image: `${HOST}/api:~2`, kustomize: {} },
      { alias: 'registry.example:5000/team/old', image: `${HOST}/worker:0.2`, kustomize: {} },
    ]);
  });

  it('imports an app the anchor would skip paused, and says why', async () => {
    const manifest = application({ 'image-list': `web=${HOST}/web:~2.0`, 'web.force-update': 'yes' });
    manifest.metadata.name = 'skipped';
    const result = await runCli(['apps', 'import', '-', '--dry-run'], stringify(manifest), env);
    expect(result.code).toBe(0);
    expect(parse(result.stdout).images).toEqual([
      { alias: 'web', image: `${HOST}/web:~2.0`, ignoreTags: ['*'] },
    ]);
    expect(result.stderr).toContain(
      "warning: skipped: argocd-image-updater.argoproj.io/web.force-update: 'yes' is not true or false; Argo CD Image Updater v1.3 then skips the whole app, so every image is imported paused",
    );
  });

  it('writes the parameter file at a plain write-back-target path when an image is pushed', async () => {
    await stack.github.createRepository('acme', 'params-gitops', {
      files: {
        [CONSENT_FILE_NAME]: `allow:\n  - images: [${HOST}/params-web]\n`,
        'apps/web/kustomization.yaml': 'images: []\n',
      },
    });
    const manifest = application(
      {
        'image-list': `web=${HOST}/params-web:~1.0`,
        'write-back-method': 'git',
        'write-back-target': 'deploy/web-params.yaml',
      },
      { source: { ...KUSTOMIZE_SOURCE, repoURL: 'https://github.com/acme/params-gitops.git' } },
    );
    manifest.metadata.name = 'params-web';
    const imported = await runCli(['apps', 'import', '-'], stringify(manifest), env);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('writes acme/params-gitops@main:deploy/web-params.yaml');
    expect(imported.stderr).toContain(
      'Argo CD itself reads only .argocd-source.yaml and .argocd-source-params-web.yaml',
    );

    expect((await runCli(['local', 'push', 'params-web:1.0.3'], '', env)).code).toBe(0);
    const written = await stack.github.readFile('acme', 'params-gitops', 'main', 'deploy/web-params.yaml');
    expect(parse(written ?? '')).toEqual({
      kustomize: { images: [`${HOST}/params-web:1.0.3`] },
    });
    expect(
      await stack.github.readFile('acme', 'params-gitops', 'main', 'apps/web/.argocd-source-params-web.yaml'),
    ).toBeUndefined();
  });

  it('writes back to a plain git host through --git-connection, an SSH remote included', async () => {
    const manifest = application(
      { 'image-list': `web=${HOST}/web:~2.0`, 'write-back-method': 'git' },
      { source: { ...KUSTOMIZE_SOURCE, repoURL: 'git@gitlab.example.com:platform/gitops.git' } },
    );
    const result = await runCli(
      ['apps', 'import', '-', '--git-connection', 'gitlab=https://gitlab.example.com', '--dry-run', '--json'],
      stringify(manifest),
      env,
    );
    const json = JSON.parse(result.stdout);
    expect(json.apps[0].document.writeBack).toMatchObject({
      method: 'git',
      git: { connection: 'gitlab', repo: 'platform/gitops' },
    });
    expect(json.apps[0].warnings).toContainEqual(
      expect.stringContaining("over SSH; the updater writes to it over HTTPS through 'gitlab'"),
    );
    const bad = await runCli(['apps', 'import', '-', '--git-connection', 'gitlab'], stringify(manifest), env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--git-connection: 'gitlab' has no '='");
  });

  it('answers --json with each app, its warnings and the skipped documents', async () => {
    const text = `${readFileSync(SEED, 'utf8')}---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: x }\n`;
    const result = await apps(
      'import',
      file('two.yaml', text),
      '--account',
      '123456789012',
      '--dry-run',
      '--json',
    );
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.apps).toEqual([
      expect.objectContaining({
        name: 'flask-app',
        notes: [expect.stringContaining('no effect on newest-build')],
      }),
    ]);
    expect(json.apps[0].document.writeBack.method).toBe('argocd');
    expect(json.warnings).toEqual(['document 2: ConfigMap (v1) is not an Argo CD Application; skipped']);
  });

  it('exits 2 naming the image list when a placeholder remains and no --account is given', async () => {
    const result = await apps('import', SEED);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n').at(-1)).toContain(`ecr-image-updater apps: ${IMAGE_LIST}: `);
    expect(result.stderr).toContain('--account <12 digits>');
    expect((await apps('show', 'flask-app')).code).toBe(1);
  });

  it.each([
    [
      'a file that is not YAML',
      () => file('broken.yaml', 'metadata: [unclosed'),
      'manifest: ',
      'is not valid YAML or JSON',
    ],
    [
      'a file that does not exist',
      () => '/nonexistent.yaml',
      'manifest: ',
      "cannot read '/nonexistent.yaml'",
    ],
    [
      'a YAML alias bomb',
      () =>
        file(
          'bomb.yaml',
          'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
        ),
      'manifest: ',
      'expands YAML aliases (*name) more than 100 times, the limit',
    ],
    [
      'a manifest over 4 MiB',
      () => file('huge.yaml', `# ${'x'.repeat(4 * 1024 * 1024)}\n`),
      'manifest: ',
      'is larger than the limit of 4 MiB',
    ],
    ['no manifest', () => '', 'usage: ', 'apps import needs an Application manifest'],
  ])('exits 2 on %s', async (_what, path, field, message) => {
    const result = await apps(...['import', path()].filter((arg) => arg !== ''));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(result.stderr.split('\n')[0]?.concat('\n'));
    expect(result.stderr).toContain(`ecr-image-updater apps: ${field}`);
    expect(result.stderr).toContain(message);
  });
});
